using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

// The weight gradient of the shallow layers the direct forward handles.
internal static unsafe partial class Conv1dDirect
{
    /// <summary>
    /// Adds dLoss/dWeight into <paramref name="dw"/> <c>(Cout, Cin, K)</c>:
    /// <c>dW[co, k] += Σ_b (Σ_t dY[b, co, t]·row_k[t])</c> with <c>row_(ci, kk)[t] = x[b, ci, t + kk·dilation − padLeft]</c>.
    /// </summary>
    /// <remarks>
    /// Work items are blocks of 16 output channels (the input rows are padded once per block and batch item, then
/// read for 4 channels at a time); each dW element is summed by one thread, over t in 16 lanes × 2
    /// interleaved accumulators, lanes and accumulators reduced in a fixed order per batch item, then over batch items
    /// in order: bit-identical for any thread count. <see cref="Handles"/> must hold (same domain as the forward).
    /// </remarks>
    public static void BackwardWeight(in Conv1dGeometry g, float* x, float* dy, float* dw)
    {
        int items = (g.OutChannels + WeightBlock - 1) / WeightBlock;
        long work = (long)g.Batch * g.OutChannels * g.OutLength * g.InChannels * g.KernelSize;
        int degree = work < (1 << 18) ? 1 : Math.Min(KernelThreads.Effective, items);
        var job = new Job { Geometry = g, X = x, Weight = dw, Y = dy, Items = items };
        KernelParallel.Run(degree, &WeightWork, &job);
    }

    private static void WeightWork(void* state)
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        ref readonly Conv1dGeometry g = ref job.Geometry;
        int lout = g.OutLength;
        int span = (g.KernelSize - 1) * g.Dilation;
        int rowLength = ((lout + W - 1) / W * W) + span + W;
        int depth = g.InChannels * g.KernelSize;
        int need = (g.InChannels * rowLength) + depth + (4 * W) + (WeightBlock * depth);
        if (_scratch is null || _scratch.Length < need)
        {
            _scratch = GC.AllocateUninitializedArray<float>(need, pinned: true);
        }

        float* rows = (float*)Unsafe.AsPointer(ref _scratch[0]);
        int* offsets = (int*)(rows + ((long)g.InChannels * rowLength));
        float* tails = rows + ((long)g.InChannels * rowLength) + depth;
        float* sums = tails + (4 * W);
        for (int ci = 0; ci < g.InChannels; ci++)
        {
            for (int kk = 0; kk < g.KernelSize; kk++)
            {
                offsets[(ci * g.KernelSize) + kk] = (ci * rowLength) + (kk * g.Dilation);
            }
        }

        int full = lout / W * W;
        int item;
        while ((item = Interlocked.Increment(ref job.Next) - 1) < job.Items)
        {
            int co0 = item * WeightBlock;
            int count = Math.Min(WeightBlock, g.OutChannels - co0);
            new Span<float>(sums, WeightBlock * depth).Clear();
            for (int b = 0; b < g.Batch; b++)
            {
                FillRows(g, job.X + ((long)b * g.InChannels * g.Length), rows, rowLength);
                for (int c0 = 0; c0 < count; c0 += 4)
                {
                    // dY rows of 4 channels (past the block's end: channel c0 again, dropped), tails zero-padded.
                    int left = count - c0;
                    float* d0 = job.Y + ((((long)b * g.OutChannels) + co0 + c0) * lout);
                    float* d1 = left > 1 ? d0 + lout : d0;
                    float* d2 = left > 2 ? d0 + (2L * lout) : d0;
                    float* d3 = left > 3 ? d0 + (3L * lout) : d0;
                    if (full < lout)
                    {
                        Stage(tails, d0 + full, lout - full);
                        Stage(tails + W, d1 + full, lout - full);
                        Stage(tails + (2 * W), d2 + full, lout - full);
                        Stage(tails + (3 * W), d3 + full, lout - full);
                    }

                    float* block = sums + ((long)c0 * depth);
                    for (int k = 0; k < depth; k++)
                    {
                        WeightTap(rows + offsets[k], d0, d1, d2, d3, tails, full, lout, block + k, depth, Math.Min(4, left));
                    }
                }
            }

            for (int c = 0; c < count; c++)
            {
                float* dst = job.Weight + ((long)(co0 + c) * depth);
                for (int k = 0; k < depth; k++)
                {
                    dst[k] += sums[(c * depth) + k];
                }
            }
        }
    }

    /// <summary>sums[c·depth] += Σ_t d_c[t]·row[t] for the first <paramref name="channels"/> of 4 channels, one batch item.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightTap(float* row, float* d0, float* d1, float* d2, float* d3, float* tails, int full, int lout, float* sums, int depth, int channels)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
        int t = 0;
        for (; t + (2 * W) <= full; t += 2 * W)
        {
            Vector512<float> x = Avx512F.LoadVector512(row + t);
            Vector512<float> y = Avx512F.LoadVector512(row + t + W);
            a0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d0 + t), x, a0);
            a1 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d1 + t), x, a1);
            a2 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d2 + t), x, a2);
            a3 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d3 + t), x, a3);
            b0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d0 + t + W), y, b0);
            b1 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d1 + t + W), y, b1);
            b2 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d2 + t + W), y, b2);
            b3 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d3 + t + W), y, b3);
        }

        if (t < full)
        {
            Vector512<float> x = Avx512F.LoadVector512(row + t);
            a0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d0 + t), x, a0);
            a1 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d1 + t), x, a1);
            a2 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d2 + t), x, a2);
            a3 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(d3 + t), x, a3);
        }

        if (full < lout)
        {
            Vector512<float> y = Avx512F.LoadVector512(row + full);
            b0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(tails), y, b0);
            b1 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(tails + W), y, b1);
            b2 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(tails + (2 * W)), y, b2);
            b3 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(tails + (3 * W)), y, b3);
        }

        sums[0] += Vector512.Sum(Avx512F.Add(a0, b0));
        if (channels > 1)
        {
            sums[depth] += Vector512.Sum(Avx512F.Add(a1, b1));
        }

        if (channels > 2)
        {
            sums[2 * depth] += Vector512.Sum(Avx512F.Add(a2, b2));
        }

        if (channels > 3)
        {
            sums[3 * depth] += Vector512.Sum(Avx512F.Add(a3, b3));
        }
    }

    /// <summary>Copies <paramref name="count"/> floats into a 16-float buffer and zeroes the rest.</summary>
    private static void Stage(float* buffer, float* source, int count)
    {
        new Span<float>(buffer, W).Clear();
        new ReadOnlySpan<float>(source, count).CopyTo(new Span<float>(buffer, count));
    }
}
