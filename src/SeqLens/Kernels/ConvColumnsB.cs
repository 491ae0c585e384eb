using System.Runtime.CompilerServices;

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
        for (int s = 0; s < nc; s += nr)
        {
            int cols = Math.Min(nr, nc - s);
            float* d = dst + ((nint)s * kc);
            int j = j0 + s;
            int b = j / outCols;
            int t = j % outCols;
            int c = p0 / kernel;
            int kk = p0 % kernel;
            if (mul == 1 && div == 1 && cols == nr && t + nr <= outCols)
            {
                // All columns in one batch row, unit stride: each k row is a contiguous run of src.
                float* batchBase = src + ((((nint)b * channels) + c0) * srcLength);
                for (int p = 0; p < kc; p++, d += nr)
                {
                    int pos0 = t + (kk * kStep) + offset;
                    float* row = batchBase + ((nint)c * srcLength);
                    if (pos0 >= 0 && pos0 + nr <= srcLength)
                    {
                        PackMath.CopyRow(row + pos0, d, nr, nr);
                    }
                    else
                    {
                        for (int jj = 0; jj < nr; jj++)
                        {
                            int pos = pos0 + jj;
                            d[jj] = (uint)pos < (uint)srcLength ? row[pos] : 0f;
                        }
                    }

                    if (++kk == kernel)
                    {
                        kk = 0;
                        c++;
                    }
                }

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
}
