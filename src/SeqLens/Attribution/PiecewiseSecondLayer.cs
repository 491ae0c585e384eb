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
/// <item>forward: <c>y(α_k) = bias + A_k + α_k·B_k</c> with <c>A = W∗a</c>, <c>B = W∗b</c>, computed densely at the
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

    /// <summary>Output channels padded to a whole number of float vectors (16): the row stride of W, A, B and G.</summary>
    private readonly int _stride;

    // Per-call state: the weights in blocks of 16 output channels (see Blocks), the member planes, pieces and their changes.
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
    private readonly Growable<int> _eventChannel = new();
    private readonly Growable<int> _eventFirstTap = new();
    private readonly Growable<int> _eventTaps = new();
    private readonly Growable<int> _eventFirstRow = new();
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
        _stride = (_outChannels + 15) / 16 * 16;
        int n = channels * pooledLength;
        _wt = new float[channels * _taps * _stride];
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
        _a = new float[_outLength * _stride];
        _b = new float[_outLength * _stride];
        _g = new double[_outLength * _stride];
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
    /// only consumer of the one before (evaluation-mode dropouts in between are identities and are stepped over), no other node
    /// runs before that convolution, and the target lies beyond it; else null.
    /// </summary>
    public static PiecewiseSecondLayer? TryCreate(TargetGradient tg, Node conv1, Node head, Node? relu)
    {
        Graph g = tg.Graph;
        Node filled = relu ?? head;
        var passed = new List<Node>();
        Node? Next(Node node)
        {
            // The only consumer, stepping over evaluation-mode dropouts (identities; imported models often have one
            // between the first pool and the second convolution, as DeepSEA).
            while (true)
            {
                Node[] next = Consumers(g, node);
                if (next.Length != 1 || g.Outputs.Any(o => ReferenceEquals(o.Node, node)))
                {
                    return null;
                }

                if (next[0].Op is not DropoutOp)
                {
                    return next[0];
                }

                passed.Add(next[0]);
                node = next[0];
            }
        }

        Node? after = Next(filled);
        MaxPool1dOp? pool = null;
        if (after?.Op is MaxPool1dOp p)
        {
            pool = p;
            passed.Add(after);
            after = Next(after);
        }

        if (after is not Node conv || conv.Op is not Conv1dOp c || c.Stride != 1 || c.Groups != 1 || conv.Inputs.Count != 1
            || tg.Main.Training || tg.SeedNode.Index <= conv.Index)
        {
            return null;
        }

        var allowed = new HashSet<Node>(passed) { g.Inputs[0], conv1, head, filled, conv };
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
                    _wt[WeightIndex(o, c, t)] = w[(((o * _channels) + c) * _taps) + t];
                }
            }
        }
    }

    /// <summary>
    /// Starts one sequence: the pieces at every step of <paramref name="alphas"/> (the first is the path's start α = 0, a
    /// weight-0 row whose pieces are taken just after 0; the others route gradients exactly as the nodes do), their
    /// changes, and A, B at the first step.
    /// Returns false (use the step-by-step path) when a first-layer value is not finite or there are more than
    /// <paramref name="budget"/> breakpoints per element and step (the default 1/12 keeps their cost, three vector operations
    /// of length K·Cout each, well below the two dense convolutions per step they replace).
    /// </summary>
    public bool Begin(float[] z0, float[] dz, double[] alphas, double budget = 1.0 / 12)
    {
        if (alphas.Length == 0 || alphas[0] != 0.0)
        {
            throw new ArgumentException("The first step must be the path's start α = 0 (with weight 0).", nameof(alphas));
        }

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
        _stepStart.Add(0);
        PiecesJustAfterZero();
        _piece.AsSpan().CopyTo(_forwardPiece);
        for (int k = 1; k < alphas.Length; k++)
        {
            _stepStart.Add(_eventElement.Count);
            Pieces((float)alphas[k]);
            if (_eventElement.Count > limit)
            {
                return false;
            }
        }

        _stepStart.Add(_eventElement.Count);

        // Each change's Δa, Δb, walking the pieces from the first step (the forward scatters them in any channel slice).
        _eventDa.Clear();
        _eventDb.Clear();
        _eventChannel.Clear();
        _eventFirstTap.Clear();
        _eventTaps.Clear();
        _eventFirstRow.Clear();
        _forwardPiece.AsSpan().CopyTo(_backwardPiece);
        for (int i = 0; i < _eventElement.Count; i++)
        {
            int e = _eventElement[i];
            (float a0, float b0) = Coefficients(e, _backwardPiece[e]);
            (float a1, float b1) = Coefficients(e, _eventPiece[i]);
            _eventDa.Add(a1 - a0);
            _eventDb.Add(b1 - b0);
            _eventChannel.Add(e / _pooledLength);
            // The taps whose output position l + pad − t·dilation exists, and the output row of the first.
            int l = e % _pooledLength;
            (int t0, int t1) = Taps(l);
            _eventFirstTap.Add(t0);
            _eventTaps.Add(t1 - t0 + 1);
            _eventFirstRow.Add(l + _padLeft - (t0 * _dilation));
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
                _a[RowIndex(o, l)] = _denseOut[(o * _outLength) + l];
                _b[RowIndex(o, l)] = _denseOut[plane + (o * _outLength) + l];
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
    private void Pieces(float alpha)
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
                if (!Vector512.EqualsAll(piece, old))
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
            if (piece != _piece[e])
            {
                _eventElement.Add(e);
                _eventPiece.Add(piece);
            }

            _piece[e] = piece;
        }
    }

    /// <summary>
    /// The pieces of the first row (the path's start α = 0, which has weight 0) taken as their limit just after 0: the member whose line is largest there (greatest z0, ties
    /// broken by the greater slope, then the first), open when that line is positive just after 0. The values at α = 0 are
    /// the same whichever tied member is chosen, and a constant baseline ties every window at α = 0 (its convolution is
    /// constant per channel), which the plain first-maximum rule would turn into a spurious change at the next step.
    /// </summary>
    private void PiecesJustAfterZero()
    {
        for (int e = 0; e < _piece.Length; e++)
        {
            int at = 0;
            for (int j = 1; j < _poolKernel; j++)
            {
                float a = _z0Planes[j][e];
                float best = _z0Planes[at][e];
                if (a > best || (a == best && _dzPlanes[j][e] > _dzPlanes[at][e]))
                {
                    at = j;
                }
            }

            float z = _z0Planes[at][e];
            bool open = z > 0f || (z == 0f && _dzPlanes[at][e] > 0f);
            _piece[e] = !_relu || open ? at : -1;
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

        var body = new FillBody(this, output.Data, first, count);
        RowParallel.For(Blocks, WorkPerBlock(count), ref body);
        _nextForward = first + count;
    }

    /// <summary>
    /// Layout of W, A, B and G: blocks of 16 output channels (one float vector; the channels padded with zeros), each block
    /// contiguous ([block][c][t][16] for W, [block][l'][16] for A, B, G), so one block's A, B (and G) stay in L1 and its weights
    /// in L2 while every breakpoint of every step is applied to it. Blocks are independent and fixed by the shapes: the
    /// backward's per-block partial dot products are summed in block order whatever the thread count.
    /// </summary>
    private int Blocks => _stride / 16;

    private int WeightIndex(int o, int c, int t) => (((((o / 16) * _channels) + c) * _taps) + t) * 16 + (o % 16);

    private int RowIndex(int o, int l) => ((((o / 16) * _outLength) + l) * 16) + (o % 16);

    /// <summary>Element operations of one channel block over <paramref name="steps"/> steps (for the parallel threshold).</summary>
    private long WorkPerBlock(int steps) => (long)steps * 16 * (_outLength + (_eventElement.Count / Math.Max(1, _alphas.Length) * _taps));

    private readonly struct FillBody(PiecewiseSecondLayer owner, float[] output, int first, int count) : IRowBody
    {
        public void Run(int first0, int end)
        {
            for (int block = first0; block < end; block++)
            {
                owner.FillBlock(output, first, count, block);
            }
        }
    }

    private readonly struct AccumulateBody(PiecewiseSecondLayer owner, float[] gradient, int first, int count, double[] weights) : IRowBody
    {
        public void Run(int first0, int end)
        {
            for (int block = first0; block < end; block++)
            {
                owner.AccumulateBlock(gradient, first, count, weights, block);
            }
        }
    }

    /// <summary>One block of 16 output channels, every step of the batch: scatter the step's changes, then write the rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void FillBlock(float[] output, int first, int count, int block)
    {
        int plane = _outChannels * _outLength;
        int lout = _outLength;
        int o0 = block * 16;
        int live = Math.Min(16, _outChannels - o0);
        long blockWeights = (long)block * _channels * _taps * 16;
        long blockRows = (long)block * lout * 16;
        float[] biasArray = _op.Bias is null ? [] : _op.Bias.Value.Data;
        Span<float> bias = stackalloc float[16];
        Span<float> v = stackalloc float[16];
        for (int o = 0; o < live; o++)
        {
            bias[o] = biasArray.Length == 0 ? 0f : biasArray[o0 + o];
        }

        fixed (float* y = output)
        fixed (float* a0 = _a)
        fixed (float* b0 = _b)
        fixed (float* da = _eventDa.Items)
        fixed (float* db = _eventDb.Items)
        fixed (int* channel = _eventChannel.Items)
        fixed (int* firstTap = _eventFirstTap.Items)
        fixed (int* taps = _eventTaps.Items)
        fixed (int* firstRow = _eventFirstRow.Items)
        fixed (float* wt0 = _wt)
        {
            float* a = a0 + blockRows;
            float* b = b0 + blockRows;
            float* wt = wt0 + blockWeights;
            for (int k = first; k < first + count; k++)
            {
                int end = _stepStart[k + 1];
                for (int i = _stepStart[k]; i < end; i++)
                {
                    var va = Vector512.Create(da[i]);
                    var vb = Vector512.Create(db[i]);
                    float* w = wt + ((((long)channel[i] * _taps) + firstTap[i]) * 16);
                    long rowStep = (long)_dilation * 16;
                    float* pa = a + ((long)firstRow[i] * 16);
                    float* pb = b + ((long)firstRow[i] * 16);
                    for (int t = taps[i]; t > 0; t--, w += 16, pa -= rowStep, pb -= rowStep)
                    {
                        Vector512<float> wv = Vector512.Load(w);
                        Vector512.FusedMultiplyAdd(va, wv, Vector512.Load(pa)).Store(pa);
                        Vector512.FusedMultiplyAdd(vb, wv, Vector512.Load(pb)).Store(pb);
                    }
                }

                var alpha = Vector512.Create((float)_alphas[k]);
                float* row = y + ((long)(k - first) * plane) + ((long)o0 * lout);
                for (int l = 0; l < lout; l++)
                {
                    // NOTE: multiply then add, then the bias (never fused): as the step's value a + α·b plus the bias.
                    ((Vector512.Load(a + (l * 16)) + (alpha * Vector512.Load(b + (l * 16)))) + Vector512.Create((ReadOnlySpan<float>)bias)).CopyTo(v);
                    for (int o = 0; o < live; o++)
                    {
                        row[((long)o * lout) + l] = v[o];
                    }
                }
            }
        }
    }

    /// <summary>The taps [t0, t1] of input position l whose output position l + pad − t·dilation lies in [0, Lout).</summary>
    private (int T0, int T1) Taps(int l)
    {
        int shifted = l + _padLeft;
        int t0 = shifted - (_outLength - 1) <= 0 ? 0 : (shifted - (_outLength - 1) + _dilation - 1) / _dilation;
        int t1 = Math.Min(_taps - 1, shifted / _dilation);
        return (t0, t1);
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
        (int from, int total) = ClosingBreakpoints(first, count);
        if (_partial.Length < Blocks * Math.Max(total, 1))
        {
            _partial = new double[Blocks * Math.Max(total, 1)];
        }

        var body = new AccumulateBody(this, gradient, first, count, weights);
        RowParallel.For(Blocks, WorkPerBlock(count), ref body);

        // Each breakpoint closes its element's interval: Σ of the fixed channel blocks' partial dots, in block order.
        for (int i = from; i < from + total; i++)
        {
            double h = 0;
            for (int block = 0; block < Blocks; block++)
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
                _gFloat[(o * _outLength) + l] = (float)_g[RowIndex(o, l)];
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
    /// The breakpoints that close an interval within steps <paramref name="first"/> .. + <paramref name="count"/> − 1: the
    /// changes at steps first + 1 .. first + count (those after the last step do not exist), as a range of the event list.
    /// </summary>
    private (int From, int Total) ClosingBreakpoints(int first, int count)
    {
        int steps = _alphas.Length;
        int from = _stepStart[Math.Min(steps, first + 1)];
        return (from, _stepStart[Math.Min(steps, first + count + 1)] - from);
    }

    /// <summary>
    /// One block of 16 output channels, every step of the batch: G += w·g on the block, then the block's partial (WᵀG)_e of
    /// every element whose piece changes after that step (summed over blocks, in block order, by the caller).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void AccumulateBlock(float[] gradient, int first, int count, double[] weights, int block)
    {
        int plane = _outChannels * _outLength;
        int lout = _outLength;
        int o0 = block * 16;
        int live = Math.Min(16, _outChannels - o0);
        int steps = _alphas.Length;
        (int from, int total) = ClosingBreakpoints(first, count);
        fixed (float* gradientRows = gradient)
        fixed (double* g0 = _g)
        fixed (float* wt0 = _wt)
        fixed (int* channel = _eventChannel.Items)
        fixed (int* firstTap = _eventFirstTap.Items)
        fixed (int* taps = _eventTaps.Items)
        fixed (int* firstRow = _eventFirstRow.Items)
        fixed (double* partial = _partial)
        {
            double* g = g0 + ((long)block * lout * 16);
            float* wt = wt0 + ((long)block * _channels * _taps * 16);
            for (int k = first; k < first + count; k++)
            {
                double w = weights[k];
                float* rows = gradientRows + ((long)(k - first) * plane) + ((long)o0 * lout);
                if (live == 16 && Avx512F.IsSupported)
                {
                    // Position l of the block's 16 channel rows in two gathers, widened to two double vectors.
                    Vector256<int> offsets = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * lout;
                    long half = 8L * lout;
                    var vw = Vector512.Create(w);
                    for (int l = 0; l < lout; l++)
                    {
                        Vector512<double> lo = Avx512F.ConvertToVector512Double(Avx2.GatherVector256(rows + l, offsets, 4));
                        Vector512<double> hi = Avx512F.ConvertToVector512Double(Avx2.GatherVector256(rows + half + l, offsets, 4));
                        double* dst = g + (l * 16);
                        Vector512.FusedMultiplyAdd(vw, lo, Vector512.Load(dst)).Store(dst);
                        Vector512.FusedMultiplyAdd(vw, hi, Vector512.Load(dst + 8)).Store(dst + 8);
                    }
                }
                else
                {
                    for (int o = 0; o < live; o++)
                    {
                        float* src = rows + ((long)o * lout);
                        double* dst = g + o;
                        for (int l = 0; l < lout; l++)
                        {
                            dst[l * 16] = Math.FusedMultiplyAdd(w, src[l], dst[l * 16]);
                        }
                    }
                }

                if (k + 1 >= steps)
                {
                    continue;
                }

                int end = _stepStart[k + 2];
                for (int i = _stepStart[k + 1]; i < end; i++)
                {
                    float* pw = wt + ((((long)channel[i] * _taps) + firstTap[i]) * 16);
                    double* pg = g + ((long)firstRow[i] * 16);
                    long rowStep = (long)_dilation * 16;
                    Vector512<double> acc = Vector512<double>.Zero;
                    for (int t = taps[i]; t > 0; t--, pw += 16, pg -= rowStep)
                    {
                        Vector512<float> wv = Vector512.Load(pw);
                        acc = Vector512.FusedMultiplyAdd(Vector512.WidenLower(wv), Vector512.Load(pg), acc);
                        acc = Vector512.FusedMultiplyAdd(Vector512.WidenUpper(wv), Vector512.Load(pg + 8), acc);
                    }

                    partial[((long)block * total) + (i - from)] = Vector512.Sum(acc);
                }
            }
        }
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
