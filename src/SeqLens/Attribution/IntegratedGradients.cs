using System.Numerics;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Kernels;

namespace SeqLens.Attribution;

/// <summary>
/// Integrated gradients (Sundararajan et al. 2017): <c>IG(x) = (x − x0)·Σ_k w_k ∇f(x0 + α_k(x − x0))</c> with the quadrature
/// of <see cref="Method"/> over <see cref="Steps"/> points; with several baselines per sequence the scores are averaged.
/// <c>new IntegratedGradients(graph) { Steps = 50 }.Attribute(x, AttributionReferences.Zeros(), target)</c>.
/// </summary>
/// <remarks>
/// <para>Every (sequence, baseline) carries its completeness delta <c>Σ IG − (f(x) − f(x0))</c>, which shrinks with the
/// steps (it is a quadrature error, so the audit names no node).</para>
/// <para>Linear first layer: when the input feeds a single <see cref="Conv1dOp"/> (and nothing else), optionally followed by
/// an evaluation-mode <see cref="BatchNorm1dOp"/> (folded in: its scale multiplies the summed gradient), its output along
/// the path is linear in α, <c>conv(x0 + α(x − x0)) = z0 + α(z1 − z0)</c> with <c>z1 = conv(x)</c> and <c>z0 = conv(x0)</c>
/// (the first convolution of the two rows, once; the scores f(x) and f(x0) come from two extra rows α = 1 and α = 0 with
/// weight 0 among the steps), and its input gradient is linear too:
/// <c>Σ_k w_k·Wᵀg_k = Wᵀ(Σ_k w_k·g_k)</c>. So the steps run the rest of the network from the blended pre-activations and
/// one transposed convolution of the weighted sum (accumulated in double, in step order) gives the integral. Exact up
/// to float rounding; independent of <see cref="BatchSize"/> and the thread count. A ReLU right after that layer is
/// applied while blending, and its mask while accumulating (the same floats as running the node).</para>
/// <para>Piecewise second layer: when that layer (and its ReLU) is followed by an optional max-pool and a second convolution,
/// that convolution's input is piecewise linear in α, with few breakpoints, so its output and its input-gradient sum are
/// computed in closed form between breakpoints instead of step by step (<see cref="PiecewiseSecondLayer"/>): about two dense
/// convolutions plus a sparse update per breakpoint instead of two per step. Equal to the step-by-step path up to float
/// rounding, with the same gradient routing; sequences with too many breakpoints take the step-by-step path.</para>
/// <para>An instance keeps its executor and buffers between calls with the same target (no new allocations per call); do not
/// call one instance from two threads at once.</para>
/// <para>The executor folds the remaining evaluation batch-norms into the convolutions before them and runs the ReLUs after
/// those in the GEMM epilogue (<see cref="Executor.FoldBatchNorm"/>): equal to the unfolded network up to float rounding.</para>
/// </remarks>
/// <param name="graph">The model (one input).</param>
public sealed class IntegratedGradients(Graph graph)
{
    /// <summary>Quadrature points (default 50).</summary>
    public int Steps { get; init; } = 50;

    /// <summary>Quadrature (default Gauss–Legendre, as captum).</summary>
    public IntegrationMethod Method { get; init; } = IntegrationMethod.GaussLegendre;

    /// <summary>Rows per batch (default 64).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Completeness tolerance relative to |f(x) − f(x0)| (default 1e-2: quadrature error, not a rule error).</summary>
    public double RelativeTolerance { get; init; } = 1e-2;

    /// <summary>Use the linear-first-layer path when the model allows it (default true; false forces the plain path, for tests).</summary>
    internal bool LinearFirstLayer { get; init; } = true;

    /// <summary>
    /// Layer fusion (default true; false runs every node as it is, for tests and A/B): evaluation batch-norms folded into the
    /// convolutions before them with the ReLUs after them in the GEMM epilogue (<see cref="Executor.FoldBatchNorm"/>), and the
    /// ReLU after the linear first layer applied while blending.
    /// </summary>
    internal bool Fusion { get; init; } = true;

    /// <summary>
    /// With <see cref="Fusion"/> on the linear path: the second convolution (after the first layer's ReLU and max-pool) in
    /// closed form between breakpoints (<see cref="PiecewiseSecondLayer"/>; default true; false for tests and A/B).
    /// </summary>
    internal bool PiecewiseSecondConvolution { get; init; } = true;

    /// <summary>Breakpoints per element and step above which a sequence falls back to the step-by-step path (tests set 0).</summary>
    internal double BreakpointBudget { get; init; } = 1.0 / 12;

    /// <summary>Breakpoints of the second layer's pieces over the last call (0 when that path did not run), for tests and benchmarks.</summary>
    internal long LastBreakpoints { get; private set; }

    /// <summary>Sequences of the last call that fell back from the piecewise second layer to the step-by-step path.</summary>
    internal int LastFallbacks { get; private set; }

    private TargetGradient? _cached;
    private LinearPath? _linear;

    /// <summary>Scores of <paramref name="x"/> against <paramref name="baselines"/> (any reference set; R per sequence).</summary>
    public AttributionResult Attribute(Tensor x, AttributionReferences baselines, AttributionTarget target)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        TargetGradient tg = TargetGradient.Reuse(_cached, graph, target);
        tg.CheckInput(x);
        (double[] alphas, double[] weights) = IntegrationPoints.Get(Method, Steps);
        int n = x.Shape[0];
        int channels = x.Shape[1];
        int sample = x.Length / n;
        int refs = baselines.Count;
        int pairs = n * refs;
        var result = new Tensor(x.Shape);
        var deltas = new double[pairs];
        var targetDeltas = new double[pairs];
        var x0 = new float[sample];
        var integral = new double[sample];
        int pointsPerBatch = Math.Max(2, BatchSize);
        (Node Conv, Node Head, Node? Relu)? head = LinearFirstLayer ? LinearHead(tg, Fusion) : null;
        LinearPath? linear = null;
        if (head is not null)
        {
            // The path object keeps its buffers (and the executor its own) for the next call with the same target.
            linear = ReferenceEquals(tg, _cached) && _linear is not null ? _linear : null;
            if (linear is null)
            {
                PiecewiseSecondLayer? second = Fusion && PiecewiseSecondConvolution ? PiecewiseSecondLayer.TryCreate(tg, head.Value.Conv, head.Value.Head, head.Value.Relu) : null;
                linear = new LinearPath(tg, head.Value.Conv, head.Value.Head, head.Value.Relu, second, x.Shape, alphas, weights, BatchSize, BreakpointBudget);
            }

            linear.Refresh();
        }

        _cached = tg;
        _linear = linear;
        if (Fusion)
        {
            tg.FoldBatchNorms(linear?.Kept ?? []);
        }

        LastBreakpoints = 0;
        LastFallbacks = 0;
        for (int p = 0; p < pairs; p++)
        {
            int seq = p / refs;
            ReadOnlySpan<float> xs = x.Data.AsSpan(seq * sample, sample);
            baselines.Fill(xs, channels, seq, p % refs, x0);
            Array.Clear(integral);
            double[] f = [0, 0];
            if (linear is not null)
            {
                f = linear.Integrate(xs, x0, integral);
                LastBreakpoints += linear.Breakpoints;
                LastFallbacks += linear.FellBack ? 1 : 0;
            }
            else
            {
                // NOTE: x and x0 ride in the last batch (unseeded rows) so f(x) − f(x0) costs no extra pass and the executor
                // keeps one batch shape.
                int total = Steps + 2;
                for (int first = 0, count; first < total; first += count)
                {
                    count = Math.Min(pointsPerBatch, total - first);
                    if (total - (first + count) is 1)
                    {
                        count--; // keep x and x0 together in the last batch
                    }

                    int steps = Math.Max(0, Math.Min(count, Steps - first));
                    var batch = new Tensor([count, .. x.Shape[1..]]);
                    for (int k = 0; k < count; k++)
                    {
                        int point = first + k;
                        Span<float> row = batch.Data.AsSpan(k * sample, sample);
                        if (point == Steps)
                        {
                            xs.CopyTo(row);
                            continue;
                        }

                        if (point == Steps + 1)
                        {
                            x0.CopyTo(row);
                            continue;
                        }

                        float alpha = (float)alphas[point];
                        for (int e = 0; e < sample; e++)
                        {
                            row[e] = x0[e] + (alpha * (xs[e] - x0[e]));
                        }
                    }

                    var g = new Tensor(batch.Shape);
                    double[] scores = tg.Gradient(batch, g, steps);
                    for (int k = 0; k < steps; k++)
                    {
                        double wk = weights[first + k];
                        for (int e = 0; e < sample; e++)
                        {
                            integral[e] += wk * g.Data[(k * sample) + e];
                        }
                    }

                    for (int k = steps; k < count; k++)
                    {
                        f[first + k - Steps] = scores[k];
                    }
                }
            }

            double sum = 0;
            for (int e = 0; e < sample; e++)
            {
                double c = (xs[e] - x0[e]) * integral[e];
                sum += c;
                result.Data[(seq * sample) + e] += (float)(c / refs);
            }

            targetDeltas[p] = f[0] - f[1];
            deltas[p] = sum - targetDeltas[p];
        }

        int failed = 0;
        int firstFailed = -1;
        double max = 0;
        for (int p = 0; p < pairs; p++)
        {
            max = Math.Max(max, Math.Abs(deltas[p]));
            if (Math.Abs(deltas[p]) > (RelativeTolerance * Math.Abs(targetDeltas[p])) + 1e-5)
            {
                failed++;
                firstFailed = firstFailed < 0 ? p : firstFailed;
            }
        }

        return new AttributionResult
        {
            Contributions = result,
            Deltas = deltas,
            TargetDeltas = targetDeltas,
            ReferencesPerSequence = refs,
            Method = "ig",
            Rule = Method.ToString() + " x" + Steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            References = baselines.Description,
            Seed = baselines.Seed,
            ModelHash = tg.ModelHash,
            Target = target.Description,
            Audit = new CompletenessReport(max, RelativeTolerance, 1e-5, failed, firstFailed < 0 ? -1 : firstFailed / refs, firstFailed < 0 ? -1 : firstFailed % refs, null, 0),
        };
    }

    /// <summary>
    /// The first layer when it is a convolution fed by the input alone (see the remarks), extended through a following
    /// evaluation-mode batch-norm (an affine map per channel) when the convolution feeds only that; else null. Relu: the
    /// ReLU that comes right after the head and alone consumes it (applied while blending, its mask while accumulating), or null.
    /// </summary>
    private static (Node Conv, Node Head, Node? Relu)? LinearHead(TargetGradient tg, bool fuseRelu)
    {
        Graph g = tg.Graph;
        Node input = g.Inputs[0];
        Node[] consumers = Consumers(g, input);
        if (consumers.Length != 1 || consumers[0].Op is not Conv1dOp || consumers[0].Inputs.Count != 1 || tg.SeedNode.Index <= consumers[0].Index)
        {
            return null;
        }

        // Every node before the convolution must be the input itself, so stopping the backward above it skips nothing else.
        Node conv = consumers[0];
        if (!g.Nodes.Take(conv.Index).All(n => ReferenceEquals(n, input)))
        {
            return null;
        }

        Node[] next = Consumers(g, conv);
        bool bn = next.Length == 1 && next[0].Op is BatchNorm1dOp && next[0].Index == conv.Index + 1 && tg.SeedNode.Index > next[0].Index && !tg.Main.Training;
        Node head = bn ? next[0] : conv;
        Node[] after = Consumers(g, head);
        bool relu = fuseRelu && after.Length == 1 && after[0].Op is ReluOp && after[0].Index == head.Index + 1 && tg.SeedNode.Index > after[0].Index
            && !g.Outputs.Any(o => ReferenceEquals(o.Node, head));
        return (conv, head, relu ? after[0] : null);
    }

    private static Node[] Consumers(Graph g, Node node) => g.Nodes.Where(n => n.Inputs.Contains(node)).ToArray();

    /// <summary>The path integral with a linear first layer: endpoints once, blended pre-activations, one transposed convolution.</summary>
    private sealed class LinearPath
    {
        private readonly TargetGradient _tg;
        private readonly Node _head;
        private readonly Node? _relu;
        private readonly PiecewiseSecondLayer? _second;
        private readonly double _budget;
        private readonly Conv1dOp _op;
        private readonly float[] _channelScale;
        private readonly float[] _channelShift;
        private readonly double[] _alphas;
        private readonly double[] _weights;
        private readonly int _batch;
        private readonly int _sample;
        private readonly int[] _shape;
        private readonly float[] _ends;
        private readonly float[] _heads;
        private readonly Dictionary<int, Tensor> _dummies = [];
        private readonly float[] _z0;
        private readonly float[] _dz;
        private readonly double[] _sum;
        private readonly float[] _sumFloat;
        private readonly float[] _inputGrad;
        private readonly Conv1dGeometry _geometry;

        public LinearPath(TargetGradient tg, Node conv, Node head, Node? relu, PiecewiseSecondLayer? second, int[] shape, double[] alphas, double[] weights, int batch, double budget)
        {
            _budget = budget;
            _tg = tg;
            _head = head;
            _relu = relu;
            _second = second;
            _op = (Conv1dOp)conv.Op;
            _channelScale = new float[_op.OutChannels];
            _channelShift = new float[_op.OutChannels];

            // The path's endpoints ride in the steps as α = 0 (first row) and α = 1 (last row) with weight 0: their
            // scores are f(x0) and f(x), so no separate forward pass of the whole network is needed for them.
            _alphas = [0.0, .. alphas, 1.0];
            _weights = [0.0, .. weights, 0.0];
            _batch = batch;
            _shape = shape;
            _sample = shape[1] * shape[2];
            _ends = new float[2 * _sample];
            int z = conv.SampleShape.Aggregate(1, (a, b) => a * b);
            _heads = new float[2 * z];
            _z0 = new float[z];
            _dz = new float[z];
            _sum = new double[z];
            _sumFloat = new float[z];
            _inputGrad = new float[_sample];
            _geometry = _op.Geometry(1, shape[2]);
        }

        /// <summary>
        /// Nodes the executor must keep unfolded: the head (the steps are filled there or after it) and the second convolution
        /// when it runs in closed form (its value is filled by the piecewise layer).
        /// </summary>
        public Node[] Kept => _second is null ? [_head] : [_head, _second.Conv];

        /// <summary>Breakpoints of the last sequence's piecewise second layer (0 when it did not run).</summary>
        public int Breakpoints { get; private set; }

        /// <summary>True when the last sequence fell back from the piecewise second layer to the step-by-step path.</summary>
        public bool FellBack { get; private set; }

        /// <summary>Reads the parameters that may have changed in place since the last call.</summary>
        public void Refresh()
        {
            for (int c = 0; c < _channelScale.Length; c++)
            {
                // The batch-norm's own scale and shift (1 and 0 without a batch-norm).
                (_channelScale[c], _channelShift[c]) = _head.Op is BatchNorm1dOp bn ? bn.EvaluationAffine(c) : (1f, 0f);
            }

            _second?.Refresh();
        }

        /// <summary>Adds Σ_k w_k ∇f(x_k) into <paramref name="integral"/>; returns [f(x), f(x0)].</summary>
        public double[] Integrate(ReadOnlySpan<float> xs, float[] x0, double[] integral)
        {
            // The head's values at x and x0: the first convolution (and the batch-norm's affine map) of the two rows.
            xs.CopyTo(_ends.AsSpan(0, _sample));
            x0.CopyTo(_ends.AsSpan(_sample, _sample));
            Array.Clear(_heads);
            Conv1d.Forward(_geometry with { Batch = 2 }, _ends, _op.Weight.Value.Data, _op.Bias is null ? [] : _op.Bias.Value.Data, _heads);
            int n = _z0.Length;
            int channelLength = n / _channelScale.Length;
            if (_head.Op is BatchNorm1dOp)
            {
                for (int row = 0; row < 2; row++)
                {
                    for (int c = 0; c < _channelScale.Length; c++)
                    {
                        Span<float> v = _heads.AsSpan((row * n) + (c * channelLength), channelLength);
                        float scale = _channelScale[c];
                        float shift = _channelShift[c];
                        for (int e = 0; e < v.Length; e++)
                        {
                            v[e] = (v[e] * scale) + shift; // as the batch-norm's evaluation forward: multiply, then add
                        }
                    }
                }
            }

            _heads.AsSpan(n, n).CopyTo(_z0);
            System.Numerics.Tensors.TensorPrimitives.Subtract(_heads.AsSpan(0, n), _z0, _dz);
            double[] f = [0, 0];
            Array.Clear(_sum);
            int steps = _alphas.Length;
            Executor main = _tg.Main;
            bool piecewise = _second is not null && _second.Begin(_z0, _dz, _alphas, _budget);
            Breakpoints = piecewise ? _second!.Breakpoints : 0;
            FellBack = _second is not null && !piecewise;
            for (int first = 0; first < steps; first += _batch)
            {
                int count = Math.Min(_batch, steps - first);
                if (!_dummies.TryGetValue(count, out Tensor? dummy))
                {
                    dummy = new Tensor([count, .. _shape[1..]]);
                    _dummies[count] = dummy;
                }

                int from = first;
                if (piecewise)
                {
                    // The second convolution's output in closed form; the backward stops there and the breakpoints route it.
                    main.ForwardReplacing(dummy, _second!.Conv, t => _second.Fill(t, from, count));
                    Endpoints(f, first, count);
                    main.BackwardAbove(_tg.SeedNode, _tg.Seed(main, count), BackwardOptions.InputOnly, _second.Conv);
                    _second.Accumulate(main.Gradient(_second.Conv)!.Data, first, count, _weights, _sum);
                    continue;
                }

                // With a ReLU after the head, the blend applies it and the accumulation its mask (the same floats as running it).
                Node filled = _relu ?? _head;
                main.ForwardReplacing(dummy, filled, t => Blend(t, from, count));
                Endpoints(f, first, count);
                main.BackwardAbove(_tg.SeedNode, _tg.Seed(main, count), BackwardOptions.InputOnly, filled);
                Accumulate(main.Gradient(filled)!.Data, _relu is null ? null : main.Value(_relu).Data, first, count);
            }

            int length = n / _channelScale.Length;
            for (int e = 0; e < n; e++)
            {
                _sumFloat[e] = (float)_sum[e] * _channelScale[e / length];
            }

            Array.Clear(_inputGrad);
            Conv1d.BackwardInput(_geometry, _sumFloat, _op.Weight.Value.Data, _inputGrad);
            for (int e = 0; e < _sample; e++)
            {
                integral[e] += _inputGrad[e];
            }

            return f;
        }

        /// <summary>f(x) (the last step, α = 1) and f(x0) (the first, α = 0) when the batch holds them: into f[0] and f[1].</summary>
        private void Endpoints(double[] f, int first, int count)
        {
            int last = _alphas.Length - 1;
            if (first == 0 || first + count > last)
            {
                double[] scores = _tg.ScoresOf(_tg.Main, count);
                if (first == 0)
                {
                    f[1] = scores[0];
                }

                if (first + count > last)
                {
                    f[0] = scores[last - first];
                }
            }
        }

        /// <summary>Row k of the batch: <c>z0 + α_k·(z1 − z0)</c>, through max(·, 0) when a ReLU follows the head.</summary>
        private void Blend(Tensor t, int first, int count)
        {
            // NOTE: on the kernel workers (RowParallel), not the thread pool: a pool thread would compete with a kernel
            // worker still spinning after the previous GEMM on a 2-core machine.
            var body = new BlendRows(this, t.Data, first);
            RowParallel.For(count, _z0.Length, ref body);
        }

        private readonly struct BlendRows(LinearPath path, float[] data, int first) : IRowBody
        {
            public void Run(int firstRow, int end)
            {
                for (int k = firstRow; k < end; k++)
                {
                    path.BlendRow(data, first, k);
                }
            }
        }

        private void BlendRow(float[] data, int first, int k)
        {
            // NOTE: vector multiply then add (never fused): the same floats as the scalar z0 + α·dz; the ReLU as a
            // branch-free select (x > 0 ? x : +0, as the ReLU node for every non-NaN value).
            int n = _z0.Length;
            bool relu = _relu is not null;
            float alpha = (float)_alphas[first + k];
            Span<float> row = data.AsSpan(k * n, n);
            var va = new Vector<float>(alpha);
            int width = Vector<float>.Count;
            int e = 0;
            for (; e + width <= n; e += width)
            {
                Vector<float> v = new Vector<float>(_z0, e) + (va * new Vector<float>(_dz, e));
                if (relu)
                {
                    v = Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, Vector<float>.Zero);
                }

                v.CopyTo(row[e..]);
            }

            for (; e < n; e++)
            {
                float v = _z0[e] + (alpha * _dz[e]);
                row[e] = relu ? (v > 0f ? v : 0f) : v;
            }
        }

        /// <summary>
        /// Σ_k w_k·g_k in double, in step order for every element (deterministic, split over element blocks); with
        /// <paramref name="mask"/> (the ReLU's output) only where it is positive, as the ReLU's backward would pass.
        /// </summary>
        private void Accumulate(float[] g, float[]? mask, int first, int count)
        {
            var body = new AccumulateRows(this, g, mask, first, count);
            RowParallel.For((_z0.Length + AccumulateBlock - 1) / AccumulateBlock, (long)AccumulateBlock * count, ref body);
        }

        private const int AccumulateBlock = 4096;

        private readonly struct AccumulateRows(LinearPath path, float[] g, float[]? mask, int first, int count) : IRowBody
        {
            public void Run(int firstBlock, int end)
            {
                for (int bi = firstBlock; bi < end; bi++)
                {
                    path.AccumulateElements(g, mask, first, count, bi);
                }
            }
        }

        private void AccumulateElements(float[] g, float[]? mask, int first, int count, int bi)
        {
            int n = _z0.Length;
            int e0 = bi * AccumulateBlock;
            int e1 = Math.Min(n, e0 + AccumulateBlock);
            int width = Vector<float>.Count;
            for (int k = 0; k < count; k++)
            {
                // NOTE: vector widen, multiply, then add in double (never fused): the same doubles as the scalar
                // sum += w·g; masked entries add +0, which leaves every sum unchanged.
                double w = _weights[first + k];
                var vw = new Vector<double>(w);
                int o = k * n;
                int e = e0;
                for (; e + width <= e1; e += width)
                {
                    var gv = new Vector<float>(g, o + e);
                    if (mask is not null)
                    {
                        gv = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(mask, o + e), Vector<float>.Zero), gv, Vector<float>.Zero);
                    }

                    Vector.Widen(gv, out Vector<double> lo, out Vector<double> hi);
                    int half = e + (width / 2);
                    (new Vector<double>(_sum, e) + (vw * lo)).CopyTo(_sum, e);
                    (new Vector<double>(_sum, half) + (vw * hi)).CopyTo(_sum, half);
                }

                for (; e < e1; e++)
                {
                    _sum[e] += mask is null || mask[o + e] > 0f ? w * g[o + e] : 0.0;
                }
            }
        }
    }
}
