namespace SeqLens.Sequences.Simulation;

/// <summary>A simulated sequence with its class, ground-truth motif instances (by start) and one 0/1 label per task.</summary>
public sealed record SimulatedSequence(string Name, string ClassName, string Sequence, IReadOnlyList<MotifInstance> Instances, IReadOnlyList<int> Labels)
{
    /// <summary>The DeepLIFT simdata <c>embeddings</c> column: instance embedding strings joined by commas (empty when none).</summary>
    public string Embeddings => string.Join(',', Instances.Select(i => i.Embedding));
}
