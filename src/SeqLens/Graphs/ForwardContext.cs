namespace SeqLens.Graphs;

/// <summary>What an op sees during a forward pass. The executor reuses one instance per node.</summary>
public sealed class ForwardContext
{
    internal Tensor[] InputArray = [];

    /// <summary>The input values, in the order of the node's inputs.</summary>
    public IReadOnlyList<Tensor> Inputs => InputArray;

    /// <summary>The first input.</summary>
    public Tensor Input => InputArray[0];

    /// <summary>The output buffer, already shaped by <see cref="Op.InferShape"/>; the op overwrites it.</summary>
    public Tensor Output { get; internal set; } = null!;

    /// <summary>True in training (dropout active, batch-norm uses batch statistics and updates running ones).</summary>
    public bool Training { get; internal set; }

    /// <summary>The op's per-executor scratch from <see cref="Op.CreateWorkspace"/> (argmax indices, masks, saved statistics).</summary>
    public object? Workspace { get; internal set; }

    /// <summary>Seeded randomness for this node and this forward pass (same seed and step ⇒ same stream).</summary>
    public Rng Random => _random ??= Rng.For(Seed, Step, NodeIndex);

    internal long Seed { get; set; }

    internal long Step { get; set; }

    internal int NodeIndex { get; set; }

    private Rng? _random;

    internal void ResetRandom() => _random = null;
}
