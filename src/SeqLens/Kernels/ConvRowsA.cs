using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

/// <summary>
/// A (B, C, cols) tensor as the left operand with depth over (b, t): row i = channel c0 + i, depth p = (b, t),
/// value <c>src[b, c0 + i, t]</c>. The output gradient in the weight gradient <c>dW = dY · Xcolᵀ</c>.
/// </summary>
internal readonly unsafe struct ConvRowsA(float* src, int channels, int c0, int cols) : IPackA
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int i0, int mc, int p0, int kc, int mr)
    {
        for (int s = 0; s < mc; s += mr)
        {
            int rows = Math.Min(mr, mc - s);
            float* d = dst + ((nint)s * kc);
            int b = p0 / cols;
            int t = p0 % cols;
            if (rows == mr && mr is 14 or 6 && Avx.IsSupported)
            {
                // Runs of t within one batch item: 8×8 transposes (rows 8..13 first: their 8-wide stores spill
                // two floats into the next k step, which the rows 0..7 store of that step then overwrites).
                for (int p = 0; p < kc;)
                {
                    int run = Math.Min(kc - p, cols - t);
                    float* col = src + ((((nint)b * channels) + c0 + i0 + s) * cols) + t;
                    int q = 0;
                    for (; q + 8 <= run; q += 8)
                    {
                        float* dq = d + ((nint)(p + q) * mr);
                        if (mr == 14)
                        {
                            PackMath.Transpose8x8(col + (8 * (nint)cols) + q, cols, 6, dq + 8, mr);
                            PackMath.Transpose8x8(col + q, cols, 8, dq, mr);
                        }
                        else
                        {
                            PackMath.Transpose8x8(col + q, cols, 6, dq, mr);
                        }
                    }

                    for (; q < run; q++)
                    {
                        float* dq = d + ((nint)(p + q) * mr);
                        for (int i = 0; i < mr; i++)
                        {
                            dq[i] = col[((nint)i * cols) + q];
                        }
                    }

                    p += run;
                    t += run;
                    if (t == cols)
                    {
                        t = 0;
                        b++;
                    }
                }

                continue;
            }

            for (int p = 0; p < kc; p++, d += mr)
            {
                float* col = src + ((((nint)b * channels) + c0 + i0 + s) * cols) + t;
                int i = 0;
                for (; i < rows; i++)
                {
                    d[i] = col[(nint)i * cols];
                }

                for (; i < mr; i++)
                {
                    d[i] = 0f;
                }

                if (++t == cols)
                {
                    t = 0;
                    b++;
                }
            }
        }
    }
}
