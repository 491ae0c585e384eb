using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

/// <summary>
/// The im2col matrix transposed as the right operand of the weight gradient: depth p = (b, t), column
/// j = (c, kk), value <c>x[b, c0 + c, t·stride + kk·dilation − padLeft]</c> or 0 outside.
/// </summary>
internal readonly unsafe struct ConvColumnsTransposedB(
    float* x, int channels, int c0, int length, int kernel, int outLength, int stride, int dilation, int padLeft) : IPackB
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int p0, int kc, int j0, int nc, int nr)
    {
        nint* cOff = stackalloc nint[GemmBuffers.MaxTile];
        int* kOff = stackalloc int[GemmBuffers.MaxTile];
        nint batchStride = (nint)channels * length;
        for (int s = 0; s < nc; s += nr)
        {
            int cols = Math.Min(nr, nc - s);
            float* d = dst + ((nint)s * kc);
            for (int jj = 0; jj < cols; jj++)
            {
                int j = j0 + s + jj;
                cOff[jj] = (nint)(c0 + (j / kernel)) * length;
                kOff[jj] = ((j % kernel) * dilation) - padLeft;
            }

            int b = p0 / outLength;
            int t = p0 % outLength;
            if (stride == 1 && cols == nr && nr % 8 == 0 && Avx.IsSupported)
            {
                PackTransposed(d, kc, nr, b, t, cOff, kOff, batchStride);
                continue;
            }

            for (int p = 0; p < kc; p++, d += nr)
            {
                float* xb = x + (b * batchStride);
                int tpos = t * stride;
                for (int jj = 0; jj < cols; jj++)
                {
                    int pos = tpos + kOff[jj];
                    d[jj] = (uint)pos < (uint)length ? xb[cOff[jj] + pos] : 0f;
                }

                for (int jj = cols; jj < nr; jj++)
                {
                    d[jj] = 0f;
                }

                if (++t == outLength)
                {
                    t = 0;
                    b++;
                }
            }
        }
    }

    /// <summary>
    /// Unit stride: 8 consecutive t of 8 columns are 8 contiguous runs of x, so pack them with 8×8 transposes
    /// wherever all 64 taps are inside the row; scalar elsewhere (borders, batch ends, the last &lt;8 steps).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackTransposed(float* d, int kc, int nr, int b, int t, nint* cOff, int* kOff, nint batchStride)
    {
        nint* offsets = stackalloc nint[8];
        for (int p = 0; p < kc;)
        {
            int run = Math.Min(kc - p, outLength - t);
            float* xb = x + (b * batchStride);
            int q = 0;
            for (; q + 8 <= run; q += 8)
            {
                int tt = t + q;
                float* dq = d + ((nint)(p + q) * nr);
                for (int g = 0; g < nr; g += 8)
                {
                    bool inside = true;
                    for (int r = 0; r < 8; r++)
                    {
                        int pos = tt + kOff[g + r];
                        inside &= pos >= 0 && pos + 8 <= length;
                        offsets[r] = cOff[g + r] + pos;
                    }

                    if (inside)
                    {
                        PackMath.Transpose8x8(xb, offsets, dq + g, nr);
                        continue;
                    }

                    for (int qq = 0; qq < 8; qq++)
                    {
                        for (int r = 0; r < 8; r++)
                        {
                            int pos = tt + qq + kOff[g + r];
                            dq[((nint)qq * nr) + g + r] = (uint)pos < (uint)length ? xb[cOff[g + r] + pos] : 0f;
                        }
                    }
                }
            }

            for (; q < run; q++)
            {
                float* dq = d + ((nint)(p + q) * nr);
                int tt = t + q;
                for (int jj = 0; jj < nr; jj++)
                {
                    int pos = tt + kOff[jj];
                    dq[jj] = (uint)pos < (uint)length ? xb[cOff[jj] + pos] : 0f;
                }
            }

            p += run;
            t += run;
            if (t == outLength)
            {
                t = 0;
                b++;
            }
        }
    }
}
