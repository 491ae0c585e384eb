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
    private readonly Tensor?[] _gradsNeg;
    private readonly Tensor?[] _deltaPos;
    private readonly Tensor?[] _deltaNeg;
    private BackwardOptions? _lastOptions;
    private bool _lastSplit;
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
        _gradsNeg = new Tensor?[n];
        _deltaPos = new Tensor?[n];
        _deltaNeg = new Tensor?[n];
        _hasGrad = new bool[n];
        _needsGrad = new bool[n];
        _workspaces = new object?[n];
        _forward = new ForwardContext[n];
        _backward = new BackwardContext[n];
        for (int i = 0; i < n; i++)
        {
            _forward[i] = new ForwardContext { NodeIndex = i, InputArray = new Tensor[_nodes[i].Inputs.Count] };
            _backward[i] = new BackwardContext { InputArray = new Tensor[_nodes[i].Inputs.Count], InputGradArray = new Tensor?[_nodes[i].Inputs.Count], InputGradNegArray = new Tensor?[_nodes[i].Inputs.Count] };
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

    /// <summary>
    /// When set, every node's forward and backward time (Stopwatch ticks) is added into <see cref="ForwardTicks"/> and
    /// <see cref="BackwardTicks"/> (indexed like <see cref="Graphs.Graph.Nodes"/>), for profiling; off by default.
    /// </summary>
    public bool Profile { get; set; }

    /// <summary>Accumulated forward time per node while <see cref="Profile"/> is set.</summary>
    public long[] ForwardTicks => _forwardTicks ??= new long[_nodes.Length];

    /// <summary>Accumulated backward time per node while <see cref="Profile"/> is set.</summary>
    public long[] BackwardTicks => _backwardTicks ??= new long[_nodes.Length];

    private long[]? _forwardTicks;
    private long[]? _backwardTicks;
    private bool _foldBatchNorm;
    private bool _fuseRelu;
    private IReadOnlySet<Node> _keep = new HashSet<Node>();
    private BatchNormFold?[]? _foldPlan;
    private int _foldPlanFirst = -1;
    private BatchNormFold?[]? _folds;
    private Tensor? _foldScratch;
    private Node?[]? _reluPool;
    private int[]? _consumers;

    /// <summary>
    /// Inference fusion (default false; evaluation mode only): every Conv1d → evaluation BatchNorm1d pair whose convolution
    /// feeds only the batch-norm, and is neither a graph output nor in <see cref="KeepNodes"/>, runs as one convolution with
    /// the batch-norm folded into its weights and bias (see <see cref="BatchNormFold"/>); equal to the unfolded pass up to
    /// float rounding. The folded convolution node then has no value, gradient or difference-from-reference
    /// (<see cref="Value(Node)"/>, <see cref="Gradient(Node)"/>, <see cref="Delta(Node)"/> and <see cref="Conservation"/>
    /// throw). Backward supports the gradient rule and, without <see cref="FuseRelu"/>, the DeepLIFT rules (Rescale,
    /// RevealCancel and the split pass: the pair is linear, so its multipliers are its gradient); never parameter gradients.
    /// Used by the attribution methods, which observe only the input, the target node and the nodes they keep.
    /// </summary>
    internal bool FoldBatchNorm
    {
        get => _foldBatchNorm;
        set { _foldBatchNorm = value; _foldPlan = null; }
    }

    /// <summary>
    /// With <see cref="FoldBatchNorm"/>: a ReLU that alone consumes a folded batch-norm runs in the convolution's GEMM epilogue
    /// (default false); the batch-norm node then has no value either, and ReLU's gradient reads its own output (x &gt; 0 exactly
    /// when max(x, 0) &gt; 0).
    /// </summary>
    internal bool FuseRelu
    {
        get => _fuseRelu;
        set { _fuseRelu = value; _foldPlan = null; }
    }

    /// <summary>
    /// DeepLIFT backward fusion (default false): in a pass without the split (Rescale, or RevealCancel only at max pools), a
    /// max pool on a paired rule whose input is a ReLU on the Rescale rule that only it consumes runs both rules in one pass
    /// (<see cref="Ops.MaxPool1dOp.PairedBackwardThroughRelu"/>), straight into the ReLU's input multipliers: the ReLU's own
    /// multipliers are never formed (<see cref="Gradient(Node)"/> and <see cref="Conservation"/> of the ReLU throw). Not
    /// applied to nodes in <see cref="KeepNodes"/>, seeds and graph outputs. Bit-identical to the two rules for pools with
    /// stride ≥ kernel, equal up to float rounding otherwise.
    /// </summary>
    internal bool FuseReluMaxPool { get; set; }

    /// <summary>Nodes whose value (and gradient) must stay available under <see cref="FoldBatchNorm"/>: never folded away (default none).</summary>
    internal IReadOnlySet<Node> KeepNodes
    {
        get => _keep;
        set { _keep = value ?? throw new ArgumentNullException(nameof(value)); _foldPlan = null; }
    }

    /// <summary>Runs a single-input graph; returns its first output (owned by the executor, valid until the next call).</summary>
    public Tensor Forward(Tensor input) => Forward([input])[0];

    /// <summary>Runs the graph on one tensor per input node; returns one tensor per output (owned by the executor).</summary>
    public IReadOnlyList<Tensor> Forward(IReadOnlyList<Tensor> inputs) => ForwardCore(inputs, null, null);

    /// <summary>
    /// Forward of a single-input graph in which node <paramref name="replaced"/> and every node before it in topological
    /// order do not run: <paramref name="fill"/> writes its value (the executor's buffer, shaped as usual) instead. The
    /// caller guarantees that the earlier nodes only feed <paramref name="replaced"/>; <paramref name="input"/> gives the
    /// shapes. Used by attribution methods that know a node's value in closed
    /// form (integrated gradients: the first layer's pre-activation is linear along the path).
    /// </summary>
    internal Tensor ForwardReplacing(Tensor input, Node replaced, Action<Tensor> fill) => ForwardCore([input], replaced, fill)[0];

    private Tensor[] ForwardCore(IReadOnlyList<Tensor> inputs, Node? replaced, Action<Tensor>? fill)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != Graph.Inputs.Count)
        {
            throw new ArgumentException($"The model has {Graph.Inputs.Count} input(s) ({string.Join(", ", Graph.Inputs.Select(i => i.Name))}); got {inputs.Count} tensor(s).", nameof(inputs));
        }

        PrepareShapes(inputs);
        _folds = null;
        if (FoldBatchNorm && !Training)
        {
            int firstRun = replaced is null ? 0 : replaced.Index + 1;
            if (_foldPlan is null || _foldPlanFirst != firstRun)
            {
                _foldPlan = BatchNormFold.Plan(Graph, _nodes, _keep as ISet<Node> ?? new HashSet<Node>(_keep), FuseRelu, firstRun);
                _foldPlanFirst = firstRun;
            }

            _folds = _foldPlan;
        }

        int inputIndex = 0;
        for (int i = 0; i < _nodes.Length; i++)
        {
            Node node = _nodes[i];
            if (node.IsInput)
            {
                _values[i] = inputs[inputIndex++];
                continue;
            }

            if (_folds?[i] is BatchNormFold fold)
            {
                if (ReferenceEquals(fold.BatchNorm, node))
                {
                    long t0 = Profile ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
                    fold.Refresh();
                    int target = (fold.Relu ?? fold.BatchNorm).Index;
                    Kernels.Conv1d.Forward((Kernels.Conv1dGeometry)_workspaces[fold.Conv.Index]!, _values[fold.Conv.Inputs[0].Index]!.Data, fold.Weight, fold.Bias, _values[target]!.Data, relu: fold.Relu is not null);
                    if (Profile)
                    {
                        ForwardTicks[i] += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
                    }
                }

                continue;
            }

            if (replaced is not null && i <= replaced.Index)
            {
                if (i == replaced.Index)
                {
                    fill!(_values[i]!);
                }

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
            long started = Profile ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            node.Op.Forward(ctx);
            if (Profile)
            {
                ForwardTicks[i] += System.Diagnostics.Stopwatch.GetTimestamp() - started;
            }
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
        if (outputGrads.Count != Graph.Outputs.Count)
        {
            throw new ArgumentException($"The model has {Graph.Outputs.Count} output(s); got {outputGrads.Count} gradient(s).", nameof(outputGrads));
        }

        var seeds = new List<(Node, Tensor)>();
        for (int o = 0; o < outputGrads.Count; o++)
        {
            if (outputGrads[o] is Tensor g)
            {
                seeds.Add((Graph.Outputs[o].Node, g));
            }
        }

        BackwardCore(seeds, options ?? new BackwardOptions());
    }

    /// <summary>
    /// Backward seeded at any node (e.g. DeepLIFT contributions to one neuron of a hidden layer): <paramref name="grad"/>
    /// has the node's shape; nodes after it in topological order take no part.
    /// </summary>
    public void Backward(Node node, Tensor grad, BackwardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(grad);
        if (node.Index >= _nodes.Length || !ReferenceEquals(_nodes[node.Index], node))
        {
            throw new ArgumentException($"Node '{node.Name}' does not belong to this executor's graph.", nameof(node));
        }

        BackwardCore([(node, grad)], options ?? new BackwardOptions());
    }

    /// <summary>
    /// Backward seeded at <paramref name="node"/> that stops above <paramref name="stop"/>: only nodes after
    /// <paramref name="stop"/> in topological order run, so <see cref="Gradient(Node)"/> of <paramref name="stop"/> is its
    /// complete gradient and nothing below it is computed (gradients of earlier nodes are left unset).
    /// </summary>
    internal void BackwardAbove(Node node, Tensor grad, BackwardOptions options, Node stop)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(grad);
        ArgumentNullException.ThrowIfNull(stop);
        BackwardCore([(node, grad)], options, stop.Index);
    }

    private void BackwardCore(IReadOnlyList<(Node Node, Tensor Grad)> seeds, BackwardOptions options, int stopIndex = -1)
    {
        if (!_forwardDone)
        {
            throw new InvalidOperationException("Backward needs a forward pass first.");
        }

        if (options.NodeRules is not null && options.NodeRules.Count != _nodes.Length)
        {
            throw new ArgumentException($"NodeRules needs one rule per node ({_nodes.Length}); got {options.NodeRules.Count}.", nameof(options));
        }

        MarkNeedsGrad(options);
        bool split = false;
        bool anyRule = false;
        for (int i = 0; i < _nodes.Length; i++)
        {
            BackwardRule rule = options.RuleOf(_nodes[i]);
            anyRule |= rule is BackwardRule.Rescale or BackwardRule.RevealCancel;
            split |= rule == BackwardRule.RevealCancel && _needsGrad[i];
        }

        if (_folds is not null && (options.ParameterGradients || Training))
        {
            throw new InvalidOperationException("The last forward folded batch-norms into convolutions (FoldBatchNorm): backward computes no parameter gradients.");
        }

        if (_folds is not null && anyRule && _folds.Any(f => f?.Relu is not null))
        {
            throw new InvalidOperationException("The last forward fused ReLUs into folded convolutions (FuseRelu): their inputs were not kept, and the DeepLIFT rules need them; turn FuseRelu off.");
        }

        int batch = _shapes![0][0];
        if (anyRule && options.Pairs is null)
        {
            throw new ArgumentException("DeepLIFT rules need BackwardOptions.Pairs (which batch rows are compared).", nameof(options));
        }

        if (options.Pairs is not null && options.Pairs.BatchSize != batch)
        {
            throw new ArgumentException($"BackwardOptions.Pairs covers {options.Pairs.BatchSize} rows; the batch has {batch}.", nameof(options));
        }

        Array.Clear(_hasGrad);
        _lastOptions = options;
        _lastSplit = split;
        if (split)
        {
            PropagateDeltas(options);
        }

        foreach ((Node node, Tensor g) in seeds)
        {
            int idx = node.Index;
            Tensor value = _values[idx]!;
            if (!g.SameShape(value))
            {
                throw new ArgumentException($"Gradient for node '{node.Name}' has shape {Tensor.FormatShape(g.Shape)}; the node has {Tensor.FormatShape(value.Shape)}.");
            }

            Tensor buffer = GradBuffer(idx);
            Tensor? bufferNeg = split ? GradNegBuffer(idx) : null;
            if (_hasGrad[idx])
            {
                System.Numerics.Tensors.TensorPrimitives.Add(buffer.Data, g.Data, buffer.Data);
                if (bufferNeg is not null)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(bufferNeg.Data, g.Data, bufferNeg.Data);
                }
            }
            else
            {
                g.Data.CopyTo(buffer.Data, 0);
                if (bufferNeg is not null)
                {
                    g.Data.CopyTo(bufferNeg.Data, 0);
                }

                _hasGrad[idx] = true;
            }
        }

        _reluPool = FuseReluMaxPool && anyRule && !split && !Training ? PlanReluPool(options, stopIndex) : null;
        for (int i = _nodes.Length - 1; i > stopIndex; i--)
        {
            Node node = _nodes[i];
            if (!_hasGrad[i] || node.IsInput)
            {
                continue;
            }

            BackwardContext ctx = _backward[i];
            BatchNormFold? folded = _folds?[i];
            if (folded is not null && ReferenceEquals(folded.BatchNorm, node))
            {
                BackwardFolded(folded, i, split);
                continue;
            }

            if (_reluPool?[i] is Node relu)
            {
                BackwardReluPool(i, relu, options);
                continue;
            }

            bool any = options.ParameterGradients && node.Op.Parameters.Any(p => p.Trainable);
            for (int j = 0; j < node.Inputs.Count; j++)
            {
                int src = node.Inputs[j].Index;
                // A fused ReLU's input was never stored: its gradient reads its output (x > 0 exactly when max(x, 0) > 0).
                ctx.InputArray[j] = folded is not null ? _values[i]! : _values[src]!;
                if (_needsGrad[src])
                {
                    Tensor buffer = GradBuffer(src);
                    Tensor? bufferNeg = split ? GradNegBuffer(src) : null;
                    if (!_hasGrad[src])
                    {
                        Array.Clear(buffer.Data);
                        if (bufferNeg is not null)
                        {
                            Array.Clear(bufferNeg.Data);
                        }

                        _hasGrad[src] = true;
                    }

                    ctx.InputGradArray[j] = buffer;
                    ctx.InputGradNegArray[j] = bufferNeg;
                    any = true;
                }
                else
                {
                    ctx.InputGradArray[j] = null;
                    ctx.InputGradNegArray[j] = null;
                }
            }

            if (!any)
            {
                continue;
            }

            RunNode(i, options, split);
        }
    }

    /// <summary>
    /// Input multipliers of a folded convolution + batch-norm: <c>dx += W'ᵀ·dy</c> with dy the batch-norm's gradient; in the
    /// split pass <c>m⁺in += W'⁺ᵀm⁺ + W'⁻ᵀm⁻</c>, <c>m⁻in += W'⁺ᵀm⁻ + W'⁻ᵀm⁺</c> (as <see cref="Ops.Conv1dOp.BackwardSplit"/>).
    /// </summary>
    private void BackwardFolded(BatchNormFold fold, int i, bool split)
    {
        int src = fold.Conv.Inputs[0].Index;
        if (!_needsGrad[src])
        {
            return;
        }

        long started = Profile ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        Tensor buffer = GradBuffer(src);
        Tensor? bufferNeg = split ? GradNegBuffer(src) : null;
        if (!_hasGrad[src])
        {
            Array.Clear(buffer.Data);
            if (bufferNeg is not null)
            {
                Array.Clear(bufferNeg.Data);
            }

            _hasGrad[src] = true;
        }

        var g = (Kernels.Conv1dGeometry)_workspaces[fold.Conv.Index]!;
        float[] dy = _grads[i]!.Data;
        if (split)
        {
            (float[] wp, float[] wn) = fold.SplitWeights();
            float[] dyNeg = _gradsNeg[i]!.Data;
            Kernels.Conv1d.BackwardInput(g, dy, wp, buffer.Data);
            Kernels.Conv1d.BackwardInput(g, dyNeg, wn, buffer.Data);
            Kernels.Conv1d.BackwardInput(g, dyNeg, wp, bufferNeg!.Data);
            Kernels.Conv1d.BackwardInput(g, dy, wn, bufferNeg.Data);
        }
        else if (SparseConvBackward.Supported(g))
        {
            SparseConvBackward.BackwardInput(g, dy, fold.Weight, buffer.Data);
        }
        else
        {
            Kernels.Conv1d.BackwardInput(g, dy, fold.Weight, buffer.Data);
        }

        if (Profile)
        {
            BackwardTicks[i] += System.Diagnostics.Stopwatch.GetTimestamp() - started;
        }
    }

    /// <summary>Per max-pool node: the ReLU whose Rescale rule runs inside its paired rule (see <see cref="FuseReluMaxPool"/>), or null.</summary>
    private Node?[] PlanReluPool(BackwardOptions options, int stopIndex)
    {
        if (_consumers is null)
        {
            _consumers = new int[_nodes.Length];
            foreach (Node n in _nodes)
            {
                foreach (Node input in n.Inputs)
                {
                    _consumers[input.Index]++;
                }
            }

            foreach (GraphOutput o in Graph.Outputs)
            {
                _consumers[o.Node.Index] += 2; // an output is observed
            }
        }

        var plan = new Node?[_nodes.Length];
        for (int i = stopIndex + 1; i < _nodes.Length; i++)
        {
            Node pool = _nodes[i];
            if (pool.Op is not Ops.MaxPool1dOp || options.RuleOf(pool) == BackwardRule.Gradient || _hasGrad[pool.Inputs[0].Index])
            {
                continue;
            }

            Node relu = pool.Inputs[0];
            if (relu.Op is not Ops.ReluOp || relu.IsInput || relu.Index <= stopIndex || options.RuleOf(relu) == BackwardRule.Gradient
                || _consumers[relu.Index] != 1 || _keep.Contains(relu) || !_needsGrad[relu.Inputs[0].Index] || _folds?[relu.Index] is not null)
            {
                continue;
            }

            plan[i] = relu;
        }

        return plan;
    }

    /// <summary>A max pool's paired rule through the ReLU before it, into the ReLU's input multipliers (<see cref="FuseReluMaxPool"/>).</summary>
    private void BackwardReluPool(int i, Node relu, BackwardOptions options)
    {
        long started = Profile ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        int src = relu.Inputs[0].Index;
        Tensor buffer = GradBuffer(src);
        bool overwrite = !_hasGrad[src]; // the first multipliers to reach the ReLU's input: written, no clearing pass
        _hasGrad[src] = true;
        BackwardContext ctx = _backward[i];
        ctx.InputArray[0] = _values[relu.Index]!;
        ctx.Output = _values[i]!;
        ctx.OutputGrad = _grads[i]!;
        ctx.ParameterGradients = false;
        ctx.Training = false;
        ctx.Rule = options.RuleOf(_nodes[i]);
        ctx.Pairs = options.Pairs;
        ctx.Workspace = _workspaces[i];
        ctx.Split = false;
        Ops.MaxPool1dOp.PairedBackwardThroughRelu(ctx, _values[src]!, buffer, overwrite);
        if (Profile)
        {
            BackwardTicks[i] += System.Diagnostics.Stopwatch.GetTimestamp() - started;
        }
    }

    /// <summary>
    /// Split pass, upward, of a folded convolution + batch-norm: <c>Δ⁺ = W'⁺∗Δ⁺in + W'⁻∗Δ⁻in</c>,
    /// <c>Δ⁻ = W'⁺∗Δ⁻in + W'⁻∗Δ⁺in</c> into the batch-norm's Δ buffers (the bias cancels), as <see cref="Ops.Conv1dOp.PropagateDeltas"/>.
    /// </summary>
    private void PropagateFolded(BatchNormFold fold, int i)
    {
        int src = fold.Conv.Inputs[0].Index;
        var g = (Kernels.Conv1dGeometry)_workspaces[fold.Conv.Index]!;
        (float[] wp, float[] wn) = fold.SplitWeights();
        float[] dp = _deltaPos[src]!.Data;
        float[] dn = _deltaNeg[src]!.Data;
        float[] outPos = _deltaPos[i]!.Data;
        float[] outNeg = _deltaNeg[i]!.Data;
        _foldScratch = Sized(_foldScratch, _shapes![i]);
        float[] tmp = _foldScratch.Data;
        Kernels.Conv1d.Forward(g, dp, wp, [], outPos);
        Kernels.Conv1d.Forward(g, dn, wn, [], tmp);
        System.Numerics.Tensors.TensorPrimitives.Add(outPos, tmp, outPos);
        Kernels.Conv1d.Forward(g, dn, wp, [], outNeg);
        Kernels.Conv1d.Forward(g, dp, wn, [], tmp);
        System.Numerics.Tensors.TensorPrimitives.Add(outNeg, tmp, outNeg);
    }

    /// <summary>Throws when <paramref name="node"/>'s value was folded away by <see cref="FoldBatchNorm"/> in the last forward.</summary>
    private void CheckNotFolded(Node node)
    {
        if (_folds?[node.Index] is BatchNormFold fold && (ReferenceEquals(fold.Conv, node) || (fold.Relu is not null && ReferenceEquals(fold.BatchNorm, node))))
        {
            throw new InvalidOperationException($"Node '{node.Name}' was folded into '{(fold.Relu ?? fold.BatchNorm).Name}' (FoldBatchNorm): it has no value or gradient; add it to KeepNodes.");
        }
    }

    /// <summary>Throws when <paramref name="node"/> is a ReLU whose multipliers the last backward never formed (<see cref="FuseReluMaxPool"/>).</summary>
    private void CheckNotFusedRelu(Node node)
    {
        if (_reluPool is not null && Array.FindIndex(_reluPool, r => ReferenceEquals(r, node)) is int pool and >= 0)
        {
            throw new InvalidOperationException($"Node '{node.Name}' ran inside the paired rule of '{_nodes[pool].Name}' (FuseReluMaxPool): it has no multipliers of its own; add it to KeepNodes.");
        }
    }

    /// <summary>Runs node i's backward into the input-gradient buffers already set in its context.</summary>
    private void RunNode(int i, BackwardOptions options, bool split)
    {
        Node node = _nodes[i];
        BackwardRule rule = options.RuleOf(node);
        if (!node.Op.SupportsRule(rule))
        {
            throw new NotSupportedException($"Node '{node.Name}' ({node.Op.Kind}) does not implement the {rule} rule.");
        }

        BackwardContext ctx = _backward[i];
        ctx.Output = _values[i]!;
        ctx.OutputGrad = _grads[i]!;
        ctx.ParameterGradients = options.ParameterGradients;
        ctx.Training = Training;
        ctx.Rule = rule;
        ctx.Pairs = options.Pairs;
        ctx.Workspace = _workspaces[i];
        ctx.Split = split;
        if (split)
        {
            PrepareSplitContext(i);
            ctx.OutputGradNeg = _gradsNeg[i]!;
            node.Op.BackwardSplit(ctx);
        }
        else
        {
            long started = Profile ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            if (!TrySparseConvBackward(node, ctx))
            {
                node.Op.Backward(ctx);
            }

            if (Profile)
            {
                BackwardTicks[i] += System.Diagnostics.Stopwatch.GetTimestamp() - started;
            }
        }
    }

    /// <summary>
    /// Input-only backward of a convolution through <see cref="SparseConvBackward"/> (the output gradients of attribution
    /// passes are mostly zeros behind a ReLU and a max pool); false when the ordinary backward must run.
    /// </summary>
    private static bool TrySparseConvBackward(Node node, BackwardContext ctx)
    {
        if (node.Op is not Ops.Conv1dOp conv || ctx.ParameterGradients || ctx.InputGrad(0) is not Tensor dx)
        {
            return false;
        }

        var g = (Kernels.Conv1dGeometry)ctx.Workspace!;
        if (!SparseConvBackward.Supported(g))
        {
            return false;
        }

        SparseConvBackward.BackwardInput(g, ctx.OutputGrad.Data, conv.Weight.Value.Data, dx.Data);
        return true;
    }

    /// <summary>Split pass, upward: Δ⁺ and Δ⁻ of every node (inputs: the sign split of x − x0 per pair).</summary>
    private void PropagateDeltas(BackwardOptions options)
    {
        for (int i = 0; i < _nodes.Length; i++)
        {
            Node node = _nodes[i];
            _deltaPos[i] = Sized(_deltaPos[i], _shapes![i]);
            _deltaNeg[i] = Sized(_deltaNeg[i], _shapes![i]);
            if (node.IsInput)
            {
                DeltaRules.SignSplit(_values[i]!, options.Pairs!, _deltaPos[i]!, _deltaNeg[i]!);
                continue;
            }

            if (_folds?[i] is BatchNormFold fold)
            {
                if (ReferenceEquals(fold.BatchNorm, node))
                {
                    PropagateFolded(fold, i);
                }

                continue; // the folded convolution has no Δ of its own
            }

            BackwardContext ctx = _backward[i];
            for (int j = 0; j < node.Inputs.Count; j++)
            {
                ctx.InputArray[j] = _values[node.Inputs[j].Index]!;
            }

            ctx.Output = _values[i]!;
            ctx.Rule = options.RuleOf(node);
            ctx.Pairs = options.Pairs;
            ctx.Workspace = _workspaces[i];
            ctx.Training = Training;
            ctx.Split = true;
            PrepareSplitContext(i);
            node.Op.PropagateDeltas(ctx);
        }
    }

    private void PrepareSplitContext(int i)
    {
        Node node = _nodes[i];
        BackwardContext ctx = _backward[i];
        if (ctx.ScratchArray.Length != node.Inputs.Count)
        {
            ctx.ScratchArray = new Tensor[node.Inputs.Count];
            ctx.InputDeltaPosArray = new Tensor[node.Inputs.Count];
            ctx.InputDeltaNegArray = new Tensor[node.Inputs.Count];
        }

        for (int j = 0; j < node.Inputs.Count; j++)
        {
            int src = node.Inputs[j].Index;
            ctx.ScratchArray[j] = Sized(ctx.ScratchArray[j], _shapes![src]);
            ctx.InputDeltaPosArray[j] = _deltaPos[src]!;
            ctx.InputDeltaNegArray[j] = _deltaNeg[src]!;
        }

        ctx.OutputScratch = Sized(ctx.OutputScratch, _shapes![i]);
        ctx.OutputDeltaPos = _deltaPos[i]!;
        ctx.OutputDeltaNeg = _deltaNeg[i]!;
    }

    private static Tensor Sized(Tensor? t, int[] shape)
        => t is not null && t.Shape.AsSpan().SequenceEqual(shape) ? t : new Tensor(shape);

    /// <summary>
    /// The difference from reference of node <paramref name="name"/> after a DeepLIFT backward: row r holds
    /// <c>v[InputRow[r]] − v[ReferenceRow[r]]</c> (zero in rows without a pair). In the split pass this is Δ⁺ + Δ⁻.
    /// </summary>
    public Tensor Delta(string name) => Delta(Graph[name]);

    /// <summary>The difference from reference of <paramref name="node"/>; see <see cref="Delta(string)"/>.</summary>
    public Tensor Delta(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckNotFolded(node);
        RowPairs pairs = _lastOptions?.Pairs ?? throw new InvalidOperationException("Delta needs a backward pass with RowPairs first.");
        var pos = new Tensor(_values[node.Index]!.Shape);
        var neg = new Tensor(pos.Shape);
        if (_lastSplit)
        {
            _deltaPos[node.Index]!.Data.CopyTo(pos.Data, 0);
            System.Numerics.Tensors.TensorPrimitives.Add(pos.Data, _deltaNeg[node.Index]!.Data, pos.Data);
            return pos;
        }

        DeltaRules.SignSplit(_values[node.Index]!, pairs, pos, neg);
        System.Numerics.Tensors.TensorPrimitives.Add(pos.Data, neg.Data, pos.Data);
        return pos;
    }

    /// <summary>
    /// Summation-to-delta of one node after a DeepLIFT backward (the completeness audit): re-runs the node's rule alone
    /// from its final output multipliers and returns, per batch row, Σ m_out·Δout and Σ over inputs of m_in·Δin (the node's
    /// own share of the input multipliers), accumulated in double. In the split pass both use Σ m⁺Δ⁺ + m⁻Δ⁻.
    /// </summary>
    public NodeConservation Conservation(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckNotFusedRelu(node);
        if (_folds?[node.Index] is BatchNormFold fold)
        {
            // The batch-norm's own rule would need its input (the convolution's value), which a fold never computes.
            throw new InvalidOperationException($"Node '{node.Name}' belongs to the folded pair '{fold.Conv.Name}' → '{fold.BatchNorm.Name}' (FoldBatchNorm): its own summation-to-delta needs the unfolded pass.");
        }
        BackwardOptions options = _lastOptions ?? throw new InvalidOperationException("Conservation needs a backward pass first.");
        RowPairs pairs = options.Pairs ?? throw new InvalidOperationException("Conservation needs a DeepLIFT backward (with RowPairs).");
        int i = node.Index;
        int batch = pairs.BatchSize;
        var outgoing = new double[batch];
        var incoming = new double[batch];
        var magnitude = new double[batch];
        if (node.IsInput || !_hasGrad[i])
        {
            return new NodeConservation(node, outgoing, incoming, magnitude);
        }

        AccumulateContribution(i, _grads[i]!, _lastSplit ? _gradsNeg[i] : null, batch, outgoing, magnitude);
        BackwardContext ctx = _backward[i];
        var grads = new Tensor?[node.Inputs.Count];
        var gradsNeg = new Tensor?[node.Inputs.Count];
        for (int j = 0; j < node.Inputs.Count; j++)
        {
            int src = node.Inputs[j].Index;
            ctx.InputArray[j] = _values[src]!;
            grads[j] = new Tensor(_shapes![src]);
            gradsNeg[j] = _lastSplit ? new Tensor(_shapes![src]) : null;
            ctx.InputGradArray[j] = grads[j];
            ctx.InputGradNegArray[j] = gradsNeg[j];
        }

        RunNode(i, options with { ParameterGradients = false }, _lastSplit);
        for (int j = 0; j < node.Inputs.Count; j++)
        {
            AccumulateContribution(node.Inputs[j].Index, grads[j]!, gradsNeg[j], batch, incoming, magnitude);
        }

        return new NodeConservation(node, outgoing, incoming, magnitude);
    }

    private void AccumulateContribution(int index, Tensor m, Tensor? mNeg, int batch, double[] sums, double[] magnitude)
    {
        Tensor pos;
        Tensor neg;
        if (_lastSplit)
        {
            pos = _deltaPos[index]!;
            neg = _deltaNeg[index]!;
        }
        else
        {
            pos = new Tensor(_values[index]!.Shape);
            neg = new Tensor(pos.Shape);
            DeltaRules.SignSplit(_values[index]!, _lastOptions!.Pairs!, pos, neg);
        }

        int rowLength = m.Length / batch;
        for (int r = 0; r < batch; r++)
        {
            double s = 0;
            double a = 0;
            for (int k = r * rowLength; k < (r + 1) * rowLength; k++)
            {
                double c = ((double)m.Data[k] * pos.Data[k]) + ((double)(mNeg ?? m).Data[k] * neg.Data[k]);
                s += c;
                a += Math.Abs(c);
            }

            sums[r] += s;
            magnitude[r] += a;
        }
    }

    /// <summary>Split pass: the m⁻ multiplier at node <paramref name="node"/> from the last backward, or null.</summary>
    public Tensor? GradientNeg(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return _lastSplit && _hasGrad[node.Index] ? _gradsNeg[node.Index] : null;
    }

    /// <summary>True when the last backward ran the split (RevealCancel) pass.</summary>
    public bool LastBackwardSplit => _lastSplit;

    /// <summary>The value of node <paramref name="name"/> from the last forward pass.</summary>
    public Tensor Value(string name) => Value(Graph[name]);

    /// <summary>The value of <paramref name="node"/> from the last forward pass.</summary>
    public Tensor Value(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckNotFolded(node);
        return _values[node.Index] ?? throw new InvalidOperationException("No forward pass has run yet.");
    }

    /// <summary>The gradient (or multiplier) at node <paramref name="name"/> from the last backward pass; null when none reached it.</summary>
    public Tensor? Gradient(string name) => Gradient(Graph[name]);

    /// <summary>The gradient at <paramref name="node"/> from the last backward pass; null when none reached it.</summary>
    public Tensor? Gradient(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckNotFolded(node);
        CheckNotFusedRelu(node);
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

    private Tensor GradNegBuffer(int index)
    {
        Tensor? g = _gradsNeg[index];
        if (g is null || !g.Shape.AsSpan().SequenceEqual(_shapes![index]))
        {
            g = new Tensor(_shapes![index]);
            _gradsNeg[index] = g;
        }

        return g;
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
        Array.Clear(_gradsNeg);
        Array.Clear(_hasGrad);
    }
}
