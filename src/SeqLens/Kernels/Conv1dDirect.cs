using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

/// <summary>
/// Direct 1-D convolution forward for a shallow reduction (few input channels × taps, e.g. the QRNN's causal
/// 4-channel width-2 convolution to 3H channels): no packing, the output is written once, straight from registers.
/// Stride 1, one group; any dilation and padding. Also the input gradient of layers with few input channels
/// (<see cref="BackwardInput"/>) and the weight gradient of the same shallow layers (<see cref="BackwardWeight"/>,
/// measured 1.6× faster than the GEMM on the QRNN shape, 2× at depth 16). AVX-512F only (<see cref="IsSupported"/>).
/// </summary>
/// <remarks>
/// <para>Per work item (one batch item × a block of output channels) the input rows are copied once into a zero-padded
/// scratch row each, so that tap <c>(ci, kk)</c> of output position <c>t</c> is <c>row_ci[t + kk·dilation]</c> with no
/// bounds tests. The register tile is 4 output channels × 64 positions (16 accumulators of 16 lanes): per tap, four
/// input vectors and four broadcast weights feed 16 fused multiply-adds. Remaining channels and positions run one
/// channel × 16 positions at a time.</para>
/// <para>Every output is <c>(Σ_k w[co, k]·x_k, k = ci·K + kk in order, from 0) + bias</c>, then ReLU when asked,
/// computed by one thread: results are bit-identical for any thread count. The packed GEMM path sums in the same
/// order but in blocks of its depth, so the two paths may differ in the last bits.</para>
/// <para>NOTE: on the QRNN benchmark shape (batch 64, 4 → 384 channels, width 2, length 1000) this is 3–4× faster
/// than the implicit-im2col GEMM, whose packing dominates when the depth is 8; <see cref="Conv1d"/> dispatches here
/// only up to <see cref="MaxDepth"/> (measured: on DeepSEA's and Basset's first layers, depth 32 and 76, both paths
/// take the same time). The input gradient of a layer with at most 4 input channels is a forward convolution of dY
/// with 4 output channels and depth Cout·K, which suits the 4-channel tile: measured 2.9× (QRNN), 1.9× (DeepSEA
/// conv1) and 1.3× (Basset conv1) faster than the GEMM + col2im path, so <see cref="Conv1d"/> sends those here.</para>
/// </remarks>
internal static unsafe partial class Conv1dDirect
{
    /// <summary>Deepest reduction (input channels × kernel taps) that <see cref="Conv1d"/> sends here.</summary>
    public const int MaxDepth = 16;

    /// <summary>Largest per-thread scratch of padded rows (4 M floats, 16 MB).</summary>
    private const long MaxScratchFloats = 1L << 22;

    /// <summary>Output channels per work item.</summary>
    private const int ChannelBlock = 64;

    /// <summary>Lanes per vector.</summary>
    private const int W = 16;

    /// <summary>Output channels per work item of the weight gradient.</summary>
    private const int WeightBlock = 16;

    /// <summary>Positions per register tile.</summary>
    private const int TileWidth = 4 * W;

    [ThreadStatic]
    private static float[]? _scratch;

    [ThreadStatic]
    private static float[]? _flipped;

    /// <summary>True when the CPU runs this kernel (AVX-512F).</summary>
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>Whether this kernel handles <paramref name="g"/>: stride 1, one group, depth up to <paramref name="maxDepth"/>.</summary>
    public static bool Handles(in Conv1dGeometry g, int maxDepth = MaxDepth)
        => IsSupported && g.Stride == 1 && g.Groups == 1 && g.InChannels * g.KernelSize <= maxDepth && g.Batch > 0
            && RowsFit(g.InChannels, g.OutLength, (g.KernelSize - 1) * g.Dilation);

    /// <summary>
    /// Whether <see cref="BackwardInput"/> handles <paramref name="g"/>: stride 1, one group, at most
    /// <paramref name="maxInChannels"/> input channels, and padding within the kernel's reach on both sides.
    /// </summary>
    public static bool HandlesBackwardInput(in Conv1dGeometry g, int maxInChannels = 4)
        => IsSupported && g.Stride == 1 && g.Groups == 1 && g.InChannels <= maxInChannels && g.Batch > 0
            && g.PadLeft <= (g.KernelSize - 1) * g.Dilation && g.PadRight <= (g.KernelSize - 1) * g.Dilation
            && RowsFit(g.OutChannels, g.Length, (g.KernelSize - 1) * g.Dilation);

    /// <summary>
    /// Whether the padded copies of one batch item's rows stay within <see cref="MaxScratchFloats"/> (the kernel pads
    /// whole rows; very long sequences with many channels stay on the GEMM path, which never materialises them).
    /// </summary>
    private static bool RowsFit(int channels, int outLength, int span)
        => (long)channels * ((long)outLength + TileWidth + span + W) <= MaxScratchFloats;

    /// <summary>Overwrites <paramref name="y"/> <c>(B, Cout, Lout)</c> with conv(x) + bias (bias may be null), then ReLU when <paramref name="relu"/>.</summary>
    /// <remarks>The caller has validated the sizes; <see cref="Handles"/> must hold.</remarks>
    public static void Forward(in Conv1dGeometry g, float* x, float* w, float* bias, float* y, bool relu)
        => Run(g, x, w, bias, y, relu, accumulate: false);

    /// <summary>
    /// Adds dLoss/dInput into <paramref name="dx"/> <c>(B, Cin, L)</c>, as the forward convolution of dY with the
    /// flipped, transposed kernel <c>W'[ci, co, j] = W[co, ci, K − 1 − j]</c> and padding
    /// <c>(K − 1)·dilation − pad</c> on each side (stride 1: <c>dX[ci, p] = Σ_co Σ_kk W[co, ci, kk]·dY[co, p + padLeft − kk·dilation]</c>).
    /// </summary>
    /// <remarks>The caller has validated the sizes; <see cref="HandlesBackwardInput"/> must hold.</remarks>
    public static void BackwardInput(in Conv1dGeometry g, float* dy, float* w, float* dx)
    {
        int k = g.KernelSize;
        int n = g.OutChannels * g.InChannels * k;
        if (_flipped is null || _flipped.Length < n)
        {
            _flipped = GC.AllocateUninitializedArray<float>(n, pinned: true);
        }

        float* flipped = (float*)Unsafe.AsPointer(ref _flipped[0]);
        for (int co = 0; co < g.OutChannels; co++)
        {
            for (int ci = 0; ci < g.InChannels; ci++)
            {
                for (int j = 0; j < k; j++)
                {
                    flipped[(((long)ci * g.OutChannels) + co) * k + j] = w[(((long)co * g.InChannels) + ci) * k + (k - 1 - j)];
                }
            }
        }

        int reach = (k - 1) * g.Dilation;
        var t = new Conv1dGeometry(g.Batch, g.OutChannels, g.InChannels, g.OutLength, k, 1, g.Dilation, reach - g.PadLeft, reach - g.PadRight);
        Run(t, dy, flipped, null, dx, relu: false, accumulate: true);
    }

    private static void Run(in Conv1dGeometry g, float* x, float* w, float* bias, float* y, bool relu, bool accumulate)
    {
        int blocks = (g.OutChannels + ChannelBlock - 1) / ChannelBlock;
        int items = g.Batch * blocks;
        long work = (long)g.Batch * g.OutChannels * g.OutLength * g.InChannels * g.KernelSize;
        int degree = work < (1 << 18) ? 1 : Math.Min(KernelThreads.Effective, items);
        var job = new Job { Geometry = g, X = x, Weight = w, Bias = bias, Y = y, Relu = relu, Accumulate = accumulate, Blocks = blocks, Items = items };
        KernelParallel.Run(degree, &Work, &job);
    }

    private static void Work(void* state)
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        ref readonly Conv1dGeometry g = ref job.Geometry;
        int lout = g.OutLength;
        int span = (g.KernelSize - 1) * g.Dilation;

        // Scratch row: room for whole tiles past the output and the kernel's reach, zero outside the input.
        int rowLength = ((lout + TileWidth - 1) / TileWidth * TileWidth) + span + W;
        int depth = g.InChannels * g.KernelSize;
        if (_scratch is null || _scratch.Length < (g.InChannels * rowLength) + depth)
        {
            _scratch = GC.AllocateUninitializedArray<float>((g.InChannels * rowLength) + depth, pinned: true);
        }

        float* rows = (float*)Unsafe.AsPointer(ref _scratch[0]);
        int* offsets = (int*)(rows + ((long)g.InChannels * rowLength));
        for (int ci = 0; ci < g.InChannels; ci++)
        {
            for (int kk = 0; kk < g.KernelSize; kk++)
            {
                offsets[(ci * g.KernelSize) + kk] = (ci * rowLength) + (kk * g.Dilation);
            }
        }

        int lastBatch = -1;
        int item;
        while ((item = Interlocked.Increment(ref job.Next) - 1) < job.Items)
        {
            int b = item / job.Blocks;
            int co0 = item % job.Blocks * ChannelBlock;
            int co1 = Math.Min(g.OutChannels, co0 + ChannelBlock);
            if (b != lastBatch)
            {
                FillRows(g, job.X + ((long)b * g.InChannels * g.Length), rows, rowLength);
                lastBatch = b;
            }

            float* y = job.Y + ((long)b * g.OutChannels * lout);
            int full = lout / TileWidth * TileWidth;
            int co = co0;
            for (; co + 4 <= co1; co += 4)
            {
                for (int t = 0; t < full; t += TileWidth)
                {
                    Tile4x4(rows + t, offsets, depth, job.Weight + ((long)co * depth), job.Bias is null ? null : job.Bias + co, y + ((long)co * lout) + t, lout, job.Relu, job.Accumulate);
                }
            }

            // Channels left over from the 4-channel tiles (all positions), then the positions past the last tile.
            for (int c = co; c < co1; c++)
            {
                Rest(rows, offsets, depth, job.Weight + ((long)c * depth), job.Bias is null ? 0f : job.Bias[c], y + ((long)c * lout), 0, lout, job.Relu, job.Accumulate);
            }

            for (int c = co0; c < co; c++)
            {
                Rest(rows, offsets, depth, job.Weight + ((long)c * depth), job.Bias is null ? 0f : job.Bias[c], y + ((long)c * lout), full, lout, job.Relu, job.Accumulate);
            }
        }
    }

    /// <summary>Row ci of the scratch: <c>row[p] = x[ci, p − padLeft]</c> inside the input, 0 elsewhere.</summary>
    private static void FillRows(in Conv1dGeometry g, float* x, float* rows, int rowLength)
    {
        for (int ci = 0; ci < g.InChannels; ci++)
        {
            var row = new Span<float>(rows + ((long)ci * rowLength), rowLength);
            row.Clear();
            int n = Math.Min(g.Length, rowLength - g.PadLeft);
            new ReadOnlySpan<float>(x + ((long)ci * g.Length), n).CopyTo(row[g.PadLeft..]);
        }
    }

    /// <summary>4 channels × 64 positions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4(float* rows, int* offsets, int depth, float* w, float* bias, float* y, int lout, bool relu, bool accumulate)
    {
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        float* w1 = w + depth;
        float* w2 = w1 + depth;
        float* w3 = w2 + depth;
        for (int k = 0; k < depth; k++)
        {
            float* p = rows + offsets[k];
            Vector512<float> x0 = Avx512F.LoadVector512(p);
            Vector512<float> x1 = Avx512F.LoadVector512(p + W);
            Vector512<float> x2 = Avx512F.LoadVector512(p + (2 * W));
            Vector512<float> x3 = Avx512F.LoadVector512(p + (3 * W));
            Vector512<float> v = Vector512.Create(w[k]);
            a00 = Avx512F.FusedMultiplyAdd(v, x0, a00);
            a01 = Avx512F.FusedMultiplyAdd(v, x1, a01);
            a02 = Avx512F.FusedMultiplyAdd(v, x2, a02);
            a03 = Avx512F.FusedMultiplyAdd(v, x3, a03);
            v = Vector512.Create(w1[k]);
            a10 = Avx512F.FusedMultiplyAdd(v, x0, a10);
            a11 = Avx512F.FusedMultiplyAdd(v, x1, a11);
            a12 = Avx512F.FusedMultiplyAdd(v, x2, a12);
            a13 = Avx512F.FusedMultiplyAdd(v, x3, a13);
            v = Vector512.Create(w2[k]);
            a20 = Avx512F.FusedMultiplyAdd(v, x0, a20);
            a21 = Avx512F.FusedMultiplyAdd(v, x1, a21);
            a22 = Avx512F.FusedMultiplyAdd(v, x2, a22);
            a23 = Avx512F.FusedMultiplyAdd(v, x3, a23);
            v = Vector512.Create(w3[k]);
            a30 = Avx512F.FusedMultiplyAdd(v, x0, a30);
            a31 = Avx512F.FusedMultiplyAdd(v, x1, a31);
            a32 = Avx512F.FusedMultiplyAdd(v, x2, a32);
            a33 = Avx512F.FusedMultiplyAdd(v, x3, a33);
        }

        Store4(y, a00, a01, a02, a03, bias is null ? 0f : bias[0], relu, accumulate);
        Store4(y + lout, a10, a11, a12, a13, bias is null ? 0f : bias[1], relu, accumulate);
        Store4(y + (2L * lout), a20, a21, a22, a23, bias is null ? 0f : bias[2], relu, accumulate);
        Store4(y + (3L * lout), a30, a31, a32, a33, bias is null ? 0f : bias[3], relu, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(float* y, Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3, float bias, bool relu, bool accumulate)
    {
        if (accumulate)
        {
            a0 = Avx512F.Add(Avx512F.LoadVector512(y), a0);
            a1 = Avx512F.Add(Avx512F.LoadVector512(y + W), a1);
            a2 = Avx512F.Add(Avx512F.LoadVector512(y + (2 * W)), a2);
            a3 = Avx512F.Add(Avx512F.LoadVector512(y + (3 * W)), a3);
        }

        Vector512<float> b = Vector512.Create(bias);
        a0 = Avx512F.Add(a0, b);
        a1 = Avx512F.Add(a1, b);
        a2 = Avx512F.Add(a2, b);
        a3 = Avx512F.Add(a3, b);
        if (relu)
        {
            a0 = Avx512F.Max(a0, Vector512<float>.Zero);
            a1 = Avx512F.Max(a1, Vector512<float>.Zero);
            a2 = Avx512F.Max(a2, Vector512<float>.Zero);
            a3 = Avx512F.Max(a3, Vector512<float>.Zero);
        }

        Avx512F.Store(y, a0);
        Avx512F.Store(y + W, a1);
        Avx512F.Store(y + (2 * W), a2);
        Avx512F.Store(y + (3 * W), a3);
    }

    /// <summary>One channel, positions <paramref name="from"/> … <paramref name="lout"/> − 1, 16 at a time (the last one partial).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rest(float* rows, int* offsets, int depth, float* w, float bias, float* y, int from, int lout, bool relu, bool accumulate)
    {
        float* tail = stackalloc float[W];
        for (int t = from; t < lout; t += W)
        {
            Vector512<float> acc = default;
            for (int k = 0; k < depth; k++)
            {
                acc = Avx512F.FusedMultiplyAdd(Vector512.Create(w[k]), Avx512F.LoadVector512(rows + offsets[k] + t), acc);
            }

            if (accumulate)
            {
                if (t + W <= lout)
                {
                    acc = Avx512F.Add(Avx512F.LoadVector512(y + t), acc);
                }
                else
                {
                    new Span<float>(tail, W).Clear();
                    new ReadOnlySpan<float>(y + t, lout - t).CopyTo(new Span<float>(tail, W));
                    acc = Avx512F.Add(Avx512F.LoadVector512(tail), acc);
                }
            }

            acc = Avx512F.Add(acc, Vector512.Create(bias));
            if (relu)
            {
                acc = Avx512F.Max(acc, Vector512<float>.Zero);
            }

            if (t + W <= lout)
            {
                Avx512F.Store(y + t, acc);
            }
            else
            {
                Avx512F.Store(tail, acc);
                new ReadOnlySpan<float>(tail, lout - t).CopyTo(new Span<float>(y + t, lout - t));
            }
        }
    }

    private struct Job
    {
        public Conv1dGeometry Geometry;
        public float* X;
        public float* Weight;
        public float* Bias;
        public float* Y;
        public bool Relu;
        public bool Accumulate;
        public int Blocks;
        public int Items;
        public int Next;
    }
}
