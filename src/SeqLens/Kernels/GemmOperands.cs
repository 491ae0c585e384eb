using System.Runtime.CompilerServices;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int p0, int kc, int j0, int nc, int nr)
    {
        for (int s = 0; s < nc; s += nr)
        {
            int cols = Math.Min(nr, nc - s);
            float* d = dst + ((nint)s * kc);
            if (transpose)
            {
                // op(B)(p, j) = data[j·ld + p].
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
            else
            {
                float* src = data + ((nint)p0 * ld) + j0 + s;
                for (int p = 0; p < kc; p++, src += ld, d += nr)
                {
                    PackMath.CopyRow(src, d, cols, nr);
                }
            }
        }
    }
}
