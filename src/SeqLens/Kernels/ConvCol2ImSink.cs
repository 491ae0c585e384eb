using System.Runtime.CompilerServices;

namespace SeqLens.Kernels;

/// <summary>
/// col2im as a panel sink: row r = (c, kk) and column (b, t) of the column-gradient panel add into
/// <c>dx[b, c0 + c, t·stride + kk·dilation − padLeft]</c>. Panels hold whole batch items, so no two panels touch
/// the same element and the order of additions (kk ascending, then t) is fixed.
/// </summary>
internal readonly unsafe struct ConvCol2ImSink(
    float* dx, int channels, int c0, int length, int kernel, int outLength, int stride, int dilation, int padLeft) : IPanelSink
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Flush(float* panel, nint ld, int m, int j0, int nc)
    {
        int b0 = j0 / outLength;
        int nb = nc / outLength;
        for (int bi = 0; bi < nb; bi++)
        {
            float* batch = dx + ((((nint)(b0 + bi) * channels) + c0) * length);
            for (int r = 0; r < m; r++)
            {
                float* src = panel + (r * ld) + ((nint)bi * outLength);
                float* row = batch + ((nint)(r / kernel) * length);
                int off = ((r % kernel) * dilation) - padLeft;
                if (stride == 1)
                {
                    int lo = Math.Max(0, -off);
                    int hi = Math.Min(outLength, length - off);
                    if (hi > lo)
                    {
                        PackMath.AddInto(row + lo + off, src + lo, hi - lo);
                    }
                }
                else
                {
                    for (int t = 0; t < outLength; t++)
                    {
                        int pos = (t * stride) + off;
                        if ((uint)pos < (uint)length)
                        {
                            row[pos] += src[t];
                        }
                    }
                }
            }
        }
    }
}
