namespace SeqLens.Attribution.Ism;

/// <summary>Options of <see cref="InSilicoMutagenesis"/>.</summary>
public sealed record IsmOptions
{
    /// <summary>First mutated position (0-based, inclusive; default 0).</summary>
    public int Start { get; init; }

    /// <summary>End of the mutated positions (exclusive); null means the sequence length.</summary>
    public int? End { get; init; }

    /// <summary>Score of a substitution (default <see cref="IsmScore.Difference"/>).</summary>
    public IsmScore Score { get; init; } = IsmScore.Difference;

    /// <summary>Fast (windowed) or naive (default <see cref="IsmMethod.Fast"/>).</summary>
    public IsmMethod Method { get; init; } = IsmMethod.Fast;

    /// <summary>
    /// Also run ISM on the reverse complement, map its scores back (base b at position p ↔ base 3−b at L−1−p) and
    /// average with the forward scores (strand-symmetric evaluation). Default false.
    /// </summary>
    public bool ReverseComplementAverage { get; init; }

    /// <summary>Mutant sequences per batch (default 256).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Index of the graph output that is scored (default 0); every element of one sample's output is a task.</summary>
    public int OutputIndex { get; init; }
}
