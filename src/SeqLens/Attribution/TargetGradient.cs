using SeqLens.Graphs;

namespace SeqLens.Attribution;

/// <summary>Gradient of a target's score with respect to the single graph input, batch by batch (shared by the gradient methods).</summary>
internal sealed class TargetGradient
{
    private readonly Executor _executor;
    private readonly Node _seedNode;
    private readonly float[] _weights;

    public TargetGradient(Graph graph, AttributionTarget target)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(target);
        if (graph.Inputs.Count != 1)
        {
            throw new ArgumentException($"Gradient attribution needs a model with one input; this one has {graph.Inputs.Count}.", nameof(graph));
        }

        Graph = graph;
        _executor = new Executor(graph);
        (_seedNode, _weights) = target.Resolve(graph);
        ModelHash = Attribution.ModelHash.Compute(graph);
    }

    public Graph Graph { get; }

    /// <summary>
    /// <paramref name="cached"/> when it explains the same node with the same weights as <paramref name="target"/> (its
    /// executor keeps its buffers, so repeated calls allocate nothing new; the model hash is recomputed, since parameters
    /// may change in place between calls); else a new one.
    /// </summary>
    public static TargetGradient Reuse(TargetGradient? cached, Graph graph, AttributionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (cached is not null && ReferenceEquals(cached.Graph, graph))
        {
            (Node node, float[] weights) = target.Resolve(graph);
            if (ReferenceEquals(node, cached._seedNode) && weights.AsSpan().SequenceEqual(cached._weights))
            {
                cached.ModelHash = Attribution.ModelHash.Compute(graph);
                return cached;
            }
        }

        return new TargetGradient(graph, target);
    }

    /// <summary>The executor of <see cref="Gradient"/>.</summary>
    public Executor Main => _executor;

    /// <summary>
    /// Runs the executor with evaluation batch-norms folded into their convolutions (<see cref="Executor.FoldBatchNorm"/>)
    /// and ReLUs fused into the GEMM epilogue; the target node and <paramref name="keep"/> stay observable. Only for callers
    /// that read nothing but the target's value and the input gradient (and the kept nodes).
    /// </summary>
    public void FoldBatchNorms(params Node[] keep)
    {
        _executor.KeepNodes = new HashSet<Node>(keep) { _seedNode };
        _executor.FoldBatchNorm = true;
        _executor.FuseRelu = true;
    }

    /// <summary>The node whose weighted value is the target score.</summary>
    public Node SeedNode => _seedNode;

    /// <summary>Seed gradient for <paramref name="executor"/>'s last forward: the target weights in the first <paramref name="seededRows"/> rows.</summary>
    public Tensor Seed(Executor executor, int seededRows)
    {
        ArgumentNullException.ThrowIfNull(executor);
        Tensor value = executor.Value(_seedNode);
        if (_seed is null || !_seed.SameShape(value) || _seededRows != seededRows)
        {
            _seed = new Tensor(value.Shape);
            for (int r = 0; r < seededRows; r++)
            {
                _weights.CopyTo(_seed.Data.AsSpan(r * _weights.Length, _weights.Length));
            }

            _seededRows = seededRows;
        }

        return _seed;
    }

    /// <summary>Target scores Σ w·v per row of <paramref name="executor"/>'s last forward (double).</summary>
    public double[] ScoresOf(Executor executor, int rows)
    {
        ArgumentNullException.ThrowIfNull(executor);
        Tensor value = executor.Value(_seedNode);
        var scores = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int k = 0; k < _weights.Length; k++)
            {
                s += (double)_weights[k] * value.Data[(r * _weights.Length) + k];
            }

            scores[r] = s;
        }

        return scores;
    }

    private Tensor? _seed;
    private int _seededRows;

    public string ModelHash { get; private set; }

    public void CheckInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int[] expected = Graph.Inputs[0].SampleShape;
        if (x.Rank != expected.Length + 1 || !x.Shape.AsSpan(1).SequenceEqual(expected) || x.Shape[0] == 0)
        {
            throw new ArgumentException($"The model expects input (N ≥ 1, {string.Join(", ", expected)}); got {Tensor.FormatShape(x.Shape)}.", nameof(x));
        }
    }

    /// <summary>Target scores Σ w·v per row (double).</summary>
    public double[] Scores(Tensor batch)
    {
        _executor.Forward(batch);
        return ScoresOfLastForward(batch.Shape[0]);
    }

    /// <summary>
    /// Writes d(score)/d(input) of the first <paramref name="seededRows"/> rows (default all) into <paramref name="gradient"/>
    /// (same shape as the batch; other rows get zero); returns the scores of every row.
    /// </summary>
    public double[] Gradient(Tensor batch, Tensor gradient, int seededRows = -1)
    {
        seededRows = seededRows < 0 ? batch.Shape[0] : seededRows;
        _executor.Forward(batch);
        double[] scores = ScoresOfLastForward(batch.Shape[0]);
        Tensor value = _executor.Value(_seedNode);
        var seed = new Tensor(value.Shape);
        for (int r = 0; r < seededRows; r++)
        {
            _weights.CopyTo(seed.Data.AsSpan(r * _weights.Length, _weights.Length));
        }

        _executor.Backward(_seedNode, seed, BackwardOptions.InputOnly);
        Tensor? g = _executor.Gradient(Graph.Inputs[0]);
        if (g is null)
        {
            Array.Clear(gradient.Data);
        }
        else
        {
            g.Data.CopyTo(gradient.Data, 0);
        }

        return scores;
    }

    private double[] ScoresOfLastForward(int rows) => ScoresOf(_executor, rows);
}
