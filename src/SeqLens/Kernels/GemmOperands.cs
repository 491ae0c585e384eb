using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

/// <summary>
/// Packs rows <c>[i0, i0+mc)</c> × depth <c>[p0, p0+kc)</c> of the left GEMM operand into slivers of
/// <c>mr</c> rows: sliver s at <c>dst + s·kc·mr</c>, element (i, p) at <c>[p·mr + i]</c>; rows past the end are zero.
/// </summary>
internal unsafe interface IPackA
{
    void Pack(float* dst, int i0, int mc, int p0, int kc, int mr);
}

/// <summary>
/// Packs depth <c>[p0, p0+kc)</c> × columns <c>[j0, j0+nc)</c> of the right GEMM operand into slivers of
/// <c>nr</c> columns: sliver s at <c>dst + s·kc·nr</c>, element (p, j) at <c>[p·nr + j]</c>; columns past the end are zero.
/// </summary>
internal unsafe interface IPackB
{
    void Pack(float* dst, int p0, int kc, int j0, int nc, int nr);
}

/// <summary>A stored row-major matrix used as the left operand, optionally transposed.</summary>
internal readonly unsafe struct MatrixA(float* data, nint ld, bool transpose) : IPackA
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int i0, int mc, int p0, int kc, int mr)
    {
        for (int s = 0; s < mc; s += mr)
        {
            int rows = Math.Min(mr, mc - s);
            float* d = dst + ((nint)s * kc);
            if (transpose)
            {
                // op(A)(i, p) = data[p·ld + i]: each k step is a contiguous run of rows.
                float* src = data + ((nint)p0 * ld) + i0 + s;
                for (int p = 0; p < kc; p++, src += ld, d += mr)
                {
                    int i = 0;
                    for (; i < rows; i++)
                    {
                        d[i] = src[i];
                    }

                    for (; i < mr; i++)
                    {
                        d[i] = 0f;
                    }
                }
            }
            else if (rows == mr && mr is 14 or 6 && Avx.IsSupported)
            {
                // 8×8 transposes of 8 k steps at a time (rows 8..13 first: their 8-wide stores spill two floats into
                // the next k step, which the rows 0..7 store of that step then overwrites; the last spill lands in
                // the next sliver, packed after this one, or in the buffer's slack).
                float* src = data + ((nint)(i0 + s) * ld) + p0;
                int p = 0;
                for (; p + 8 <= kc; p += 8)
                {
                    float* dp = d + ((nint)p * mr);
                    if (mr == 14)
                    {
                        PackMath.Transpose8x8(src + (8 * ld) + p, ld, 6, dp + 8, mr);
                        PackMath.Transpose8x8(src + p, ld, 8, dp, mr);
                    }
                    else
                    {
                        PackMath.Transpose8x8(src + p, ld, 6, dp, mr);
                    }
                }

                for (; p < kc; p++)
                {
                    for (int i = 0; i < mr; i++)
                    {
                        d[((nint)p * mr) + i] = src[((nint)i * ld) + p];
                    }
                }
            }
            else
            {
                for (int i = 0; i < mr; i++)
                {
                    if (i < rows)
                    {
                        float* src = data + ((nint)(i0 + s + i) * ld) + p0;
                        for (int p = 0; p < kc; p++)
                        {
                            d[((nint)p * mr) + i] = src[p];
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            d[((nint)p * mr) + i] = 0f;
                        }
                    }
                }
            }
        }
    }
}

/// <summary>A stored row-major matrix used as the right operand, optionally transposed.</summary>
internal readonly unsafe struct MatrixB(float* data, nint ld, bool transpose) : IPackB
{
    /// <summary>Prefetches (towards L2) the stored elements of op(B) rows <c>[p0, p0+kc)</c> × columns <c>[j0, j0+nc)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int p0, int kc, int j0, int nc)
    {
        if (!Sse.IsSupported || kc <= 0 || nc <= 0)
        {
            return;
        }

        if (transpose)
        {
            // Column j of op(B) is stored row j: kc contiguous floats.
            for (int j = j0; j < j0 + nc; j++)
            {
                float* row = data + ((nint)j * ld) + p0;
                for (int x = 0; x < kc; x += 16)
                {
                    Sse.Prefetch1(row + x);
                }

                Sse.Prefetch1(row + kc - 1);
            }

            return;
        }

        for (int p = p0; p < p0 + kc; p++)
        {
            float* row = data + ((nint)p * ld) + j0;
            for (int x = 0; x < nc; x += 16)
            {
                Sse.Prefetch1(row + x);
            }

            Sse.Prefetch1(row + nc - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int p0, int kc, int j0, int nc, int nr)
    {
        if (!transpose)
        {
            // Row by row: each stored row of B is read once, front to back (a DRAM stream the prefetcher follows),
            // and dealt out to the slivers.
            nint sliverStride = (nint)kc * nr;
            for (int p = 0; p < kc; p++)
            {
                float* src = data + ((nint)(p0 + p) * ld) + j0;
                float* d = dst + ((nint)p * nr);
                for (int s = 0; s < nc; s += nr, d += sliverStride)
                {
                    PackMath.CopyRow(src + s, d, Math.Min(nr, nc - s), nr);
                }
            }

            return;
        }

        // op(B)(p, j) = data[j·ld + p].
        for (int s = 0; s < nc; s += nr)
        {
            int cols = Math.Min(nr, nc - s);
            float* d = dst + ((nint)s * kc);
            for (int j = 0; j < nr; j++)
            {
                if (j < cols)
                {
                    float* src = data + ((nint)(j0 + s + j) * ld) + p0;
                    for (int p = 0; p < kc; p++)
                    {
                        d[((nint)p * nr) + j] = src[p];
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        d[((nint)p * nr) + j] = 0f;
                    }
                }
            }
        }
    }
}
