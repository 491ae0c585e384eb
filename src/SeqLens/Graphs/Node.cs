namespace SeqLens.Graphs;

/// <summary>A named node of a <see cref="Graph"/>: an op applied to the outputs of earlier nodes.</summary>
public sealed class Node
{
    internal Node(int index, string name, Op op, IReadOnlyList<Node> inputs, int[] sampleShape)
    {
        Index = index;
        Name = name;
        Op = op;
        Inputs = inputs;
        SampleShape = sampleShape;
    }

    /// <summary>Position in the graph's topological order.</summary>
    public int Index { get; }

    /// <summary>Unique name (Grad-CAM, DeepResolve and DeepLIFT's neuron scores address nodes by it).</summary>
    public string Name { get; }

    /// <summary>The operation.</summary>
    public Op Op { get; }

    /// <summary>The nodes whose outputs feed this one, in argument order.</summary>
    public IReadOnlyList<Node> Inputs { get; }

    /// <summary>Output shape of one sample (without the batch dimension), as inferred when the graph was built.</summary>
    public int[] SampleShape { get; }

    /// <summary>True for a graph input.</summary>
    public bool IsInput => Op is InputOp;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} = {Op.Kind}({string.Join(", ", Inputs.Select(i => i.Name))}) -> {Tensor.FormatShape(SampleShape)}";
}
