using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

/// <summary>Small copy helpers shared by the packers.</summary>
internal static unsafe class PackMath
{
    /// <summary>Copies <paramref name="count"/> floats and zero-fills up to <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyRow(float* src, float* dst, int count, int width)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 8 <= count; j += 8)
            {
                Vector256.Store(Vector256.Load(src + j), dst + j);
            }
        }

        for (; j < count; j++)
        {
            dst[j] = src[j];
        }

        for (; j < width; j++)
        {
            dst[j] = 0f;
        }
    }

    /// <summary>Adds <paramref name="count"/> floats of <paramref name="src"/> into <paramref name="dst"/>, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInto(float* dst, float* src, int count)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 8 <= count; j += 8)
            {
                Vector256.Store(Vector256.Load(dst + j) + Vector256.Load(src + j), dst + j);
            }
        }

        for (; j < count; j++)
        {
            dst[j] += src[j];
        }
    }

    /// <summary>
    /// Transposes an 8×8 block: row r (<paramref name="rows"/> ≤ 8 rows at <c>src + r·srcStride</c>, 8 floats each;
    /// missing rows read as 0) becomes column r of 8 rows at <c>dst + q·dstStride</c>. Always stores 8 floats per
    /// output row, so callers order their stores to overwrite the spill past <paramref name="rows"/>. Needs AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(float* src, nint srcStride, int rows, float* dst, nint dstStride)
    {
        var z = Vector256<float>.Zero;
        Transpose8x8(
            Vector256.Load(src),
            rows > 1 ? Vector256.Load(src + srcStride) : z,
            rows > 2 ? Vector256.Load(src + (2 * srcStride)) : z,
            rows > 3 ? Vector256.Load(src + (3 * srcStride)) : z,
            rows > 4 ? Vector256.Load(src + (4 * srcStride)) : z,
            rows > 5 ? Vector256.Load(src + (5 * srcStride)) : z,
            rows > 6 ? Vector256.Load(src + (6 * srcStride)) : z,
            rows > 7 ? Vector256.Load(src + (7 * srcStride)) : z,
            dst,
            dstStride);
    }

    /// <summary>Transposes 8 rows read at <c>src + offsets[r]</c> (8 floats each) into 8 rows at <c>dst + q·dstStride</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(float* src, nint* offsets, float* dst, nint dstStride)
        => Transpose8x8(
            Vector256.Load(src + offsets[0]),
            Vector256.Load(src + offsets[1]),
            Vector256.Load(src + offsets[2]),
            Vector256.Load(src + offsets[3]),
            Vector256.Load(src + offsets[4]),
            Vector256.Load(src + offsets[5]),
            Vector256.Load(src + offsets[6]),
            Vector256.Load(src + offsets[7]),
            dst,
            dstStride);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7, float* dst, nint dstStride)
    {
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Vector256.Store(Avx.Permute2x128(s0, s4, 0x20), dst);
        Vector256.Store(Avx.Permute2x128(s1, s5, 0x20), dst + dstStride);
        Vector256.Store(Avx.Permute2x128(s2, s6, 0x20), dst + (2 * dstStride));
        Vector256.Store(Avx.Permute2x128(s3, s7, 0x20), dst + (3 * dstStride));
        Vector256.Store(Avx.Permute2x128(s0, s4, 0x31), dst + (4 * dstStride));
        Vector256.Store(Avx.Permute2x128(s1, s5, 0x31), dst + (5 * dstStride));
        Vector256.Store(Avx.Permute2x128(s2, s6, 0x31), dst + (6 * dstStride));
        Vector256.Store(Avx.Permute2x128(s3, s7, 0x31), dst + (7 * dstStride));
    }
}
