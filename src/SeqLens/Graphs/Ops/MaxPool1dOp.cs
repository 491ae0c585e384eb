using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json.Nodes;
using SeqLens.Kernels;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// 1-D max pooling over the length axis: <c>(B, C, L) → (B, C, Lout)</c> with
/// <c>Lout = floor((L + padL + padR − kernel)/stride) + 1</c> (PyTorch's <c>ceil_mode=False</c>). Stride defaults to
/// the kernel size; padded positions never win. The gradient goes to the first maximum of each window (the argmax kept
/// in the workspace by <see cref="Pool1d.MaxForward"/>). Attribution: <see cref="AttributionClass.MaxPool"/>.
/// </summary>
public sealed class MaxPool1dOp : Op
{
    /// <summary>A max pool of width <paramref name="kernelSize"/>; <paramref name="stride"/> null means the kernel size.</summary>
    public MaxPool1dOp(int kernelSize, int? stride = null, Padding padding = default)
    {
        int s = stride ?? kernelSize;
        if (kernelSize <= 0 || s <= 0 || padding.Left < 0 || padding.Right < 0 || padding.Left >= kernelSize || padding.Right >= kernelSize)
        {
            throw new ArgumentException($"Invalid MaxPool1d: kernel {kernelSize}, stride {s}, padding {padding} (padding must be below the kernel size).");
        }

        KernelSize = kernelSize;
        Stride = s;
        Padding = padding;
    }

    /// <summary>Window width.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Padding of the length axis (never selected).</summary>
    public Padding Padding { get; }

    /// <inheritdoc/>
    public override string Kind => "MaxPool1d";

    /// <inheritdoc/>
    public override AttributionClass Attribution => AttributionClass.MaxPool;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        ExpectRank(inputShapes[0], 3, "(batch, channels, length)");
        int[] s = inputShapes[0];
        (int left, int right) = Padding.Resolve(s[2], KernelSize, Stride, 1);
        int lout = s[2] + left + right >= KernelSize ? Pool1d.OutLength(s[2], KernelSize, Stride, left, right) : 0;
        if (lout <= 0)
        {
            throw new ArgumentException($"MaxPool1d expects (batch, channels, length ≥ {KernelSize - left - right}); got {Tensor.FormatShape(s)}.");
        }

        return [s[0], s[1], lout];
    }

    /// <summary>The padding and the argmax index of every output element.</summary>
    public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        ArgumentNullException.ThrowIfNull(outputShape);
        (int left, _) = Padding.Resolve(inputShapes[0][2], KernelSize, Stride, 1);
        // Windows that tile the row from position 0 (stride = kernel ≤ 8, no left padding) take the dense vector update.
        int tiled = Stride == KernelSize && left == 0 && KernelSize <= 8 ? KernelSize : 0;
        return new Workspace(left, new int[outputShape[0] * outputShape[1] * outputShape[2]], tiled);
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var w = (Workspace)context.Workspace!;
        int[] s = context.Input.Shape;
        int lout = context.Output.Shape[2];
        var body = new ForwardRows(this, context.Input.Data, context.Output.Data, w, s[2], lout);
        RowParallel.For(s[0] * s[1], s[2], ref body);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is not Tensor dx)
        {
            return;
        }

        var w = (Workspace)context.Workspace!;
        int[] s = context.Input.Shape;
        if (context.Rule == BackwardRule.Gradient)
        {
            var body = new BackwardRows(context.OutputGrad.Data, w.Argmax, dx.Data, s[2], context.Output.Shape[2]);
            RowParallel.For(s[0] * s[1], context.Output.Shape[2], ref body);
        }
        else
        {
            var body = new PairedRows(context.Pairs!, s[1], s[2], context.Output.Shape[2], context.Input.Data, context.OutputGrad.Data, w.Argmax, dx.Data, null, w.Tiled, context.Output.Data, false);
            RowParallel.For(context.Pairs!.BatchSize, (long)s[1] * context.Output.Shape[2] * 4, ref body);
        }
    }

    /// <summary>
    /// The paired DeepLIFT rule of this pool fused with the Rescale rule of the ReLU before it (see
    /// <see cref="PairedMaxBackward(RowPairs, int, int, int, float[], float[], int[], float[], float[], int, float[], bool)"/>): adds into
    /// <paramref name="reluInputGrad"/>, the multipliers of the ReLU's input <paramref name="reluInput"/>; the context's input
    /// is the ReLU's output.
    /// </summary>
    /// <remarks>With <paramref name="overwrite"/> the multipliers are written instead of added (every element of
    /// <paramref name="reluInputGrad"/>, zero where no share lands): the caller need not clear the buffer first.</remarks>
    internal static void PairedBackwardThroughRelu(BackwardContext context, Tensor reluInput, Tensor reluInputGrad, bool overwrite)
    {
        var w = (Workspace)context.Workspace!;
        int[] s = context.Input.Shape;
        var body = new PairedRows(context.Pairs!, s[1], s[2], context.Output.Shape[2], context.Input.Data, context.OutputGrad.Data, w.Argmax, reluInputGrad.Data, reluInput.Data, w.Tiled, context.Output.Data, overwrite);
        RowParallel.For(context.Pairs!.BatchSize, (long)s[1] * context.Output.Shape[2] * 4, ref body);
    }

    /// <inheritdoc/>
    public override bool SupportsRule(BackwardRule rule) => rule is BackwardRule.Gradient or BackwardRule.Rescale or BackwardRule.RevealCancel;

    /// <summary>
    /// DeepLIFT rule of max pooling (Rescale and RevealCancel alike), per pair and window: with <c>a</c> the winner of the
    /// input window and <c>b</c> the winner of the reference window, the window's <c>Δy = x[a] − x0[b]</c> is shared between
    /// positions a and b by the Shapley values of the two-position game <c>max(x_a, x_b)</c>:
    /// <c>φa = ½(max(x[a], x0[b]) − y0) + ½(y − max(x0[a], x[b]))</c>, <c>φb = ½(max(x0[a], x[b]) − y0) + ½(y − max(x[a], x0[b]))</c>,
    /// <c>m_a = m·φa/Δx[a]</c>, <c>m_b = m·φb/Δx[b]</c>.
    /// </summary>
    /// <remarks>
    /// φa + φb = Δy exactly (summation-to-delta per window); when a = b the rule is the gradient (m_a = m, since Δy = Δx[a]);
    /// 0 ≤ φ/Δx ≤ 1 because max is monotone and 1-Lipschitz. NOTE: where |Δx| &lt; 1e-6 at one position its share goes to the
    /// other position (the share is itself below 1e-6); when both are below, the gradient (m at a) is used. Used by
    /// <see cref="MaxPool1dOp"/> and <see cref="GlobalMaxPoolOp"/>; overlapping windows add their multipliers.
    /// </remarks>
    internal static void PairedMaxBackward(RowPairs pairs, int channels, int length, int outLength, float[] x, float[] m, int[] argmax, float[] dx)
        => PairedMaxBackward(pairs, channels, length, outLength, x, m, argmax, dx, null, 0);

    /// <summary>
    /// <see cref="PairedMaxBackward(RowPairs, int, int, int, float[], float[], int[], float[])"/> through the ReLU that feeds
    /// the pool when <paramref name="reluInput"/> (that ReLU's input z, with <paramref name="x"/> = max(z, 0)) is given: each
    /// share is multiplied by the ReLU's Rescale multiplier at its position, <c>(x − x0)/(z − z0)</c>, or the gradient
    /// <c>z &gt; 0</c> where |z − z0| &lt; 1e-6 (<see cref="ElementwiseOp"/>), and added into the ReLU's input multipliers. The
    /// same float operations as the two rules one after the other; with non-overlapping windows (stride ≥ kernel) every
    /// position receives at most one share, so the result is bit-identical to the unfused pair. <paramref name="tiled"/>: the
    /// kernel size when the windows tile the row from position 0 (stride = kernel ≤ 8, no padding), else 0; then blocks of 8
    /// windows update dx as kernel dense vectors (the same sums, no scatter). <paramref name="pooled"/>: the pool's outputs
    /// (y = x[argmax] exactly, read instead of gathering the winners), or null. <paramref name="overwrite"/>: write every
    /// element of dx instead of adding (zero where no share lands).
    /// </summary>
    internal static void PairedMaxBackward(RowPairs pairs, int channels, int length, int outLength, float[] x, float[] m, int[] argmax, float[] dx, float[]? reluInput, int tiled, float[]? pooled = null, bool overwrite = false)
    {
        var body = new PairedRows(pairs, channels, length, outLength, x, m, argmax, dx, reluInput, tiled, pooled, overwrite);
        RowParallel.For(pairs.BatchSize, (long)channels * outLength * 4, ref body);
    }

    /// <summary>The ReLU's Rescale multiplier at one position (see <see cref="PairedMaxBackward(RowPairs, int, int, int, float[], float[], int[], float[], float[], int, float[], bool)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ReluRatio(float[] z, float[] x, int input, int reference)
    {
        float d = z[input] - z[reference];
        return Math.Abs(d) >= ElementwiseOp.RescaleEpsilon ? (x[input] - x[reference]) / d : (z[input] > 0f ? 1f : 0f);
    }

    /// <summary>Adds <paramref name="share"/> at position <paramref name="p"/>, through the ReLU's multiplier when <paramref name="z"/> is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddShare(float[] dx, float[] x, float[]? z, int rowIn, int rowRef, int rowOut, int p, float share)
    {
        dx[rowOut + p] += z is null ? share : share * ReluRatio(z, x, rowIn + p, rowRef + p);
    }

    /// <summary>The paired max rule of one pair row (see <see cref="PairedMaxBackward(RowPairs, int, int, int, float[], float[], int[], float[], float[], int, float[], bool)"/>).</summary>
    private static void PairedMaxRow(RowPairs pairs, int r, int channels, int length, int outLength, float[] x, float[] m, int[] argmax, float[] dx, float[]? z, int tiled, float[]? pooled, bool overwrite)
    {
        const float eps = ElementwiseOp.RescaleEpsilon;
        for (int c = 0; c < channels; c++)
        {
            int rowIn = ((pairs.InputRow[r] * channels) + c) * length;
            int rowRef = ((pairs.ReferenceRow[r] * channels) + c) * length;
            int rowOut = ((r * channels) + c) * length;
            int argIn = ((pairs.InputRow[r] * channels) + c) * outLength;
            int argRef = ((pairs.ReferenceRow[r] * channels) + c) * outLength;
            int mo = ((r * channels) + c) * outLength;
            bool blocks = Avx2.IsSupported;
            if (overwrite && !(blocks && tiled > 0))
            {
                dx.AsSpan(rowOut, length).Clear();
            }

            int first = blocks ? PairedMaxBlocks(x, m, argmax, dx, z, rowIn, rowRef, rowOut, argIn, argRef, mo, outLength, tiled, pooled, overwrite) : 0;
            if (overwrite && blocks && tiled > 0)
            {
                dx.AsSpan(rowOut + (first * tiled), length - (first * tiled)).Clear(); // the tiled blocks wrote up to here
            }

            for (int t = first; t < outLength; t++)
            {
                int a = argmax[argIn + t];
                int b = argmax[argRef + t];
                float mt = m[mo + t];
                if (a < 0 || b < 0)
                {
                    continue;
                }

                if (a == b)
                {
                    AddShare(dx, x, z, rowIn, rowRef, rowOut, a, mt);
                    continue;
                }

                float xa = x[rowIn + a];
                float xb = x[rowIn + b];
                float x0a = x[rowRef + a];
                float x0b = x[rowRef + b];
                float y = xa;
                float y0 = x0b;
                float phiA = (0.5f * (Math.Max(xa, x0b) - y0)) + (0.5f * (y - Math.Max(x0a, xb)));
                float phiB = (0.5f * (Math.Max(x0a, xb) - y0)) + (0.5f * (y - Math.Max(xa, x0b)));
                float da = xa - x0a;
                float db = xb - x0b;
                bool smallA = Math.Abs(da) < eps;
                bool smallB = Math.Abs(db) < eps;
                if (smallA && smallB)
                {
                    AddShare(dx, x, z, rowIn, rowRef, rowOut, a, mt);
                }
                else if (smallA)
                {
                    AddShare(dx, x, z, rowIn, rowRef, rowOut, b, mt * ((phiA + phiB) / db));
                }
                else if (smallB)
                {
                    AddShare(dx, x, z, rowIn, rowRef, rowOut, a, mt * ((phiA + phiB) / da));
                }
                else
                {
                    AddShare(dx, x, z, rowIn, rowRef, rowOut, a, mt * (phiA / da));
                    AddShare(dx, x, z, rowIn, rowRef, rowOut, b, mt * (phiB / db));
                }
            }
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["kernel_size"] = KernelSize;
        attributes["stride"] = Stride;
        attributes["padding"] = Padding.ToJson();
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>kernel_size</c>; <c>stride</c> = kernel; <c>padding</c> valid).</summary>
    internal static MaxPool1dOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
    {
        int k = a.Int("kernel_size");
        return new(k, a.Int("stride", k), Padding.FromJson(a.Node("padding")));
    }

    /// <summary>
    /// The paired max rule of <see cref="PairedMaxRow"/> for windows 8 at a time (AVX2 gathers, no branches): the same float
    /// operations per window, then the two multipliers are added into dx lane by lane in window order (a lane without a
    /// share adds zero), as the scalar loop does. Returns the first window left for the scalar loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int PairedMaxBlocks(float[] x, float[] m, int[] argmax, float[] dx, float[]? z, int rowIn, int rowRef, int rowOut, int argIn, int argRef, int mo, int outLength, int tiled, float[]? pooled, bool overwrite)
    {
        var eps = Vector256.Create(ElementwiseOp.RescaleEpsilon);
        var half = Vector256.Create(0.5f);
        int t = 0;

        // Tiled windows: position 8q + i of a block of 8 windows belongs to window (8q + i)/kernel at offset (8q + i)%kernel.
        Vector256<int>* lane = stackalloc Vector256<int>[8];
        Vector256<int>* offset = stackalloc Vector256<int>[8];
        for (int q = 0; q < tiled; q++)
        {
            lane[q] = Vector256.Create(8 * q) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            offset[q] = lane[q] - (Vector256.Create(tiled) * (lane[q] / tiled));
            lane[q] /= tiled;
        }

        fixed (float* px = x)
        fixed (float* pm = m)
        fixed (int* pi = argmax)
        fixed (float* pd = dx)
        fixed (float* pz = z)
        fixed (float* py = pooled)
        {
            // The winners' own values are the pool's outputs (y = x[argmax] exactly): two loads instead of two gathers.
            bool direct = tiled > 0 && py is not null;
            float* shareA = stackalloc float[8];
            float* shareB = stackalloc float[8];
            int* at = stackalloc int[8];
            int* bt = stackalloc int[8];
            for (; t + 8 <= outLength; t += 8)
            {
                var va = Vector256.Load(pi + argIn + t);
                var vb = Vector256.Load(pi + argRef + t);
                var valid = ~(Vector256.LessThan(va, Vector256<int>.Zero) | Vector256.LessThan(vb, Vector256<int>.Zero));
                va = va & valid;
                vb = vb & valid;
                var mt = Vector256.Load(pm + mo + t);
                var xa = direct ? Vector256.Load(py + argIn + t) : Avx2.GatherVector256(px + rowIn, va, 4);
                var xb = Avx2.GatherVector256(px + rowIn, vb, 4);
                var x0a = Avx2.GatherVector256(px + rowRef, va, 4);
                var x0b = direct ? Vector256.Load(py + argRef + t) : Avx2.GatherVector256(px + rowRef, vb, 4);
                var phiA = (half * (Vector256.Max(xa, x0b) - x0b)) + (half * (xa - Vector256.Max(x0a, xb)));
                var phiB = (half * (Vector256.Max(x0a, xb) - x0b)) + (half * (xa - Vector256.Max(xa, x0b)));
                var da = xa - x0a;
                var db = xb - x0b;
                var smallA = Vector256.LessThan(Vector256.Abs(da), eps);
                var smallB = Vector256.LessThan(Vector256.Abs(db), eps);
                var same = Vector256.Equals(va, vb).AsSingle();
                var gradientAtA = same | (smallA & smallB);
                // The numerator is chosen before the one division per position (the same float operations as each branch).
                var sum = phiA + phiB;
                var a = Vector256.ConditionalSelect(gradientAtA, mt, Vector256.ConditionalSelect(smallA & ~smallB, Vector256<float>.Zero, mt * (Vector256.ConditionalSelect(smallB, sum, phiA) / da)));
                var b = Vector256.ConditionalSelect(same | smallB, Vector256<float>.Zero, mt * (Vector256.ConditionalSelect(smallA, sum, phiB) / db));
                var validF = valid.AsSingle();
                if (tiled > 0)
                {
                    // Dense update of the 8·kernel positions of these windows: each gets its window's share where it is a (or b).
                    a &= validF;
                    b &= validF;
                    var start = (Vector256.Create(t) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7)) * tiled;
                    var offA = va - start;
                    var offB = vb - start;
                    int p0 = t * tiled;
                    for (int q = 0; q < tiled; q++)
                    {
                        var sa = Avx2.PermuteVar8x32(a, lane[q]);
                        var sb = Avx2.PermuteVar8x32(b, lane[q]);
                        var atA = Vector256.Equals(Avx2.PermuteVar8x32(offA, lane[q]), offset[q]).AsSingle();
                        var atB = Vector256.Equals(Avx2.PermuteVar8x32(offB, lane[q]), offset[q]).AsSingle();
                        var share = (sa & atA) + (sb & atB);
                        int p = p0 + (8 * q);
                        if (pz is not null)
                        {
                            // Through the ReLU, at contiguous positions: (x − x0)/(z − z0), or z > 0 where |z − z0| < ε.
                            var zi = Vector256.Load(pz + rowIn + p);
                            var dz = zi - Vector256.Load(pz + rowRef + p);
                            var dxr = Vector256.Load(px + rowIn + p) - Vector256.Load(px + rowRef + p);
                            var ratio = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(dz), eps), Vector256.GreaterThan(zi, Vector256<float>.Zero) & Vector256.Create(1f), dxr / dz);
                            share *= ratio;
                        }

                        float* dst = pd + rowOut + p;
                        Vector256.Store((overwrite ? Vector256<float>.Zero : Vector256.Load(dst)) + share, dst);
                    }

                    continue;
                }

                if (pz is not null)
                {
                    // Through the ReLU: (x − x0)/(z − z0) at each share's position, or the gradient z > 0 where |z − z0| < ε.
                    var za = Avx2.GatherVector256(pz + rowIn, va, 4);
                    var zb = Avx2.GatherVector256(pz + rowIn, vb, 4);
                    var dza = za - Avx2.GatherVector256(pz + rowRef, va, 4);
                    var dzb = zb - Avx2.GatherVector256(pz + rowRef, vb, 4);
                    var one = Vector256.Create(1f);
                    var ratioA = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(dza), eps), Vector256.GreaterThan(za, Vector256<float>.Zero).AsSingle() & one, da / dza);
                    var ratioB = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(dzb), eps), Vector256.GreaterThan(zb, Vector256<float>.Zero).AsSingle() & one, db / dzb);
                    a *= ratioA;
                    b *= ratioB;
                }

                Vector256.Store(a & validF, shareA);
                Vector256.Store(b & validF, shareB);
                Vector256.Store(va, at);
                Vector256.Store(vb, bt);
                float* o = pd + rowOut;
                for (int i = 0; i < 8; i++)
                {
                    o[at[i]] += shareA[i];
                    o[bt[i]] += shareB[i];
                }
            }
        }

        return t;
    }

    private readonly struct ForwardRows(MaxPool1dOp op, float[] x, float[] y, Workspace w, int length, int lout) : IRowBody
    {
        public void Run(int first, int end)
        {
            int n = end - first;
            Pool1d.MaxForward(n, length, op.KernelSize, op.Stride, w.PadLeft, lout, x.AsSpan(first * length, n * length), y.AsSpan(first * lout, n * lout), w.Argmax.AsSpan(first * lout, n * lout));
        }
    }

    private readonly struct BackwardRows(float[] dy, int[] argmax, float[] dx, int length, int lout) : IRowBody
    {
        public void Run(int first, int end)
        {
            int n = end - first;
            Pool1d.MaxBackward(n, length, lout, dy.AsSpan(first * lout, n * lout), argmax.AsSpan(first * lout, n * lout), dx.AsSpan(first * length, n * length));
        }
    }

    private readonly struct PairedRows(RowPairs pairs, int channels, int length, int outLength, float[] x, float[] m, int[] argmax, float[] dx, float[]? z, int tiled, float[]? pooled, bool overwrite) : IRowBody
    {
        public void Run(int first, int end)
        {
            for (int r = first; r < end; r++)
            {
                if (!pairs.HasPair(r) && overwrite)
                {
                    dx.AsSpan(r * channels * length, channels * length).Clear();
                }
                else if (pairs.HasPair(r))
                {
                    PairedMaxRow(pairs, r, channels, length, outLength, x, m, argmax, dx, z, tiled, pooled, overwrite);
                }
            }
        }
    }

    /// <summary>Left padding, argmax per output, and the kernel size when the windows tile the row (else 0).</summary>
    private sealed record Workspace(int PadLeft, int[] Argmax, int Tiled);
}
