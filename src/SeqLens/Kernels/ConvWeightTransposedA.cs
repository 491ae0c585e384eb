using System.Runtime.CompilerServices;

namespace SeqLens.Kernels;

/// <summary>
/// Conv weights of one group read transposed as the left operand of the input gradient:
/// row i = input channel, depth r = (co, kk), value <c>w[co, i, kk]</c> (w points at the group's first filter).
/// </summary>
internal readonly unsafe struct ConvWeightTransposedA(float* w, int cinG, int kernel) : IPackA
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int i0, int mc, int p0, int kc, int mr)
    {
        nint filter = (nint)cinG * kernel;
        for (int s = 0; s < mc; s += mr)
        {
            int rows = Math.Min(mr, mc - s);
            float* d = dst + ((nint)s * kc);
            int co = p0 / kernel;
            int kk = p0 % kernel;
            for (int p = 0; p < kc; p++, d += mr)
            {
                float* col = w + (co * filter) + ((nint)(i0 + s) * kernel) + kk;
                int i = 0;
                for (; i < rows; i++)
                {
                    d[i] = col[(nint)i * kernel];
                }

                for (; i < mr; i++)
                {
                    d[i] = 0f;
                }

                if (++kk == kernel)
                {
                    kk = 0;
                    co++;
                }
            }
        }
    }
}
