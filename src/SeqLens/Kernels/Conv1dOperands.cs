using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

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
                        var dst = new Span<float>(row + lo + off, hi - lo);
                        System.Numerics.Tensors.TensorPrimitives.Add(dst, new ReadOnlySpan<float>(src + lo, hi - lo), dst);
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
