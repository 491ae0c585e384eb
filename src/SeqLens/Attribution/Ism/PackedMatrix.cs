using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SeqLens.Kernels;

namespace SeqLens.Attribution.Ism;

/// <summary>
/// A constant right-hand matrix <c>B</c> (k × n) packed once into column panels of <see cref="PanelWidth"/> columns
/// (zero-padded), for repeated products <c>C = A · B</c> with many row-major left-hand matrices (fast ISM multiplies
/// every batch of mutant deltas by the same layer weights).
/// </summary>
/// <remarks>
/// NOTE: <c>Kernels.Gemm</c> is still the naive reference loop; this register-blocked kernel (4 rows × 32 columns of
/// Vector256 FMA accumulators, panels split across <see cref="KernelThreads.MaxDegree"/> threads) keeps ISM usable until
/// the packed GEMM of DESIGN.md §4 lands, and can then be replaced by it. Threads split columns only, so results are
/// bit-identical for any thread count.
/// </remarks>
internal sealed class PackedMatrix
{
    /// <summary>Columns per panel (4 Vector256 of floats).</summary>
    public const int PanelWidth = 32;

    private readonly float[] _panels; // [panel][k][PanelWidth]

    /// <summary>Packs <c>B[p, j] = value(p, j)</c> for p &lt; k, j &lt; n.</summary>
    public PackedMatrix(int k, int n, Func<int, int, float> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        K = k;
        N = n;
        Panels = (n + PanelWidth - 1) / PanelWidth;
        _panels = new float[Panels * k * PanelWidth];
        for (int j = 0; j < n; j++)
        {
            int panel = j / PanelWidth;
            int col = j % PanelWidth;
            for (int p = 0; p < k; p++)
            {
                _panels[(((panel * k) + p) * PanelWidth) + col] = value(p, j);
            }
        }
    }

    /// <summary>Rows of B (the shared dimension).</summary>
    public int K { get; }

    /// <summary>Columns of B.</summary>
    public int N { get; }

    /// <summary>Number of column panels.</summary>
    public int Panels { get; }

    /// <summary>Row stride of a product: <see cref="N"/> rounded up to whole panels.</summary>
    public int PaddedN => Panels * PanelWidth;

    /// <summary>
    /// Overwrites <paramref name="c"/> (m × <see cref="PaddedN"/>, row-major) with <c>A · B</c>, where
    /// <paramref name="a"/> is m × <see cref="K"/> row-major. Columns past <see cref="N"/> are zero.
    /// </summary>
    public void Multiply(float[] a, int m, float[] c)
    {
        if (a.Length < m * K || c.Length < m * PaddedN)
        {
            throw new ArgumentException($"PackedMatrix.Multiply: A needs {m}x{K}, C needs {m}x{PaddedN}; got {a.Length} and {c.Length} elements.");
        }

        int threads = Math.Min(KernelThreads.MaxDegree, Panels);
        if (threads <= 1 || (long)m * K * N < 1_000_000)
        {
            for (int panel = 0; panel < Panels; panel++)
            {
                MultiplyPanel(a, m, c, panel);
            }

            return;
        }

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (int panel = t; panel < Panels; panel += threads)
            {
                MultiplyPanel(a, m, c, panel);
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MultiplyPanel(float[] a, int m, float[] c, int panel)
    {
        int k = K;
        int ldc = PaddedN;
        ReadOnlySpan<float> b = _panels.AsSpan(panel * k * PanelWidth, k * PanelWidth);
        ref float b0 = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b);
        ref float a0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(a);
        ref float c0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(c);
        int col = panel * PanelWidth;
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            Vector256<float> c00 = Vector256<float>.Zero, c01 = c00, c02 = c00, c03 = c00;
            Vector256<float> c10 = c00, c11 = c00, c12 = c00, c13 = c00;
            Vector256<float> c20 = c00, c21 = c00, c22 = c00, c23 = c00;
            Vector256<float> c30 = c00, c31 = c00, c32 = c00, c33 = c00;
            ref float ar0 = ref Unsafe.Add(ref a0, i * k);
            ref float ar1 = ref Unsafe.Add(ref ar0, k);
            ref float ar2 = ref Unsafe.Add(ref ar1, k);
            ref float ar3 = ref Unsafe.Add(ref ar2, k);
            for (int p = 0; p < k; p++)
            {
                ref float bp = ref Unsafe.Add(ref b0, p * PanelWidth);
                Vector256<float> b0v = Vector256.LoadUnsafe(ref bp);
                Vector256<float> b1v = Vector256.LoadUnsafe(ref bp, 8);
                Vector256<float> b2v = Vector256.LoadUnsafe(ref bp, 16);
                Vector256<float> b3v = Vector256.LoadUnsafe(ref bp, 24);
                Vector256<float> av = Vector256.Create(Unsafe.Add(ref ar0, p));
                c00 = Vector256.FusedMultiplyAdd(av, b0v, c00);
                c01 = Vector256.FusedMultiplyAdd(av, b1v, c01);
                c02 = Vector256.FusedMultiplyAdd(av, b2v, c02);
                c03 = Vector256.FusedMultiplyAdd(av, b3v, c03);
                av = Vector256.Create(Unsafe.Add(ref ar1, p));
                c10 = Vector256.FusedMultiplyAdd(av, b0v, c10);
                c11 = Vector256.FusedMultiplyAdd(av, b1v, c11);
                c12 = Vector256.FusedMultiplyAdd(av, b2v, c12);
                c13 = Vector256.FusedMultiplyAdd(av, b3v, c13);
                av = Vector256.Create(Unsafe.Add(ref ar2, p));
                c20 = Vector256.FusedMultiplyAdd(av, b0v, c20);
                c21 = Vector256.FusedMultiplyAdd(av, b1v, c21);
                c22 = Vector256.FusedMultiplyAdd(av, b2v, c22);
                c23 = Vector256.FusedMultiplyAdd(av, b3v, c23);
                av = Vector256.Create(Unsafe.Add(ref ar3, p));
                c30 = Vector256.FusedMultiplyAdd(av, b0v, c30);
                c31 = Vector256.FusedMultiplyAdd(av, b1v, c31);
                c32 = Vector256.FusedMultiplyAdd(av, b2v, c32);
                c33 = Vector256.FusedMultiplyAdd(av, b3v, c33);
            }

            Store(ref Unsafe.Add(ref c0, (i * ldc) + col), c00, c01, c02, c03);
            Store(ref Unsafe.Add(ref c0, ((i + 1) * ldc) + col), c10, c11, c12, c13);
            Store(ref Unsafe.Add(ref c0, ((i + 2) * ldc) + col), c20, c21, c22, c23);
            Store(ref Unsafe.Add(ref c0, ((i + 3) * ldc) + col), c30, c31, c32, c33);
        }

        for (; i < m; i++)
        {
            Vector256<float> c00 = Vector256<float>.Zero, c01 = c00, c02 = c00, c03 = c00;
            ref float ar0 = ref Unsafe.Add(ref a0, i * k);
            for (int p = 0; p < k; p++)
            {
                ref float bp = ref Unsafe.Add(ref b0, p * PanelWidth);
                Vector256<float> av = Vector256.Create(Unsafe.Add(ref ar0, p));
                c00 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref bp), c00);
                c01 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref bp, 8), c01);
                c02 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref bp, 16), c02);
                c03 = Vector256.FusedMultiplyAdd(av, Vector256.LoadUnsafe(ref bp, 24), c03);
            }

            Store(ref Unsafe.Add(ref c0, (i * ldc) + col), c00, c01, c02, c03);
        }
    }

    private static void Store(ref float dst, Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3)
    {
        v0.StoreUnsafe(ref dst);
        v1.StoreUnsafe(ref dst, 8);
        v2.StoreUnsafe(ref dst, 16);
        v3.StoreUnsafe(ref dst, 24);
    }
}
