using System.Globalization;

namespace SeqLens.Graphs;

/// <summary>
/// Builds a <see cref="Graph"/> node by node: <c>var x = b.Input("dna", 4, 200); var h = b.Relu(b.Conv1d(x, 32, 15));</c>.
/// Shapes are inferred and checked as each node is added, so a mistake is reported where it is made.
/// </summary>
/// <remarks>Parameter initialisation is seeded: the same seed and the same sequence of calls give the same weights.</remarks>
public sealed partial class GraphBuilder
{
    private readonly List<Node> _nodes = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly long _seed;
    private int _initStreams;

    /// <summary>A builder whose parameter initialisation uses <paramref name="seed"/>.</summary>
    public GraphBuilder(long seed = 0) => _seed = seed;

    /// <summary>The nodes added so far.</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>A fresh seeded stream for initialising the next op's parameters.</summary>
    public Rng NextInitRandom() => Rng.For(_seed, 0x1A17, _initStreams++);

    /// <summary>Adds a graph input with per-sample shape <paramref name="sampleShape"/>, e.g. <c>(4, length)</c>.</summary>
    public Node Input(string name, params int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (sampleShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"Input '{name}' needs positive dimensions; got {Tensor.FormatShape(sampleShape)}.", nameof(sampleShape));
        }

        return Add(new InputOp(sampleShape), [], name);
    }

    /// <summary>Adds <paramref name="op"/> applied to <paramref name="inputs"/>; the name defaults to <c>kind_N</c>.</summary>
    public Node Add(Op op, IReadOnlyList<Node> inputs, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (Node input in inputs)
        {
            if (input.Index >= _nodes.Count || !ReferenceEquals(_nodes[input.Index], input))
            {
                throw new ArgumentException($"Node '{input.Name}' does not belong to this builder.", nameof(inputs));
            }
        }

        if (op.InputCount >= 0 && inputs.Count != op.InputCount)
        {
            throw new ArgumentException($"{op.Kind} takes {op.InputCount} input(s); got {inputs.Count}.", nameof(inputs));
        }

        name ??= UniqueName(op.Kind);
        if (string.IsNullOrWhiteSpace(name) || !_names.Add(name))
        {
            throw new ArgumentException($"Node name '{name}' is empty or already used.", nameof(name));
        }

        int[] shape;
        try
        {
            shape = op.InferShape(inputs.Select(i => (int[])[1, .. i.SampleShape]).ToArray());
        }
        catch (ArgumentException ex)
        {
            _names.Remove(name);
            throw new ArgumentException($"Node '{name}': {ex.Message}", ex);
        }

        op.Bind(name);
        var node = new Node(_nodes.Count, name, op, inputs.ToArray(), shape[1..]);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Finishes the graph with one output whose logits feed <paramref name="activation"/>.</summary>
    public Graph Build(Node output, IReadOnlyList<string>? taskNames = null, OutputActivation activation = OutputActivation.Sigmoid)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Build([MakeOutput(output, taskNames, activation)]);
    }

    /// <summary>Finishes the graph with several outputs.</summary>
    public Graph Build(IReadOnlyList<GraphOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0)
        {
            throw new ArgumentException("A graph needs at least one output.", nameof(outputs));
        }

        // Keep only nodes that the outputs depend on, so unused branches cannot hold stale parameters.
        var needed = new bool[_nodes.Count];
        var stack = new Stack<Node>(outputs.Select(o => o.Node));
        while (stack.Count > 0)
        {
            Node n = stack.Pop();
            if (!needed[n.Index])
            {
                needed[n.Index] = true;
                foreach (Node i in n.Inputs)
                {
                    stack.Push(i);
                }
            }
        }

        if (_nodes.Where((n, i) => !needed[i] && !n.IsInput).Any())
        {
            string unused = string.Join(", ", _nodes.Where((n, i) => !needed[i] && !n.IsInput).Select(n => n.Name));
            throw new ArgumentException($"Nodes not connected to any output: {unused}.", nameof(outputs));
        }

        return new Graph(_nodes.ToArray(), outputs);
    }

    /// <summary>An output description with default task names <c>task0..</c>.</summary>
    public static GraphOutput MakeOutput(Node node, IReadOnlyList<string>? taskNames, OutputActivation activation)
    {
        ArgumentNullException.ThrowIfNull(node);
        int tasks = node.SampleShape.Length == 0 ? 1 : node.SampleShape[^1];
        taskNames ??= Enumerable.Range(0, tasks).Select(i => "task" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (taskNames.Count != tasks)
        {
            throw new ArgumentException($"Output '{node.Name}' has {tasks} values per sample but {taskNames.Count} task names were given.", nameof(taskNames));
        }

        return new GraphOutput(node, taskNames.ToArray(), activation);
    }

    private string UniqueName(string kind)
    {
        string stem = kind.ToLowerInvariant();
        string name;
        do
        {
            int n = _counters.TryGetValue(stem, out int c) ? c + 1 : 1;
            _counters[stem] = n;
            name = stem + "_" + n.ToString(CultureInfo.InvariantCulture);
        }
        while (_names.Contains(name));
        return name;
    }
}
