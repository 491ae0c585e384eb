using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

/// <summary>Which micro-kernel the packed GEMM runs.</summary>
internal enum GemmPath
{
    /// <summary>Portable scalar 4×4 tile.</summary>
    Scalar,

    /// <summary>AVX2 + FMA, 6×16 tile (12 ymm accumulators).</summary>
    Avx2,

    /// <summary>AVX-512F FMA, 14×32 tile (28 zmm accumulators of the 32).</summary>
    Avx512,
}

/// <summary>
/// The register-tile kernels of the packed GEMM: <c>C[mr×nr] (=|+=) Apanel(kc×mr)ᵀ · Bpanel(kc×nr)</c>.
/// </summary>
/// <remarks>
/// Packed A holds <c>mr</c> consecutive rows per k step (<c>a[p·mr + i]</c>), packed B holds <c>nr</c>
/// consecutive columns per k step (<c>b[p·nr + j]</c>). Every kernel starts its accumulators at zero,
/// runs k in order with one fused multiply-add per step, and only then adds into C, so a C element's
/// value depends on the k-blocking alone, never on where the tile sits or which thread ran it.
/// </remarks>
internal static unsafe class GemmMicroKernel
{
    [ThreadStatic]
    private static GemmPath? _forced;

    /// <summary>The best path this CPU supports.</summary>
    public static GemmPath Best { get; } =
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? GemmPath.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? GemmPath.Avx2
        : GemmPath.Scalar;

    /// <summary>The path kernels started on this thread use (tests force the fallbacks per thread).</summary>
    public static GemmPath Current => _forced ?? Best;

    /// <summary>Forces <paramref name="path"/> for kernels started on this thread; null restores the best path.</summary>
    public static void Force(GemmPath? path)
    {
        if (path is GemmPath p && p > Best)
        {
            throw new PlatformNotSupportedException($"GEMM path {p} is not supported on this CPU (best: {Best}).");
        }

        _forced = path;
    }

    /// <summary>Rows of a register tile.</summary>
    public static int Mr(GemmPath path) => path switch { GemmPath.Avx512 => 14, GemmPath.Avx2 => 6, _ => 4 };

    /// <summary>Columns of a register tile.</summary>
    public static int Nr(GemmPath path) => path switch { GemmPath.Avx512 => 32, GemmPath.Avx2 => 16, _ => 4 };

    /// <summary>
    /// Runs one full <c>mr×nr</c> tile into C (row stride <paramref name="ldc"/>): <c>v = acc (+ bias[i])</c>, then
    /// <c>v = C + v</c> when <paramref name="accumulate"/>, then <c>max(v, 0)</c> when <paramref name="relu"/>, then stored.
    /// <paramref name="bias"/> (null for none) must hold <c>mr</c> readable values. <paramref name="stream"/> (AVX-512
    /// only, never with <paramref name="accumulate"/>; every row 64-byte aligned) stores with non-temporal writes, so C
    /// lines are not read first: for large C that no later k block reads back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(GemmPath path, int kc, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias = null, bool relu = false, bool stream = false)
    {
        switch (path)
        {
            case GemmPath.Avx512:
                Kernel14x32(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case GemmPath.Avx2:
                Kernel6x16(kc, a, b, c, ldc, accumulate, bias, relu);
                break;
            default:
                Kernel4x4(kc, a, b, c, ldc, accumulate, bias, relu);
                break;
        }
    }

    // NOTE: the AVX tiles are unrolled by hand (the JIT does not unroll); row i owns accumulators ci0, ci1.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel14x32(int kc, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias, bool relu, bool stream)
    {
        Vector512<float> c00 = Vector512<float>.Zero; Vector512<float> c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero; Vector512<float> c11 = Vector512<float>.Zero;
        Vector512<float> c20 = Vector512<float>.Zero; Vector512<float> c21 = Vector512<float>.Zero;
        Vector512<float> c30 = Vector512<float>.Zero; Vector512<float> c31 = Vector512<float>.Zero;
        Vector512<float> c40 = Vector512<float>.Zero; Vector512<float> c41 = Vector512<float>.Zero;
        Vector512<float> c50 = Vector512<float>.Zero; Vector512<float> c51 = Vector512<float>.Zero;
        Vector512<float> c60 = Vector512<float>.Zero; Vector512<float> c61 = Vector512<float>.Zero;
        Vector512<float> c70 = Vector512<float>.Zero; Vector512<float> c71 = Vector512<float>.Zero;
        Vector512<float> c80 = Vector512<float>.Zero; Vector512<float> c81 = Vector512<float>.Zero;
        Vector512<float> c90 = Vector512<float>.Zero; Vector512<float> c91 = Vector512<float>.Zero;
        Vector512<float> c100 = Vector512<float>.Zero; Vector512<float> c101 = Vector512<float>.Zero;
        Vector512<float> c110 = Vector512<float>.Zero; Vector512<float> c111 = Vector512<float>.Zero;
        Vector512<float> c120 = Vector512<float>.Zero; Vector512<float> c121 = Vector512<float>.Zero;
        Vector512<float> c130 = Vector512<float>.Zero; Vector512<float> c131 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
            Vector512<float> a8 = Vector512.Create(a[8]);
            c80 = Avx512F.FusedMultiplyAdd(a8, b0, c80);
            c81 = Avx512F.FusedMultiplyAdd(a8, b1, c81);
            Vector512<float> a9 = Vector512.Create(a[9]);
            c90 = Avx512F.FusedMultiplyAdd(a9, b0, c90);
            c91 = Avx512F.FusedMultiplyAdd(a9, b1, c91);
            Vector512<float> a10 = Vector512.Create(a[10]);
            c100 = Avx512F.FusedMultiplyAdd(a10, b0, c100);
            c101 = Avx512F.FusedMultiplyAdd(a10, b1, c101);
            Vector512<float> a11 = Vector512.Create(a[11]);
            c110 = Avx512F.FusedMultiplyAdd(a11, b0, c110);
            c111 = Avx512F.FusedMultiplyAdd(a11, b1, c111);
            Vector512<float> a12 = Vector512.Create(a[12]);
            c120 = Avx512F.FusedMultiplyAdd(a12, b0, c120);
            c121 = Avx512F.FusedMultiplyAdd(a12, b1, c121);
            Vector512<float> a13 = Vector512.Create(a[13]);
            c130 = Avx512F.FusedMultiplyAdd(a13, b0, c130);
            c131 = Avx512F.FusedMultiplyAdd(a13, b1, c131);
            a += 14;
            b += 32;
        }

        if (bias != null)
        {
            Vector512<float> t0 = Vector512.Create(bias[0]);
            c00 += t0;
            c01 += t0;
            Vector512<float> t1 = Vector512.Create(bias[1]);
            c10 += t1;
            c11 += t1;
            Vector512<float> t2 = Vector512.Create(bias[2]);
            c20 += t2;
            c21 += t2;
            Vector512<float> t3 = Vector512.Create(bias[3]);
            c30 += t3;
            c31 += t3;
            Vector512<float> t4 = Vector512.Create(bias[4]);
            c40 += t4;
            c41 += t4;
            Vector512<float> t5 = Vector512.Create(bias[5]);
            c50 += t5;
            c51 += t5;
            Vector512<float> t6 = Vector512.Create(bias[6]);
            c60 += t6;
            c61 += t6;
            Vector512<float> t7 = Vector512.Create(bias[7]);
            c70 += t7;
            c71 += t7;
            Vector512<float> t8 = Vector512.Create(bias[8]);
            c80 += t8;
            c81 += t8;
            Vector512<float> t9 = Vector512.Create(bias[9]);
            c90 += t9;
            c91 += t9;
            Vector512<float> t10 = Vector512.Create(bias[10]);
            c100 += t10;
            c101 += t10;
            Vector512<float> t11 = Vector512.Create(bias[11]);
            c110 += t11;
            c111 += t11;
            Vector512<float> t12 = Vector512.Create(bias[12]);
            c120 += t12;
            c121 += t12;
            Vector512<float> t13 = Vector512.Create(bias[13]);
            c130 += t13;
            c131 += t13;
        }

        Store2(c + (0 * ldc), c00, c01, accumulate, relu, stream);
        Store2(c + (1 * ldc), c10, c11, accumulate, relu, stream);
        Store2(c + (2 * ldc), c20, c21, accumulate, relu, stream);
        Store2(c + (3 * ldc), c30, c31, accumulate, relu, stream);
        Store2(c + (4 * ldc), c40, c41, accumulate, relu, stream);
        Store2(c + (5 * ldc), c50, c51, accumulate, relu, stream);
        Store2(c + (6 * ldc), c60, c61, accumulate, relu, stream);
        Store2(c + (7 * ldc), c70, c71, accumulate, relu, stream);
        Store2(c + (8 * ldc), c80, c81, accumulate, relu, stream);
        Store2(c + (9 * ldc), c90, c91, accumulate, relu, stream);
        Store2(c + (10 * ldc), c100, c101, accumulate, relu, stream);
        Store2(c + (11 * ldc), c110, c111, accumulate, relu, stream);
        Store2(c + (12 * ldc), c120, c121, accumulate, relu, stream);
        Store2(c + (13 * ldc), c130, c131, accumulate, relu, stream);
    }

    /// <summary>
    /// Runs the first <paramref name="rows"/> (1..13) rows of an AVX-512 14×32 tile (A sliver of stride 14, its
    /// padding rows ignored) into C: the M tail of a block, at about rows/14 of a full tile's cost instead of a
    /// whole tile pass. Same per-element order as <see cref="Run"/> (k in order from zero, then bias, C, ReLU), so
    /// a row's bits do not depend on which kernel ran it. Only <paramref name="rows"/> rows of C and bias are touched.
    /// </summary>
    public static void RunRowsAvx512(int rows, int kc, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias, bool relu, bool stream = false)
    {
        switch (rows)
        {
            case 1:
                KernelRowsx32<Rows1>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 2:
                KernelRowsx32<Rows2>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 3:
                KernelRowsx32<Rows3>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 4:
                KernelRowsx32<Rows4>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 5:
                KernelRowsx32<Rows5>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 6:
                KernelRowsx32<Rows6>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 7:
                KernelRowsx32<Rows7>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 8:
                KernelRowsx32<Rows8>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 9:
                KernelRowsx32<Rows9>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 10:
                KernelRowsx32<Rows10>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 11:
                KernelRowsx32<Rows11>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 12:
                KernelRowsx32<Rows12>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            case 13:
                KernelRowsx32<Rows13>(kc, a, b, c, ldc, accumulate, bias, relu, stream);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(rows), $"Tail tile rows must be 1..13; got {rows}.");
        }
    }

    // NOTE: TR is a struct, so the JIT compiles one body per row count with the row tests folded away; rows
    // past TR.Count keep dead zero accumulators that the JIT drops.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelRowsx32<TR>(int kc, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias, bool relu, bool stream)
        where TR : struct, IRowCount
    {
        Vector512<float> c00 = Vector512<float>.Zero; Vector512<float> c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero; Vector512<float> c11 = Vector512<float>.Zero;
        Vector512<float> c20 = Vector512<float>.Zero; Vector512<float> c21 = Vector512<float>.Zero;
        Vector512<float> c30 = Vector512<float>.Zero; Vector512<float> c31 = Vector512<float>.Zero;
        Vector512<float> c40 = Vector512<float>.Zero; Vector512<float> c41 = Vector512<float>.Zero;
        Vector512<float> c50 = Vector512<float>.Zero; Vector512<float> c51 = Vector512<float>.Zero;
        Vector512<float> c60 = Vector512<float>.Zero; Vector512<float> c61 = Vector512<float>.Zero;
        Vector512<float> c70 = Vector512<float>.Zero; Vector512<float> c71 = Vector512<float>.Zero;
        Vector512<float> c80 = Vector512<float>.Zero; Vector512<float> c81 = Vector512<float>.Zero;
        Vector512<float> c90 = Vector512<float>.Zero; Vector512<float> c91 = Vector512<float>.Zero;
        Vector512<float> c100 = Vector512<float>.Zero; Vector512<float> c101 = Vector512<float>.Zero;
        Vector512<float> c110 = Vector512<float>.Zero; Vector512<float> c111 = Vector512<float>.Zero;
        Vector512<float> c120 = Vector512<float>.Zero; Vector512<float> c121 = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            if (TR.Count > 1)
            {
                Vector512<float> a1 = Vector512.Create(a[1]);
                c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            }

            if (TR.Count > 2)
            {
                Vector512<float> a2 = Vector512.Create(a[2]);
                c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            }

            if (TR.Count > 3)
            {
                Vector512<float> a3 = Vector512.Create(a[3]);
                c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            }

            if (TR.Count > 4)
            {
                Vector512<float> a4 = Vector512.Create(a[4]);
                c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
                c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            }

            if (TR.Count > 5)
            {
                Vector512<float> a5 = Vector512.Create(a[5]);
                c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
                c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            }

            if (TR.Count > 6)
            {
                Vector512<float> a6 = Vector512.Create(a[6]);
                c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
                c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
            }

            if (TR.Count > 7)
            {
                Vector512<float> a7 = Vector512.Create(a[7]);
                c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
                c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
            }

            if (TR.Count > 8)
            {
                Vector512<float> a8 = Vector512.Create(a[8]);
                c80 = Avx512F.FusedMultiplyAdd(a8, b0, c80);
                c81 = Avx512F.FusedMultiplyAdd(a8, b1, c81);
            }

            if (TR.Count > 9)
            {
                Vector512<float> a9 = Vector512.Create(a[9]);
                c90 = Avx512F.FusedMultiplyAdd(a9, b0, c90);
                c91 = Avx512F.FusedMultiplyAdd(a9, b1, c91);
            }

            if (TR.Count > 10)
            {
                Vector512<float> a10 = Vector512.Create(a[10]);
                c100 = Avx512F.FusedMultiplyAdd(a10, b0, c100);
                c101 = Avx512F.FusedMultiplyAdd(a10, b1, c101);
            }

            if (TR.Count > 11)
            {
                Vector512<float> a11 = Vector512.Create(a[11]);
                c110 = Avx512F.FusedMultiplyAdd(a11, b0, c110);
                c111 = Avx512F.FusedMultiplyAdd(a11, b1, c111);
            }

            if (TR.Count > 12)
            {
                Vector512<float> a12 = Vector512.Create(a[12]);
                c120 = Avx512F.FusedMultiplyAdd(a12, b0, c120);
                c121 = Avx512F.FusedMultiplyAdd(a12, b1, c121);
            }

            a += 14;
            b += 32;
        }

        if (bias != null)
        {
            Vector512<float> t0 = Vector512.Create(bias[0]);
            c00 += t0;
            c01 += t0;
            if (TR.Count > 1)
            {
                Vector512<float> t1 = Vector512.Create(bias[1]);
                c10 += t1;
                c11 += t1;
            }

            if (TR.Count > 2)
            {
                Vector512<float> t2 = Vector512.Create(bias[2]);
                c20 += t2;
                c21 += t2;
            }

            if (TR.Count > 3)
            {
                Vector512<float> t3 = Vector512.Create(bias[3]);
                c30 += t3;
                c31 += t3;
            }

            if (TR.Count > 4)
            {
                Vector512<float> t4 = Vector512.Create(bias[4]);
                c40 += t4;
                c41 += t4;
            }

            if (TR.Count > 5)
            {
                Vector512<float> t5 = Vector512.Create(bias[5]);
                c50 += t5;
                c51 += t5;
            }

            if (TR.Count > 6)
            {
                Vector512<float> t6 = Vector512.Create(bias[6]);
                c60 += t6;
                c61 += t6;
            }

            if (TR.Count > 7)
            {
                Vector512<float> t7 = Vector512.Create(bias[7]);
                c70 += t7;
                c71 += t7;
            }

            if (TR.Count > 8)
            {
                Vector512<float> t8 = Vector512.Create(bias[8]);
                c80 += t8;
                c81 += t8;
            }

            if (TR.Count > 9)
            {
                Vector512<float> t9 = Vector512.Create(bias[9]);
                c90 += t9;
                c91 += t9;
            }

            if (TR.Count > 10)
            {
                Vector512<float> t10 = Vector512.Create(bias[10]);
                c100 += t10;
                c101 += t10;
            }

            if (TR.Count > 11)
            {
                Vector512<float> t11 = Vector512.Create(bias[11]);
                c110 += t11;
                c111 += t11;
            }

            if (TR.Count > 12)
            {
                Vector512<float> t12 = Vector512.Create(bias[12]);
                c120 += t12;
                c121 += t12;
            }

        }

        Store2(c, c00, c01, accumulate, relu, stream);

        if (TR.Count > 1)
        {
            Store2(c + (1 * ldc), c10, c11, accumulate, relu, stream);
        }

        if (TR.Count > 2)
        {
            Store2(c + (2 * ldc), c20, c21, accumulate, relu, stream);
        }

        if (TR.Count > 3)
        {
            Store2(c + (3 * ldc), c30, c31, accumulate, relu, stream);
        }

        if (TR.Count > 4)
        {
            Store2(c + (4 * ldc), c40, c41, accumulate, relu, stream);
        }

        if (TR.Count > 5)
        {
            Store2(c + (5 * ldc), c50, c51, accumulate, relu, stream);
        }

        if (TR.Count > 6)
        {
            Store2(c + (6 * ldc), c60, c61, accumulate, relu, stream);
        }

        if (TR.Count > 7)
        {
            Store2(c + (7 * ldc), c70, c71, accumulate, relu, stream);
        }

        if (TR.Count > 8)
        {
            Store2(c + (8 * ldc), c80, c81, accumulate, relu, stream);
        }

        if (TR.Count > 9)
        {
            Store2(c + (9 * ldc), c90, c91, accumulate, relu, stream);
        }

        if (TR.Count > 10)
        {
            Store2(c + (10 * ldc), c100, c101, accumulate, relu, stream);
        }

        if (TR.Count > 11)
        {
            Store2(c + (11 * ldc), c110, c111, accumulate, relu, stream);
        }

        if (TR.Count > 12)
        {
            Store2(c + (12 * ldc), c120, c121, accumulate, relu, stream);
        }
    }


    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias, bool relu)
    {
        Vector256<float> c00 = Vector256<float>.Zero; Vector256<float> c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero; Vector256<float> c11 = Vector256<float>.Zero;
        Vector256<float> c20 = Vector256<float>.Zero; Vector256<float> c21 = Vector256<float>.Zero;
        Vector256<float> c30 = Vector256<float>.Zero; Vector256<float> c31 = Vector256<float>.Zero;
        Vector256<float> c40 = Vector256<float>.Zero; Vector256<float> c41 = Vector256<float>.Zero;
        Vector256<float> c50 = Vector256<float>.Zero; Vector256<float> c51 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            Vector256<float> a4 = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(a4, b0, c40);
            c41 = Fma.MultiplyAdd(a4, b1, c41);
            Vector256<float> a5 = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(a5, b0, c50);
            c51 = Fma.MultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }

        if (bias != null)
        {
            Vector256<float> t0 = Vector256.Create(bias[0]);
            c00 += t0;
            c01 += t0;
            Vector256<float> t1 = Vector256.Create(bias[1]);
            c10 += t1;
            c11 += t1;
            Vector256<float> t2 = Vector256.Create(bias[2]);
            c20 += t2;
            c21 += t2;
            Vector256<float> t3 = Vector256.Create(bias[3]);
            c30 += t3;
            c31 += t3;
            Vector256<float> t4 = Vector256.Create(bias[4]);
            c40 += t4;
            c41 += t4;
            Vector256<float> t5 = Vector256.Create(bias[5]);
            c50 += t5;
            c51 += t5;
        }

        Store2(c + (0 * ldc), c00, c01, accumulate, relu);
        Store2(c + (1 * ldc), c10, c11, accumulate, relu);
        Store2(c + (2 * ldc), c20, c21, accumulate, relu);
        Store2(c + (3 * ldc), c30, c31, accumulate, relu);
        Store2(c + (4 * ldc), c40, c41, accumulate, relu);
        Store2(c + (5 * ldc), c50, c51, accumulate, relu);
    }


    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x4(int kc, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias, bool relu)
    {
        float* acc = stackalloc float[16];
        new Span<float>(acc, 16).Clear();
        for (int p = 0; p < kc; p++)
        {
            for (int i = 0; i < 4; i++)
            {
                float ai = a[i];
                acc[(4 * i) + 0] += ai * b[0];
                acc[(4 * i) + 1] += ai * b[1];
                acc[(4 * i) + 2] += ai * b[2];
                acc[(4 * i) + 3] += ai * b[3];
            }

            a += 4;
            b += 4;
        }

        for (int i = 0; i < 4; i++)
        {
            float* row = c + (i * ldc);
            for (int j = 0; j < 4; j++)
            {
                float v = acc[(4 * i) + j];
                if (bias != null)
                {
                    v += bias[i];
                }

                if (accumulate)
                {
                    v = row[j] + v;
                }

                row[j] = relu ? MathF.Max(v, 0f) : v;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(float* c, Vector512<float> v0, Vector512<float> v1, bool accumulate, bool relu, bool stream)
    {
        if (accumulate)
        {
            v0 = Vector512.Load(c) + v0;
            v1 = Vector512.Load(c + 16) + v1;
        }

        if (relu)
        {
            v0 = Vector512.Max(v0, Vector512<float>.Zero);
            v1 = Vector512.Max(v1, Vector512<float>.Zero);
        }

        if (stream)
        {
            Avx512F.StoreAlignedNonTemporal(c, v0);
            Avx512F.StoreAlignedNonTemporal(c + 16, v1);
            return;
        }

        Vector512.Store(v0, c);
        Vector512.Store(v1, c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(float* c, Vector256<float> v0, Vector256<float> v1, bool accumulate, bool relu)
    {
        if (accumulate)
        {
            v0 = Vector256.Load(c) + v0;
            v1 = Vector256.Load(c + 8) + v1;
        }

        if (relu)
        {
            v0 = Vector256.Max(v0, Vector256<float>.Zero);
            v1 = Vector256.Max(v1, Vector256<float>.Zero);
        }

        Vector256.Store(v0, c);
        Vector256.Store(v1, c + 8);
    }
}
