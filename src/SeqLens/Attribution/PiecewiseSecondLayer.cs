using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Kernels;

namespace SeqLens.Attribution;

/// <summary>
/// Integrated gradients' second convolution in closed form between breakpoints. Along the path the first layer's output
/// is <c>z(α) = z0 + α·dz</c> (the linear path of <see cref="IntegratedGradients"/>). After an optional ReLU and an optional
/// max-pool, every element of the second convolution's input is one window member's line or zero:
/// <c>u_e(α) = a_e + α·b_e</c> with <c>(a_e, b_e) = (z0_j, dz_j)</c> of the selected member j, or (0, 0) where the ReLU is
/// closed. That selection (the element's <i>piece</i>) changes at few steps (breakpoints), so:
/// <list type="bullet">
/// <item>forward: <c>y(α_k) = bias + A_k + α_k·B_k</c> with <c>A = W∗a</c>, <c>B = W∗b</c> (double), computed densely at the
/// first step and then updated by scattering <c>W[:, c, :]·Δa</c>, <c>W[:, c, :]·Δb</c> for each element whose piece
/// changed;</item>
/// <item>backward: the gradient sum <c>Σ_k w_k·route_k(Wᵀg_k)</c> at the first layer's output. Over an interval of steps
/// with a constant piece the routing is fixed, so the element needs only <c>(Wᵀ(G_{k2} − G_{k1−1}))_e</c> with
/// <c>G_k = Σ_{i≤k} w_i·g_i</c> (double): a dot product at each breakpoint and one dense transposed convolution of the
/// final G.</item>
/// </list>
/// Instead of a dense convolution and its transpose per step (50 of each for 50 steps), this costs about two dense
/// convolutions plus three length-<c>K·Cout</c> vector operations per breakpoint. Pieces are chosen from the same floats,
/// with the same tie rule, as running the ReLU and max-pool nodes on the blended rows, so gradients are routed exactly as
/// the step-by-step path routes them; the values agree up to float rounding. A sequence with too many breakpoints, or a
/// non-finite first-layer value, is left to the step-by-step path (<see cref="Begin"/> returns false).
/// </summary>
internal sealed class PiecewiseSecondLayer
{
    private readonly Conv1dOp _op;
    private readonly bool _relu;
    private readonly int _poolKernel;
    private readonly int _poolStride;
    private readonly int _poolPad;
    private readonly int _channels;
    private readonly int _headLength;
    private readonly int _pooledLength;
    private readonly int _outChannels;
    private readonly int _outLength;
    private readonly int _taps;
    private readonly int _dilation;
    private readonly int _padLeft;
    private readonly Conv1dGeometry _geometry;

    // Per-call state: weights as [c][t][o] (o contiguous), the member planes, pieces and their changes.
    private readonly float[] _wt;
    private readonly float[][] _z0Planes;
    private readonly float[][] _dzPlanes;
    private readonly int[] _piece;
    private readonly int[] _forwardPiece;
    private readonly int[] _backwardPiece;
    private readonly double[] _last;
    private readonly float[] _a;
    private readonly float[] _b;
    private readonly double[] _g;
    private readonly float[] _dense;
    private readonly float[] _denseOut;
    private readonly float[] _gFloat;
    private readonly float[] _h;
    private readonly Growable<int> _eventElement = new();
    private readonly Growable<int> _eventPiece = new();
    private readonly Growable<float> _eventDa = new();
    private readonly Growable<float> _eventDb = new();
    private readonly List<int> _stepStart = [];
    private double[] _partial = [];
    private float[] _z0 = [];
    private float[] _dz = [];
    private double[] _alphas = [];
    private int _nextForward;
    private int _nextBackward;

    private PiecewiseSecondLayer(Node conv, bool relu, MaxPool1dOp? pool, int channels, int headLength, int pooledLength)
    {
        Conv = conv;
        _op = (Conv1dOp)conv.Op;
        _relu = relu;
        _poolKernel = pool?.KernelSize ?? 1;
        _poolStride = pool?.Stride ?? 1;
        _poolPad = pool is null ? 0 : pool.Padding.Resolve(headLength, pool.KernelSize, pool.Stride, 1).Left;
        _channels = channels;
        _headLength = headLength;
        _pooledLength = pooledLength;
        _geometry = _op.Geometry(1, pooledLength);
        _outChannels = _op.OutChannels;
        _outLength = _geometry.OutLength;
        _taps = _op.KernelSize;
        _dilation = _op.Dilation;
        _padLeft = _geometry.PadLeft;
        int n = channels * pooledLength;
        _wt = new float[_op.Weight.Value.Length];
        _z0Planes = new float[_poolKernel][];
        _dzPlanes = new float[_poolKernel][];
        for (int j = 0; j < _poolKernel; j++)
        {
            _z0Planes[j] = new float[n];
            _dzPlanes[j] = new float[n];
        }

        _piece = new int[n];
        _forwardPiece = new int[n];
        _backwardPiece = new int[n];
        _last = new double[n];
        _a = new float[_outLength * _outChannels];
        _b = new float[_outLength * _outChannels];
        _g = new double[_outLength * _outChannels];
        _dense = new float[2 * n];
        _denseOut = new float[2 * _outChannels * _outLength];
        _gFloat = new float[_outChannels * _outLength];
        _h = new float[n];
    }

    /// <summary>The second convolution's node: its value is filled by <see cref="Fill"/>, the backward stops at it.</summary>
    public Node Conv { get; }

    /// <summary>Breakpoints of the last sequence (pieces that changed between consecutive steps).</summary>
    public int Breakpoints => _eventElement.Count;

    /// <summary>
    /// The second layer after the first layer's <paramref name="head"/> (or the <paramref name="relu"/> right after it), when the graph
    /// continues with an optional <see cref="MaxPool1dOp"/> and then a stride-1, ungrouped <see cref="Conv1dOp"/>, each the
    /// only consumer of the one before, no other node runs before that convolution, and the target lies beyond it; else null.
    /// </summary>
    public static PiecewiseSecondLayer? TryCreate(TargetGradient tg, Node conv1, Node head, Node? relu)
    {
        Graph g = tg.Graph;
        Node filled = relu ?? head;
        Node[] next = Consumers(g, filled);
        if (next.Length != 1)
        {
            return null;
        }

        MaxPool1dOp? pool = null;
        Node? poolNode = null;
        if (next[0].Op is MaxPool1dOp p)
        {
            pool = p;
            poolNode = next[0];
            next = Consumers(g, poolNode);
            if (next.Length != 1)
            {
                return null;
            }
        }

        Node conv = next[0];
        if (conv.Op is not Conv1dOp c || c.Stride != 1 || c.Groups != 1 || conv.Inputs.Count != 1 || tg.Main.Training
            || tg.SeedNode.Index <= conv.Index || g.Outputs.Any(o => ReferenceEquals(o.Node, poolNode) || ReferenceEquals(o.Node, filled)))
        {
            return null;
        }

        var allowed = new HashSet<Node> { g.Inputs[0], conv1, head, filled, conv };
        if (poolNode is not null)
        {
            allowed.Add(poolNode);
        }

        if (!g.Nodes.Take(conv.Index + 1).All(allowed.Contains))
        {
            return null;
        }

        int channels = filled.SampleShape[0];
        int headLength = filled.SampleShape[1];
        int pooledLength = conv.Inputs[0].SampleShape[1];
        return new PiecewiseSecondLayer(conv, relu is not null, pool, channels, headLength, pooledLength);
    }

    private static Node[] Consumers(Graph g, Node node) => g.Nodes.Where(n => n.Inputs.Contains(node)).ToArray();

    /// <summary>Reads the convolution's current weights (call once per attribution call; parameters may change in place).</summary>
    public void Refresh()
    {
        float[] w = _op.Weight.Value.Data;
        for (int o = 0; o < _outChannels; o++)
        {
            for (int c = 0; c < _channels; c++)
            {
                for (int t = 0; t < _taps; t++)
                {
                    _wt[(((c * _taps) + t) * _outChannels) + o] = w[(((o * _channels) + c) * _taps) + t];
                }
            }
        }
    }

    /// <summary>
    /// Starts one sequence: the pieces at every step of <paramref name="alphas"/>, their changes, and A, B at the first step.
    /// Returns false (use the step-by-step path) when a first-layer value is not finite or there are more than
    /// <paramref name="budget"/> breakpoints per element and step (the default 1/12 keeps their cost, three vector operations
    /// of length K·Cout each, well below the two dense convolutions per step they replace).
    /// </summary>
    public bool Begin(float[] z0, float[] dz, double[] alphas, double budget = 1.0 / 12)
    {
        if (!AllFinite(z0) || !AllFinite(dz))
        {
            return false;
        }

        _z0 = z0;
        _dz = dz;
        _alphas = alphas;
        FillPlanes();
        _eventElement.Clear();
        _eventPiece.Clear();
        _stepStart.Clear();
        int n = _piece.Length;
        long limit = (long)(alphas.Length * (double)n * budget);
        for (int k = 0; k < alphas.Length; k++)
        {
            _stepStart.Add(_eventElement.Count);
            Pieces((float)alphas[k], k == 0);
            if (k == 0)
            {
                _piece.AsSpan().CopyTo(_forwardPiece);
            }

            if (_eventElement.Count > limit)
            {
                return false;
            }
        }

        _stepStart.Add(_eventElement.Count);

        // Each change's Δa, Δb, walking the pieces from the first step (the forward scatters them in any channel slice).
        _eventDa.Clear();
        _eventDb.Clear();
        _forwardPiece.AsSpan().CopyTo(_backwardPiece);
        for (int i = 0; i < _eventElement.Count; i++)
        {
            int e = _eventElement[i];
            (float a0, float b0) = Coefficients(e, _backwardPiece[e]);
            (float a1, float b1) = Coefficients(e, _eventPiece[i]);
            _eventDa.Add(a1 - a0);
            _eventDb.Add(b1 - b0);
            _backwardPiece[e] = _eventPiece[i];
        }

        _forwardPiece.AsSpan().CopyTo(_backwardPiece);
        Array.Clear(_last);
        Array.Clear(_g);

        // A and B at the first step: one dense convolution of the two coefficient rows (no bias).
        for (int e = 0; e < n; e++)
        {
            (float a, float b) = Coefficients(e, _forwardPiece[e]);
            _dense[e] = a;
            _dense[n + e] = b;
        }

        Array.Clear(_denseOut);
        Conv1d.Forward(_geometry with { Batch = 2 }, _dense, _op.Weight.Value.Data, [], _denseOut);
        int plane = _outChannels * _outLength;
        for (int o = 0; o < _outChannels; o++)
        {
            for (int l = 0; l < _outLength; l++)
            {
                _a[(l * _outChannels) + o] = _denseOut[(o * _outLength) + l];
                _b[(l * _outChannels) + o] = _denseOut[plane + (o * _outLength) + l];
            }
        }

        _nextForward = 0;
        _nextBackward = 0;
        return true;
    }

    private static bool AllFinite(float[] v)
    {
        foreach (float x in v)
        {
            if (!float.IsFinite(x))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Window member j of every pooled element as planes [c][l] (members outside the input: −∞ with slope 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillPlanes()
    {
        for (int j = 0; j < _poolKernel; j++)
        {
            float[] z0 = _z0Planes[j];
            float[] dz = _dzPlanes[j];
            for (int c = 0; c < _channels; c++)
            {
                for (int l = 0; l < _pooledLength; l++)
                {
                    int m = (l * _poolStride) - _poolPad + j;
                    int e = (c * _pooledLength) + l;
                    bool inside = m >= 0 && m < _headLength;
                    z0[e] = inside ? _z0[(c * _headLength) + m] : float.NegativeInfinity;
                    dz[e] = inside ? _dz[(c * _headLength) + m] : 0f;
                }
            }
        }
    }

    /// <summary>(a, b) of element e under piece p: member p's intercept and slope, or zero when the ReLU is closed.</summary>
    private (float A, float B) Coefficients(int e, int p)
    {
        if (p < 0)
        {
            return (0f, 0f);
        }

        int m = HeadIndex(e, p);
        return (_z0[m], _dz[m]);
    }

    /// <summary>Index in the first layer's output of member <paramref name="p"/> of pooled element <paramref name="e"/>.</summary>
    private int HeadIndex(int e, int p)
    {
        int c = e / _pooledLength;
        int l = e % _pooledLength;
        return (c * _headLength) + (l * _poolStride) - _poolPad + p;
    }

    /// <summary>
    /// The pieces at α (as the nodes compute them: v = z0 + α·dz, rounded as the blend rounds it, then max(v, 0) when a ReLU
    /// follows, then the first maximum of the window); records the elements whose piece changed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Pieces(float alpha, bool first)
    {
        int n = _piece.Length;
        int e = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(alpha);
            for (; e + 16 <= n; e += 16)
            {
                Vector512<float> best = Value(0, e, va);
                Vector512<int> at = Vector512<int>.Zero;
                for (int j = 1; j < _poolKernel; j++)
                {
                    Vector512<float> v = Value(j, e, va);
                    Vector512<float> take = Vector512.GreaterThan(v, best) | ~Vector512.Equals(v, v);
                    best = Vector512.ConditionalSelect(take, v, best);
                    at = Vector512.ConditionalSelect(take.AsInt32(), Vector512.Create(j), at);
                }

                Vector512<int> piece = _relu ? Vector512.ConditionalSelect(Vector512.GreaterThan(best, Vector512<float>.Zero).AsInt32(), at, Vector512.Create(-1)) : at;
                var old = Vector512.LoadUnsafe(ref _piece[0], (nuint)e);
                if (!first && !Vector512.EqualsAll(piece, old))
                {
                    for (int lane = 0; lane < 16; lane++)
                    {
                        if (piece[lane] != old[lane])
                        {
                            _eventElement.Add(e + lane);
                            _eventPiece.Add(piece[lane]);
                        }
                    }
                }

                piece.StoreUnsafe(ref _piece[0], (nuint)e);
            }
        }

        for (; e < n; e++)
        {
            float best = ScalarValue(0, e, alpha);
            int at = 0;
            for (int j = 1; j < _poolKernel; j++)
            {
                float v = ScalarValue(j, e, alpha);
                if (v > best || float.IsNaN(v))
                {
                    best = v;
                    at = j;
                }
            }

            int piece = !_relu || best > 0f ? at : -1;
            if (!first && piece != _piece[e])
            {
                _eventElement.Add(e);
                _eventPiece.Add(piece);
            }

            _piece[e] = piece;
        }
    }

    private Vector512<float> Value(int j, int e, Vector512<float> alpha)
    {
        // NOTE: multiply then add, never fused: the same floats as the blend of the step-by-step path.
        Vector512<float> v = Vector512.LoadUnsafe(ref _z0Planes[j][0], (nuint)e) + (alpha * Vector512.LoadUnsafe(ref _dzPlanes[j][0], (nuint)e));
        return _relu ? Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float>.Zero), v, Vector512<float>.Zero) : v;
    }

    private float ScalarValue(int j, int e, float alpha)
    {
        float v = _z0Planes[j][e] + (alpha * _dzPlanes[j][e]);
        return _relu ? (v > 0f ? v : 0f) : v;
    }

    /// <summary>
    /// Writes the convolution's output for steps <paramref name="first"/> .. + <paramref name="count"/> − 1 into
    /// <paramref name="output"/> (rows of the batch), applying each step's changes first. Steps must come in order.
    /// </summary>
    public void Fill(Tensor output, int first, int count)
    {
        if (first != _nextForward)
        {
            throw new InvalidOperationException($"Steps must be filled in order: expected step {_nextForward}, got {first}.");
        }

        int parts = Parts();
        float[] y = output.Data;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part => FillPart(y, first, count, part, parts));
        _nextForward = first + count;
    }

    /// <summary>One slice of output channels: every step of the batch (scatter its changes, then write the row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void FillPart(float[] output, int first, int count, int part, int parts)
    {
        PiecewiseSecondLayer me = this;
        (int o0, int o1) = Slice(part, parts);
        int plane = me._outChannels * me._outLength;
        int cout = me._outChannels;
        int lout = me._outLength;
        fixed (float* y = output)
        fixed (float* a = me._a)
        fixed (float* b = me._b)
        fixed (float* da = me._eventDa.Items)
        fixed (float* db = me._eventDb.Items)
        fixed (int* element = me._eventElement.Items)
        fixed (float* wt = me._wt)
        {
            float[] biasArray = me._op.Bias is null ? [] : me._op.Bias.Value.Data;
            for (int k = first; k < first + count; k++)
            {
                for (int i = me._stepStart[k]; i < me._stepStart[k + 1]; i++)
                {
                    me.Scatter(wt, a, b, element[i], da[i], db[i], o0, o1);
                }

                // NOTE: channel-contiguous reads, strided writes that stay in L1 for consecutive positions.
                float alpha = (float)me._alphas[k];
                float* row = y + ((long)(k - first) * plane);
                for (int l = 0; l < lout; l++)
                {
                    float* pa = a + ((long)l * cout);
                    float* pb = b + ((long)l * cout);
                    for (int o = o0; o < o1; o++)
                    {
                        row[((long)o * lout) + l] = pa[o] + (alpha * pb[o]) + (biasArray.Length == 0 ? 0f : biasArray[o]);
                    }
                }
            }
        }
    }

    /// <summary>A[l', o0..o1) += Δa·W[o, c, t], B likewise with Δb, for every tap t of element e (l' = l + pad − t·dilation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void Scatter(float* wt, float* a, float* b, int e, float da, float db, int o0, int o1)
    {
        int c = e / _pooledLength;
        int l = e % _pooledLength;
        for (int t = 0; t < _taps; t++)
        {
            int lo = l + _padLeft - (t * _dilation);
            if (lo < 0 || lo >= _outLength)
            {
                continue;
            }

            float* w = wt + ((((long)c * _taps) + t) * _outChannels);
            float* pa = a + ((long)lo * _outChannels);
            float* pb = b + ((long)lo * _outChannels);
            int o = o0;
            if (Avx512F.IsSupported)
            {
                var va = Vector512.Create(da);
                var vb = Vector512.Create(db);
                for (; o + 16 <= o1; o += 16)
                {
                    Vector512<float> wv = Avx512F.LoadVector512(w + o);
                    Avx512F.Store(pa + o, Avx512F.FusedMultiplyAdd(va, wv, Avx512F.LoadVector512(pa + o)));
                    Avx512F.Store(pb + o, Avx512F.FusedMultiplyAdd(vb, wv, Avx512F.LoadVector512(pb + o)));
                }
            }

            for (; o < o1; o++)
            {
                pa[o] = MathF.FusedMultiplyAdd(da, w[o], pa[o]);
                pb[o] = MathF.FusedMultiplyAdd(db, w[o], pb[o]);
            }
        }
    }

    /// <summary>
    /// Adds steps <paramref name="first"/> .. + <paramref name="count"/> − 1 of the gradient at the convolution's output
    /// (<paramref name="gradient"/>, rows of the batch) with quadrature weights <paramref name="weights"/> into the integral
    /// <paramref name="sum"/> at the first layer's output (head space, double): breakpoint by breakpoint, and after the last
    /// step the remaining intervals from one dense transposed convolution.
    /// </summary>
    public void Accumulate(float[] gradient, int first, int count, double[] weights, double[] sum)
    {
        if (first != _nextBackward)
        {
            throw new InvalidOperationException($"Steps must be accumulated in order: expected step {_nextBackward}, got {first}.");
        }

        int steps = _alphas.Length;
        int total = _stepStart[Math.Min(steps, first + count + 1)] - _stepStart[first + 1 > steps ? steps : first + 1];
        if (_partial.Length < DotBlocks * Math.Max(total, 1))
        {
            _partial = new double[DotBlocks * Math.Max(total, 1)];
        }

        Parallel.For(0, DotBlocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(DotBlocks, KernelThreads.Effective) }, block =>
            AccumulatePart(gradient, first, count, weights, block));

        // Each breakpoint closes its element's interval: Σ of the fixed channel blocks' partial dots, in block order.
        int from = _stepStart[Math.Min(steps, first + 1)];
        for (int i = from; i < from + total; i++)
        {
            double h = 0;
            for (int block = 0; block < DotBlocks; block++)
            {
                h += _partial[(block * total) + (i - from)];
            }

            int e = _eventElement[i];
            int p = _backwardPiece[e];
            if (p >= 0)
            {
                sum[HeadIndex(e, p)] += h - _last[e];
            }

            _last[e] = h;
            _backwardPiece[e] = _eventPiece[i];
        }

        _nextBackward = first + count;
        if (_nextBackward < steps)
        {
            return;
        }

        // The last interval of every element ends at the final step: (WᵀG)_e for all e at once.
        for (int o = 0; o < _outChannels; o++)
        {
            for (int l = 0; l < _outLength; l++)
            {
                _gFloat[(o * _outLength) + l] = (float)_g[(l * _outChannels) + o];
            }
        }

        Array.Clear(_h);
        Conv1d.BackwardInput(_geometry, _gFloat, _op.Weight.Value.Data, _h);
        for (int e = 0; e < _h.Length; e++)
        {
            int p = _backwardPiece[e];
            if (p >= 0)
            {
                sum[HeadIndex(e, p)] += _h[e] - _last[e];
            }
        }
    }

    /// <summary>
    /// One fixed block of output channels (independent of the thread count, so sums do not depend on it): per step, G += w·g
    /// on the block, then the block's partial (WᵀG)_e of every element whose piece changes after that step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void AccumulatePart(float[] gradient, int first, int count, double[] weights, int block)
    {
        PiecewiseSecondLayer me = this;
        (int o0, int o1) = me.Slice(block, DotBlocks);
        int plane = me._outChannels * me._outLength;
        int cout = me._outChannels;
        int lout = me._outLength;
        int steps = me._alphas.Length;
        int from = me._stepStart[Math.Min(steps, first + 1)];
        int total = me._stepStart[Math.Min(steps, first + count + 1)] - from;
        fixed (float* gradientRows = gradient)
        fixed (double* g = me._g)
        fixed (float* wt = me._wt)
        fixed (int* element = me._eventElement.Items)
        fixed (double* partial = me._partial)
        {
            for (int k = first; k < first + count; k++)
            {
                double w = weights[k];
                float* row = gradientRows + ((long)(k - first) * plane);
                for (int l = 0; l < lout; l++)
                {
                    double* pg = g + ((long)l * cout);
                    for (int o = o0; o < o1; o++)
                    {
                        pg[o] += w * row[((long)o * lout) + l];
                    }
                }

                if (k + 1 >= steps)
                {
                    continue;
                }

                for (int i = me._stepStart[k + 1]; i < me._stepStart[k + 2]; i++)
                {
                    partial[((long)block * total) + (i - from)] = me.Dot(wt, g, element[i], o0, o1);
                }
            }
        }
    }

    /// <summary>Σ_t Σ_{o in [o0, o1)} W[o, c, t]·G[l + pad − t·dilation, o] for element e, in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe double Dot(float* wt, double* g, int e, int o0, int o1)
    {
        int c = e / _pooledLength;
        int l = e % _pooledLength;
        double total = 0;
        for (int t = 0; t < _taps; t++)
        {
            int lo = l + _padLeft - (t * _dilation);
            if (lo < 0 || lo >= _outLength)
            {
                continue;
            }

            float* w = wt + ((((long)c * _taps) + t) * _outChannels);
            double* pg = g + ((long)lo * _outChannels);
            int o = o0;
            if (Avx512F.IsSupported)
            {
                Vector512<double> acc = Vector512<double>.Zero;
                for (; o + 8 <= o1; o += 8)
                {
                    acc = Avx512F.Add(acc, Avx512F.Multiply(Avx512F.ConvertToVector512Double(Avx.LoadVector256(w + o)), Avx512F.LoadVector512(pg + o)));
                }

                total += Vector512.Sum(acc);
            }

            for (; o < o1; o++)
            {
                total += w[o] * pg[o];
            }
        }

        return total;
    }

    /// <summary>Channel blocks of the backward's partial dot products: fixed, so the sums do not depend on the thread count.</summary>
    private const int DotBlocks = 2;

    private int Parts() => Math.Max(1, Math.Min(KernelThreads.Effective, (_outChannels + 15) / 16));

    /// <summary>Output channels [o0, o1) of part <paramref name="part"/> of <paramref name="parts"/>, in multiples of 16 (one float vector).</summary>
    private (int O0, int O1) Slice(int part, int parts)
    {
        int blocks = (_outChannels + 15) / 16;
        int b0 = blocks * part / parts;
        int b1 = blocks * (part + 1) / parts;
        return (b0 * 16, Math.Min(_outChannels, b1 * 16));
    }

    /// <summary>A list whose backing array is reachable (for pinning in the kernels).</summary>
    private sealed class Growable<T>
        where T : unmanaged
    {
        public T[] Items { get; private set; } = new T[1024];

        public int Count { get; private set; }

        public T this[int i] => Items[i];

        public void Clear() => Count = 0;

        public void Add(T value)
        {
            if (Count == Items.Length)
            {
                T[] bigger = new T[Items.Length * 2];
                Items.AsSpan().CopyTo(bigger);
                Items = bigger;
            }

            Items[Count++] = value;
        }
    }
}
