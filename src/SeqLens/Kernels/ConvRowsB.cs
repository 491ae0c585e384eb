using System.Runtime.CompilerServices;

namespace SeqLens.Kernels;

/// <summary>
/// A (B, C, cols) tensor as the right operand with depth over channels: depth p = channel c0 + p, column
/// j = (b, t), value <c>src[b, c0 + p, t]</c>. The output gradient in the col2im input gradient <c>Wᵀ · dY</c>.
/// </summary>
internal readonly unsafe struct ConvRowsB(float* src, int channels, int c0, int cols) : IPackB
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* dst, int p0, int kc, int j0, int nc, int nr)
    {
        nint* colOff = stackalloc nint[GemmBuffers.MaxTile];
        nint channelStride = cols;
        for (int s = 0; s < nc; s += nr)
        {
            int n = Math.Min(nr, nc - s);
            float* d = dst + ((nint)s * kc);
            int j = j0 + s;
            int b = j / cols;
            int t = j % cols;
            if (t + n <= cols)
            {
                float* row = src + ((((nint)b * channels) + c0 + p0) * cols) + t;
                for (int p = 0; p < kc; p++, d += nr, row += channelStride)
                {
                    PackMath.CopyRow(row, d, n, nr);
                }

                continue;
            }

            for (int jj = 0; jj < n; jj++)
            {
                colOff[jj] = ((((nint)b * channels) + c0 + p0) * cols) + t;
                if (++t == cols)
                {
                    t = 0;
                    b++;
                }
            }

            for (int p = 0; p < kc; p++, d += nr)
            {
                nint pOff = p * channelStride;
                for (int jj = 0; jj < n; jj++)
                {
                    d[jj] = src[colOff[jj] + pOff];
                }

                for (int jj = n; jj < nr; jj++)
                {
                    d[jj] = 0f;
                }
            }
        }
    }
}
