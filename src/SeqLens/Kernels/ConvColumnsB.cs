using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SeqLens.Kernels;

/// <summary>
/// Implicit im2col as the right GEMM operand: row r = (c, kk) over <c>channels × kernel</c>, column j = (b, t)
/// over <c>batch × outCols</c>, value <c>src[b, c0 + c, pos]</c> with <c>num = t·Mul + kk·KStep + Offset</c>,
/// <c>pos = num / Div</c> when <c>num mod Div = 0</c> and <c>0 ≤ pos &lt; SrcLength</c>, else 0.
/// </summary>
/// <remarks>
/// Forward: src = input, Mul = stride, KStep = dilation, Offset = −padLeft, Div = 1.
/// Input gradient (transposed conv): src = output gradient, Mul = 1, KStep = −dilation, Offset = padLeft, Div = stride.
/// The column matrix is never materialised; each B panel is gathered straight from src.
/// </remarks>
internal readonly unsafe struct ConvColumnsB(
    float* src, int channels, int c0, int srcLength, int kernel, int outCols, int mul, int kStep, int offset, int div) : IPackB
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int p0, int kc, int j0, int nc, int nr)
    {
        nint* colBase = stackalloc nint[GemmBuffers.MaxTile];
        int* colNum = stackalloc int[GemmBuffers.MaxTile];
        int* segment = stackalloc int[3 * GemmBuffers.MaxTile];
        for (int s = 0; s < nc; s += nr)
        {
            int cols = Math.Min(nr, nc - s);
            float* d = dst + ((nint)s * kc);
            int j = j0 + s;
            int b = j / outCols;
            int t = j % outCols;
            int c = p0 / kernel;
            int kk = p0 % kernel;
            if (mul == 1 && div == 1)
            {
                PackUnitStride(d, kc, nr, cols, b, t, c, kk, segment);
                continue;
            }

            for (int jj = 0; jj < cols; jj++)
            {
                colBase[jj] = (((nint)b * channels) + c0) * srcLength;
                colNum[jj] = (t * mul) + offset;
                if (++t == outCols)
                {
                    t = 0;
                    b++;
                }
            }

            for (int p = 0; p < kc; p++, d += nr)
            {
                int kOff = kk * kStep;
                nint cOff = (nint)c * srcLength;
                for (int jj = 0; jj < cols; jj++)
                {
                    int num = colNum[jj] + kOff;
                    int pos = num;
                    bool ok = true;
                    if (div != 1)
                    {
                        ok = num % div == 0;
                        pos = num / div;
                    }

                    d[jj] = ok && (uint)pos < (uint)srcLength ? src[colBase[jj] + cOff + pos] : 0f;
                }

                for (int jj = cols; jj < nr; jj++)
                {
                    d[jj] = 0f;
                }

                if (++kk == kernel)
                {
                    kk = 0;
                    c++;
                }
            }
        }
    }

    /// <summary>
    /// Unit stride, no divisor: the sliver's columns fall into segments of one batch item each (one segment unless
    /// it straddles a batch boundary), and every k row of a segment is a contiguous run of src, copied with
    /// vectors and zero-filled where it leaves the row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackUnitStride(float* d, int kc, int nr, int cols, int b, int t, int c, int kk, int* segment)
    {
        // segment[3s] = first column in the sliver, [3s+1] = length, [3s+2] = batch item; t of the first column is
        // t for the first segment and 0 for the others.
        int segments = 0;
        int firstT = t;
        for (int jj = 0; jj < cols;)
        {
            int len = Math.Min(cols - jj, outCols - t);
            segment[3 * segments] = jj;
            segment[(3 * segments) + 1] = len;
            segment[(3 * segments) + 2] = b;
            segments++;
            jj += len;
            t = 0;
            b++;
        }

        if (segments == 1 && cols == 32 && nr == 32 && Vector512.IsHardwareAccelerated)
        {
            // One batch item, a full 32-column sliver (the common case): two vector copies per k row when the
            // window lies inside the row.
            float* item = src + ((((nint)segment[2] * channels) + c0) * srcLength);
            for (int p = 0; p < kc; p++, d += nr)
            {
                int pos0 = firstT + (kk * kStep) + offset;
                float* row = item + ((nint)c * srcLength);
                if (pos0 >= 0 && pos0 <= srcLength - 32)
                {
                    Vector512.Store(Vector512.Load(row + pos0), d);
                    Vector512.Store(Vector512.Load(row + pos0 + 16), d + 16);
                }
                else
                {
                    int lo = Math.Clamp(-pos0, 0, 32);
                    int hi = Math.Clamp(srcLength - pos0, lo, 32);
                    for (int x = 0; x < lo; x++)
                    {
                        d[x] = 0f;
                    }

                    PackMath.CopyRow(row + pos0 + lo, d + lo, hi - lo, 32 - lo);
                }

                if (++kk == kernel)
                {
                    kk = 0;
                    c++;
                }
            }

            return;
        }

        for (int p = 0; p < kc; p++, d += nr)
        {
            int kOff = (kk * kStep) + offset;
            for (int sg = 0; sg < segments; sg++)
            {
                int jStart = segment[3 * sg];
                int len = segment[(3 * sg) + 1];
                float* row = src + ((((nint)segment[(3 * sg) + 2] * channels) + c0 + c) * srcLength);
                int pos0 = (sg == 0 ? firstT : 0) + kOff;
                int lo = Math.Clamp(-pos0, 0, len);
                int hi = Math.Clamp(srcLength - pos0, lo, len);
                float* dd = d + jStart;
                for (int x = 0; x < lo; x++)
                {
                    dd[x] = 0f;
                }

                PackMath.CopyRow(row + pos0 + lo, dd + lo, hi - lo, len - lo);
            }

            for (int jj = cols; jj < nr; jj++)
            {
                d[jj] = 0f;
            }

            if (++kk == kernel)
            {
                kk = 0;
                c++;
            }
        }
    }
}
