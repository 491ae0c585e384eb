namespace SeqLens.Graphs;

/// <summary>
/// Runs a <see cref="Graph"/> forward and backward for a batch. Forward keeps every node's value for backward and
/// for inspection (<see cref="Value(string)"/>); buffers are sized once per batch shape and reused, so the
/// steady state allocates nothing. One executor per thread; several may share one graph.
/// </summary>
public sealed class Executor
{
    private readonly Node[] _nodes;
    private readonly Tensor?[] _values;
    private readonly Tensor?[] _grads;
    private readonly bool[] _hasGrad;
    private readonly bool[] _needsGrad;
    private readonly object?[] _workspaces;
    private readonly ForwardContext[] _forward;
    private readonly BackwardContext[] _backward;
    private readonly Tensor[] _outputs;
    private int[][]? _shapes;
    private int[][]? _inputShapesKey;
    private bool _forwardDone;

    /// <summary>An executor for <paramref name="graph"/>; <paramref name="seed"/> drives dropout.</summary>
    public Executor(Graph graph, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        Seed = seed;
        _nodes = graph.Nodes.ToArray();
        int n = _nodes.Length;
        _values = new Tensor?[n];
        _grads = new Tensor?[n];
        _hasGrad = new bool[n];
        _needsGrad = new bool[n];
        _workspaces = new object?[n];
        _forward = new ForwardContext[n];
        _backward = new BackwardContext[n];
        for (int i = 0; i < n; i++)
        {
            _forward[i] = new ForwardContext { NodeIndex = i, InputArray = new Tensor[_nodes[i].Inputs.Count] };
            _backward[i] = new BackwardContext { InputArray = new Tensor[_nodes[i].Inputs.Count], InputGradArray = new Tensor?[_nodes[i].Inputs.Count] };
        }

        _outputs = new Tensor[graph.Outputs.Count];
    }

    /// <summary>The graph this executor runs.</summary>
    public Graph Graph { get; }

    /// <summary>Training mode: dropout active, batch-norm on batch statistics (default false).</summary>
    public bool Training { get; set; }

    /// <summary>Seed of the dropout masks.</summary>
    public long Seed { get; set; }

    /// <summary>Counts training forward passes; with <see cref="Seed"/> it fixes each pass's dropout masks.</summary>
    public long Step { get; set; }

    /// <summary>Runs a single-input graph; returns its first output (owned by the executor, valid until the next call).</summary>
    public Tensor Forward(Tensor input) => Forward([input])[0];

    /// <summary>Runs the graph on one tensor per input node; returns one tensor per output (owned by the executor).</summary>
    public IReadOnlyList<Tensor> Forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != Graph.Inputs.Count)
        {
            throw new ArgumentException($"The model has {Graph.Inputs.Count} input(s) ({string.Join(", ", Graph.Inputs.Select(i => i.Name))}); got {inputs.Count} tensor(s).", nameof(inputs));
        }

        PrepareShapes(inputs);
        int inputIndex = 0;
        for (int i = 0; i < _nodes.Length; i++)
        {
            Node node = _nodes[i];
            if (node.IsInput)
            {
                _values[i] = inputs[inputIndex++];
                continue;
            }

            ForwardContext ctx = _forward[i];
            for (int j = 0; j < node.Inputs.Count; j++)
            {
                ctx.InputArray[j] = _values[node.Inputs[j].Index]!;
            }

            ctx.Output = _values[i]!;
            ctx.Training = Training;
            ctx.Workspace = _workspaces[i];
            ctx.Seed = Seed;
            ctx.Step = Step;
            ctx.ResetRandom();
            node.Op.Forward(ctx);
        }

        if (Training)
        {
            Step++;
        }

        _forwardDone = true;
        for (int o = 0; o < _outputs.Length; o++)
        {
            _outputs[o] = _values[Graph.Outputs[o].Node.Index]!;
        }

        return _outputs;
    }

    /// <summary>Backward from the first output with seed gradient <paramref name="outputGrad"/> (same shape as that output).</summary>
    public void Backward(Tensor outputGrad, BackwardOptions? options = null) => Backward([outputGrad], options);

    /// <summary>
    /// Backward from the outputs (null entries contribute nothing). Gradients are then available through
    /// <see cref="Gradient(string)"/>; parameter gradients are added into <see cref="Parameter.Grad"/> when asked.
    /// </summary>
    public void Backward(IReadOnlyList<Tensor?> outputGrads, BackwardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(outputGrads);
        options ??= new BackwardOptions();
        if (!_forwardDone)
        {
            throw new InvalidOperationException("Backward needs a forward pass first.");
        }

        if (outputGrads.Count != Graph.Outputs.Count)
        {
            throw new ArgumentException($"The model has {Graph.Outputs.Count} output(s); got {outputGrads.Count} gradient(s).", nameof(outputGrads));
        }

        MarkNeedsGrad(options);
        Array.Clear(_hasGrad);
        for (int o = 0; o < outputGrads.Count; o++)
        {
            Tensor? g = outputGrads[o];
            if (g is null)
            {
                continue;
            }

            int idx = Graph.Outputs[o].Node.Index;
            Tensor value = _values[idx]!;
            if (!g.SameShape(value))
            {
                throw new ArgumentException($"Gradient for output '{Graph.Outputs[o].Node.Name}' has shape {Tensor.FormatShape(g.Shape)}; the output has {Tensor.FormatShape(value.Shape)}.", nameof(outputGrads));
            }

            Tensor buffer = GradBuffer(idx);
            if (_hasGrad[idx])
            {
                System.Numerics.Tensors.TensorPrimitives.Add(buffer.Data, g.Data, buffer.Data);
            }
            else
            {
                g.Data.CopyTo(buffer.Data, 0);
                _hasGrad[idx] = true;
            }
        }

        for (int i = _nodes.Length - 1; i >= 0; i--)
        {
            Node node = _nodes[i];
            if (!_hasGrad[i] || node.IsInput)
            {
                continue;
            }

            BackwardContext ctx = _backward[i];
            bool any = options.ParameterGradients && node.Op.Parameters.Any(p => p.Trainable);
            for (int j = 0; j < node.Inputs.Count; j++)
            {
                int src = node.Inputs[j].Index;
                ctx.InputArray[j] = _values[src]!;
                if (_needsGrad[src])
                {
                    Tensor buffer = GradBuffer(src);
                    if (!_hasGrad[src])
                    {
                        Array.Clear(buffer.Data);
                        _hasGrad[src] = true;
                    }

                    ctx.InputGradArray[j] = buffer;
                    any = true;
                }
                else
                {
                    ctx.InputGradArray[j] = null;
                }
            }

            if (!any)
            {
                continue;
            }

            if (!node.Op.SupportsRule(options.Rule))
            {
                throw new NotSupportedException($"Node '{node.Name}' ({node.Op.Kind}) does not implement the {options.Rule} rule.");
            }

            ctx.Output = _values[i]!;
            ctx.OutputGrad = _grads[i]!;
            ctx.ParameterGradients = options.ParameterGradients;
            ctx.Training = Training;
            ctx.Rule = options.Rule;
            ctx.ReferenceRow = options.ReferenceRow;
            ctx.Workspace = _workspaces[i];
            node.Op.Backward(ctx);
        }
    }

    /// <summary>The value of node <paramref name="name"/> from the last forward pass.</summary>
    public Tensor Value(string name) => Value(Graph[name]);

    /// <summary>The value of <paramref name="node"/> from the last forward pass.</summary>
    public Tensor Value(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return _values[node.Index] ?? throw new InvalidOperationException("No forward pass has run yet.");
    }

    /// <summary>The gradient (or multiplier) at node <paramref name="name"/> from the last backward pass; null when none reached it.</summary>
    public Tensor? Gradient(string name) => Gradient(Graph[name]);

    /// <summary>The gradient at <paramref name="node"/> from the last backward pass; null when none reached it.</summary>
    public Tensor? Gradient(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return _hasGrad[node.Index] ? _grads[node.Index] : null;
    }

    private void MarkNeedsGrad(BackwardOptions options)
    {
        // A node needs a gradient when some input or trainable parameter that we want gradients for lies upstream.
        for (int i = 0; i < _nodes.Length; i++)
        {
            Node n = _nodes[i];
            bool need = n.IsInput
                ? options.InputGradients
                : options.ParameterGradients && n.Op.Parameters.Any(p => p.Trainable);
            foreach (Node input in n.Inputs)
            {
                need |= _needsGrad[input.Index];
            }

            _needsGrad[i] = need;
        }
    }

    private Tensor GradBuffer(int index)
    {
        Tensor? g = _grads[index];
        if (g is null || !g.Shape.AsSpan().SequenceEqual(_shapes![index]))
        {
            g = new Tensor(_shapes![index]);
            _grads[index] = g;
        }

        return g;
    }

    private bool SameInputShapes(IReadOnlyList<Tensor> inputs)
    {
        if (_inputShapesKey is null || _inputShapesKey.Length != inputs.Count)
        {
            return false;
        }

        for (int k = 0; k < inputs.Count; k++)
        {
            if (!inputs[k].Shape.AsSpan().SequenceEqual(_inputShapesKey[k]))
            {
                return false;
            }
        }

        return true;
    }

    private void PrepareShapes(IReadOnlyList<Tensor> inputs)
    {
        if (SameInputShapes(inputs))
        {
            return;
        }

        var shapes = new int[_nodes.Length][];
        int inputIndex = 0;
        int batch = -1;
        for (int i = 0; i < _nodes.Length; i++)
        {
            Node node = _nodes[i];
            if (node.IsInput)
            {
                Tensor t = inputs[inputIndex++];
                if (t.Rank != node.SampleShape.Length + 1 || !t.Shape.AsSpan(1).SequenceEqual(node.SampleShape))
                {
                    throw new ArgumentException($"Input '{node.Name}' expects (batch, {string.Join(", ", node.SampleShape)}); got {Tensor.FormatShape(t.Shape)}.");
                }

                if (batch >= 0 && t.Shape[0] != batch)
                {
                    throw new ArgumentException($"Inputs disagree on the batch size ({batch} and {t.Shape[0]}).");
                }

                batch = t.Shape[0];
                shapes[i] = t.Shape;
                continue;
            }

            int[][] inShapes = node.Inputs.Select(x => shapes[x.Index]).ToArray();
            try
            {
                shapes[i] = node.Op.InferShape(inShapes);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Node '{node.Name}': {ex.Message}", ex);
            }

            _values[i] = new Tensor(shapes[i]);
            _workspaces[i] = node.Op.CreateWorkspace(inShapes, shapes[i]);
        }

        _shapes = shapes;
        _inputShapesKey = inputs.Select(t => (int[])t.Shape.Clone()).ToArray();
        Array.Clear(_grads);
        Array.Clear(_hasGrad);
    }
}
