namespace SeqLens.Attribution.Ism;

/// <summary>
/// Predicts single-base substitutions of one reference sequence: <see cref="SetReference"/> once, then
/// <see cref="Evaluate"/> any number of batches of edits (position, base).
/// </summary>
internal abstract class MutantEvaluator
{
    /// <summary>Mutants per call of <see cref="Evaluate"/> at most.</summary>
    public abstract int BatchSize { get; }

    /// <summary>Outputs per sequence (tasks).</summary>
    public abstract int Tasks { get; }

    /// <summary>Sets the reference one-hot <c>(4, L)</c> and writes its outputs <c>(T)</c>.</summary>
    public abstract void SetReference(ReadOnlySpan<float> oneHot, Span<float> output);

    /// <summary>Writes the outputs <c>(M, T)</c> of the mutants that put <c>bases[m]</c> at <c>positions[m]</c>.</summary>
    public abstract void Evaluate(ReadOnlySpan<int> positions, ReadOnlySpan<int> bases, Span<float> outputs);
}
