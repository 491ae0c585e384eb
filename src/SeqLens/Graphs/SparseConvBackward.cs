using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SeqLens.Kernels;

namespace SeqLens.Graphs;

/// <summary>
/// Input gradient <c>dx += Wᵀ∗dy</c> of a 1-D convolution (groups 1) for rows whose output gradient is sparse — the usual
/// case in attribution backward passes, where a ReLU and a max pool after the convolution leave about one nonzero in
/// four or fewer. Rows with at most <see cref="MaxDensity"/> nonzeros scatter each nonzero <c>dy[co, t]</c> through the
/// weights (packed per call as <c>[k][32 input channels][co]</c> panels that stay in L1); denser rows take the dense
/// kernel (<see cref="Conv1d.BackwardInput"/>); rows without a nonzero add nothing and are skipped (the unpaired input rows
/// of DeepLIFT-SHAP's shared layout: no weight packing for them alone). The path of a row depends on its own data only, and
/// every element is summed in a fixed order (tap, then output position, then output channel in four interleaved
/// partial sums), so results do not depend on the batch size or the thread count.
/// </summary>
internal static unsafe class SparseConvBackward
{
    /// <summary>
    /// Highest share of nonzero output-gradient entries for which a row takes the sparse path (0.2: on the Basset-like
    /// second convolution, one thread, the sparse path took 26.8 ms against 47.0 dense per 20 rows at 10 % nonzeros, and
    /// broke even near 20 %; integrated gradients sit near 16 %, DeepLIFT-SHAP near 30 %).
    /// </summary>
    public const double MaxDensity = 0.2;

    private const int Width = 32;

    [ThreadStatic]
    private static float[]? _scratch;

    [ThreadStatic]
    private static int[]? _index;

    /// <summary>True when the sparse path applies to <paramref name="g"/> on this machine.</summary>
    public static bool Supported(in Conv1dGeometry g)
        => g.Groups == 1 && Avx512F.IsSupported && g.InChannels >= 16 && (long)g.OutChannels * g.OutLength >= 4096 && g.Batch >= 1;

    /// <summary>Adds the input gradient of every row of <paramref name="dy"/> <c>(B, Cout, Lout)</c> into <paramref name="dx"/> <c>(B, Cin, L)</c>.</summary>
    public static void BackwardInput(in Conv1dGeometry g, float[] dy, float[] weight, float[] dx)
    {
        int rowY = g.OutChannels * g.OutLength;
        int rowX = g.InChannels * g.Length;
        int groups = (g.InChannels + Width - 1) / Width;
        int packedLength = g.KernelSize * groups * g.OutChannels * Width;
        float[] packed = ArrayPool<float>.Shared.Rent(packedLength);
        int[] nonzeros = ArrayPool<int>.Shared.Rent(g.Batch);
        try
        {
            int sparseRows = 0;
            for (int r = 0; r < g.Batch; r++)
            {
                nonzeros[r] = CountNonzero(dy.AsSpan(r * rowY, rowY));
                sparseRows += nonzeros[r] > 0 && nonzeros[r] <= MaxDensity * rowY ? 1 : 0; // an all-zero row adds nothing
            }

            if (sparseRows > 0)
            {
                Pack(g, weight, packed, groups);
                var body = new SparseRows(g, dy, packed, dx, nonzeros, groups);
                RowParallel.For(g.Batch, (long)rowY * g.KernelSize * g.InChannels / 8, ref body);
            }

            // Runs of dense rows go through the dense kernel together (its rows do not depend on the batch around them).
            for (int r = 0; r < g.Batch;)
            {
                int end = r;
                while (end < g.Batch && nonzeros[end] > MaxDensity * rowY)
                {
                    end++;
                }

                if (end > r)
                {
                    Conv1d.BackwardInput(g with { Batch = end - r }, dy.AsSpan(r * rowY, (end - r) * rowY), weight, dx.AsSpan(r * rowX, (end - r) * rowX));
                }

                r = end + 1;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
            ArrayPool<int>.Shared.Return(nonzeros);
        }
    }

    /// <summary>Every row through the sparse scatter whatever its density (for benchmarks).</summary>
    internal static void ScatterAll(in Conv1dGeometry g, float[] dy, float[] weight, float[] dx)
    {
        int groups = (g.InChannels + Width - 1) / Width;
        float[] packed = ArrayPool<float>.Shared.Rent(g.KernelSize * groups * g.OutChannels * Width);
        int[] all = new int[g.Batch];
        Array.Fill(all, 1); // every row on the sparse path
        Pack(g, weight, packed, groups);
        var body = new SparseRows(g, dy, packed, dx, all, groups);
        RowParallel.For(g.Batch, 1 << 20, ref body);
        ArrayPool<float>.Shared.Return(packed);
    }

    /// <summary>Panels <c>P[k][group][co][j] = W[co, group·32 + j, k]</c> (zero beyond the input channels).</summary>
    private static void Pack(in Conv1dGeometry g, float[] w, float[] packed, int groups)
    {
        // One tap per task, on the kernel workers: each writes its own panels (no shared element), so the result is the
        // same for any thread count.
        var body = new PackTaps(w, packed, g.InChannels, g.OutChannels, g.KernelSize, groups);
        RowParallel.For(g.KernelSize, (long)groups * g.OutChannels * Width, ref body);
    }

    private readonly struct PackTaps(float[] w, float[] packed, int cin, int cout, int kernel, int groups) : IRowBody
    {
        public void Run(int first, int end)
        {
            for (int k = first; k < end; k++)
            {
                for (int grp = 0; grp < groups; grp++)
                {
                    int panel = ((k * groups) + grp) * cout * Width;
                    for (int co = 0; co < cout; co++)
                    {
                        for (int j = 0; j < Width; j++)
                        {
                            int ci = (grp * Width) + j;
                            packed[panel + (co * Width) + j] = ci < cin ? w[(((co * cin) + ci) * kernel) + k] : 0f;
                        }
                    }
                }
            }
        }
    }

    private static int CountNonzero(ReadOnlySpan<float> row)
    {
        // NOTE: branch-free vector count (the lanes equal to zero count −1 each, summed as integers).
        var rows = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(row);
        var zeros = System.Numerics.Vector<int>.Zero;
        for (int v = 0; v < rows.Length; v++)
        {
            zeros += System.Numerics.Vector.Equals(rows[v], System.Numerics.Vector<float>.Zero);
        }

        int n = row.Length + System.Numerics.Vector.Sum(zeros);
        for (int i = rows.Length * System.Numerics.Vector<float>.Count; i < row.Length; i++)
        {
            n -= row[i] == 0f ? 1 : 0;
        }

        return n;
    }

    private readonly struct SparseRows(Conv1dGeometry g, float[] dy, float[] packed, float[] dx, int[] nonzeros, int groups) : IRowBody
    {
        public void Run(int first, int end)
        {
            int rowY = g.OutChannels * g.OutLength;
            for (int r = first; r < end; r++)
            {
                if (nonzeros[r] > 0 && nonzeros[r] <= MaxDensity * rowY)
                {
                    Row(g, dy.AsSpan(r * rowY, rowY), packed, dx.AsSpan(r * g.InChannels * g.Length, g.InChannels * g.Length), groups);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row(in Conv1dGeometry g, ReadOnlySpan<float> dy, float[] packed, Span<float> dx, int groups)
    {
        int cout = g.OutChannels;
        int lout = g.OutLength;
        int length = g.Length;
        int cinP = groups * Width;
        int nnz = 0;
        for (int i = 0; i < dy.Length; i++)
        {
            nnz += dy[i] != 0f ? 1 : 0;
        }

        // Per output position t, its nonzero (co, value) entries in ascending co (CSR).
        int indexLength = (lout + 1) + nnz;
        if (_index is null || _index.Length < indexLength)
        {
            _index = new int[Math.Max(indexLength, 1024)];
        }

        int scratchLength = (length * cinP) + nnz;
        if (_scratch is null || _scratch.Length < scratchLength)
        {
            _scratch = GC.AllocateUninitializedArray<float>(Math.Max(scratchLength, 1024), pinned: true);
        }

        int[] index = _index;
        float[] scratch = _scratch;
        Span<int> start = index.AsSpan(0, lout + 1);
        start.Clear();
        for (int co = 0; co < cout; co++)
        {
            for (int t = 0; t < lout; t++)
            {
                if (dy[(co * lout) + t] != 0f)
                {
                    start[t + 1]++;
                }
            }
        }

        for (int t = 0; t < lout; t++)
        {
            start[t + 1] += start[t];
        }

        Span<int> channel = index.AsSpan(lout + 1, nnz);
        Span<float> value = scratch.AsSpan(length * cinP, nnz);
        Span<float> acc = scratch.AsSpan(0, length * cinP);
        acc.Clear();
        {
            int[] cursor = ArrayPool<int>.Shared.Rent(lout);
            try
            {
                start[..lout].CopyTo(cursor);
                for (int co = 0; co < cout; co++)
                {
                    for (int t = 0; t < lout; t++)
                    {
                        float v = dy[(co * lout) + t];
                        if (v != 0f)
                        {
                            int at = cursor[t]++;
                            channel[at] = co;
                            value[at] = v;
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(cursor);
            }
        }

        fixed (float* pp = packed)
        fixed (float* px = acc)
        fixed (float* pv = value)
        fixed (int* pc = channel)
        fixed (int* ps = start)
        {
            for (int k = 0; k < g.KernelSize; k++)
            {
                int offset = (k * g.Dilation) - g.PadLeft;
                for (int grp = 0; grp < groups; grp++)
                {
                    float* panel = pp + ((long)((k * groups) + grp) * cout * Width);
                    for (int t = 0; t < lout; t++)
                    {
                        int p = (t * g.Stride) + offset;
                        int e0 = ps[t];
                        int e1 = ps[t + 1];
                        if ((uint)p >= (uint)length || e0 == e1)
                        {
                            continue;
                        }

                        var a0 = Vector512<float>.Zero;
                        var b0 = Vector512<float>.Zero;
                        var a1 = Vector512<float>.Zero;
                        var b1 = Vector512<float>.Zero;
                        var a2 = Vector512<float>.Zero;
                        var b2 = Vector512<float>.Zero;
                        var a3 = Vector512<float>.Zero;
                        var b3 = Vector512<float>.Zero;
                        int e = e0;
                        for (; e + 4 <= e1; e += 4)
                        {
                            float* w0 = panel + (pc[e] * Width);
                            float* w1 = panel + (pc[e + 1] * Width);
                            float* w2 = panel + (pc[e + 2] * Width);
                            float* w3 = panel + (pc[e + 3] * Width);
                            var v0 = Vector512.Create(pv[e]);
                            var v1 = Vector512.Create(pv[e + 1]);
                            var v2 = Vector512.Create(pv[e + 2]);
                            var v3 = Vector512.Create(pv[e + 3]);
                            a0 = Avx512F.FusedMultiplyAdd(v0, Vector512.Load(w0), a0);
                            b0 = Avx512F.FusedMultiplyAdd(v0, Vector512.Load(w0 + 16), b0);
                            a1 = Avx512F.FusedMultiplyAdd(v1, Vector512.Load(w1), a1);
                            b1 = Avx512F.FusedMultiplyAdd(v1, Vector512.Load(w1 + 16), b1);
                            a2 = Avx512F.FusedMultiplyAdd(v2, Vector512.Load(w2), a2);
                            b2 = Avx512F.FusedMultiplyAdd(v2, Vector512.Load(w2 + 16), b2);
                            a3 = Avx512F.FusedMultiplyAdd(v3, Vector512.Load(w3), a3);
                            b3 = Avx512F.FusedMultiplyAdd(v3, Vector512.Load(w3 + 16), b3);
                        }

                        for (; e < e1; e++)
                        {
                            float* w0 = panel + (pc[e] * Width);
                            var v0 = Vector512.Create(pv[e]);
                            a0 = Avx512F.FusedMultiplyAdd(v0, Vector512.Load(w0), a0);
                            b0 = Avx512F.FusedMultiplyAdd(v0, Vector512.Load(w0 + 16), b0);
                        }

                        float* o = px + ((long)p * cinP) + (grp * Width);
                        Vector512.Store(Vector512.Load(o) + ((a0 + a1) + (a2 + a3)), o);
                        Vector512.Store(Vector512.Load(o + 16) + ((b0 + b1) + (b2 + b3)), o + 16);
                    }
                }
            }
        }

        int cin = g.InChannels;
        for (int ci = 0; ci < cin; ci++)
        {
            Span<float> row = dx.Slice(ci * length, length);
            for (int p = 0; p < length; p++)
            {
                row[p] += acc[(p * cinP) + ci];
            }
        }
    }
}
