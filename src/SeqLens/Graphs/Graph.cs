namespace SeqLens.Graphs;

/// <summary>
/// A model: a DAG of named <see cref="Node"/>s in topological order, with named inputs and outputs
/// (DESIGN.md section 2). Build one with <see cref="GraphBuilder"/>, or load it from a model file.
/// </summary>
public sealed class Graph
{
    private readonly Dictionary<string, Node> _byName;

    internal Graph(IReadOnlyList<Node> nodes, IReadOnlyList<GraphOutput> outputs)
    {
        Nodes = nodes;
        Outputs = outputs;
        Inputs = nodes.Where(n => n.IsInput).ToArray();
        _byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        Parameters = nodes.SelectMany(n => n.Op.Parameters).ToArray();
    }

    /// <summary>All nodes, inputs included, in topological order.</summary>
    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>The input nodes.</summary>
    public IReadOnlyList<Node> Inputs { get; }

    /// <summary>The outputs.</summary>
    public IReadOnlyList<GraphOutput> Outputs { get; }

    /// <summary>Every parameter, in node order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The parameters an optimiser updates.</summary>
    public IEnumerable<Parameter> TrainableParameters => Parameters.Where(p => p.Trainable);

    /// <summary>The node called <paramref name="name"/>; throws listing the node names when there is none.</summary>
    public Node this[string name] => _byName.TryGetValue(name, out Node? node)
        ? node
        : throw new ArgumentException($"The model has no node named '{name}'. Nodes: {string.Join(", ", Nodes.Select(n => n.Name))}.", nameof(name));

    /// <summary>Looks a node up by name.</summary>
    public bool TryGetNode(string name, out Node? node) => _byName.TryGetValue(name, out node);

    /// <summary>Zeroes every parameter gradient.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter p in Parameters)
        {
            p.ZeroGrad();
        }
    }

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => TrainableParameters.Sum(p => (long)p.Value.Length);

    /// <inheritdoc/>
    public override string ToString() => string.Join(Environment.NewLine, Nodes);
}
