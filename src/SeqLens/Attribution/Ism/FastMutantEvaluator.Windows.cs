using System.Numerics.Tensors;

namespace SeqLens.Attribution.Ism;

// Window computation of each kind of position-local node, channels last.
internal sealed partial class FastMutantEvaluator
{
    private void ComputeWindow(WindowNode w)
    {
        int m = _batchSize;
        switch (w.Kind)
        {
            case WindowKind.Input:
                w.Patch.AsSpan().Clear();
                for (int i = 0; i < m; i++)
                {
                    w.Patch[(i * 4) + _bases[i]] = 1f;
                }

                break;
            case WindowKind.Conv:
                ComputeConv(w);
                break;
            case WindowKind.Pool:
                ComputePool(w);
                break;
            case WindowKind.Elementwise:
                GatherAll(w, 0, 0, w.Context, w.Channels, 0, 0f);
                w.Node.Op.Forward(w.OpContext!);
                break;
            case WindowKind.Identity:
                GatherAll(w, 0, 0, w.Patch, w.Channels, 0, 0f);
                break;
            case WindowKind.BatchNorm:
                GatherAll(w, 0, 0, w.Patch, w.Channels, 0, 0f);
                for (int r = 0; r < m * w.Width; r++)
                {
                    Span<float> row = w.Patch.AsSpan(r * w.Channels, w.Channels);
                    TensorPrimitives.MultiplyAdd(row, w.Scale, w.Shift, row);
                }

                break;
            case WindowKind.Add:
            case WindowKind.Sub:
            case WindowKind.Mul:
                ComputeBinary(w);
                break;
            case WindowKind.Concat:
                {
                    int offset = 0;
                    for (int k = 0; k < w.Node.Inputs.Count; k++)
                    {
                        GatherAll(w, k, 0, w.Patch, w.Channels, offset, 0f);
                        offset += w.Node.Inputs[k].SampleShape[0];
                    }

                    break;
                }

            case WindowKind.Slice:
            case WindowKind.Pad:
                GatherAll(w, 0, -(int)w.Scale[0], w.Patch, w.Channels, 0, w.Kind == WindowKind.Pad ? w.Shift[0] : 0f);
                break;
            default:
                throw new InvalidOperationException($"Unknown window kind {w.Kind}.");
        }
    }

    /// <summary>
    /// For every mutant, copies input <paramref name="inputIndex"/> at positions <c>[S[m] + shift, S[m] + shift + Width)</c>
    /// of <paramref name="w"/> into <paramref name="destination"/> rows (stride <paramref name="stride"/>, channel offset
    /// <paramref name="offset"/>); positions outside the sequence get <paramref name="fill"/>.
    /// </summary>
    private void GatherAll(WindowNode w, int inputIndex, int shift, float[] destination, int stride, int offset, float fill)
    {
        WindowNode input = _windows[w.Node.Inputs[inputIndex].Index]!;
        for (int i = 0; i < _batchSize; i++)
        {
            Gather(input, i, w.S[i] + shift, w.Width, destination.AsSpan(i * w.Width * stride), stride, offset, fill);
        }
    }

    /// <summary>Values of <paramref name="input"/> for mutant <paramref name="m"/> at positions [a, a + width).</summary>
    private static void Gather(WindowNode input, int m, int a, int width, Span<float> destination, int stride, int offset, float fill)
    {
        int c = input.Channels;
        int s = input.S[m];
        for (int t = 0; t < width; t++)
        {
            int pos = a + t;
            Span<float> dst = destination.Slice((t * stride) + offset, c);
            if ((uint)pos >= (uint)input.Length)
            {
                dst.Fill(fill);
            }
            else if (pos >= s && pos < s + input.Width)
            {
                input.Patch.AsSpan((((m * input.Width) + pos - s) * c), c).CopyTo(dst);
            }
            else
            {
                input.ReferenceT.AsSpan(pos * c, c).CopyTo(dst);
            }
        }
    }

    private void ComputeConv(WindowNode w)
    {
        WindowNode input = _windows[w.Node.Inputs[0].Index]!;
        int m = _batchSize;
        int cin = input.Channels, win = input.Width;
        int cout = w.Channels, wout = w.Width;

        // Deltas of the input windows, one row per (mutant, position); rows that did not change are left out.
        float[] delta = w.Context;
        int[] rowOf = w.Rows;
        int rows = 0;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < win; j++)
            {
                Span<float> row = delta.AsSpan(rows * cin, cin);
                TensorPrimitives.Subtract(
                    input.Patch.AsSpan(((i * win) + j) * cin, cin),
                    input.ReferenceT.AsSpan((input.S[i] + j) * cin, cin),
                    row);
                if (TensorPrimitives.MaxMagnitude(row) != 0f)
                {
                    rowOf[rows++] = (i * win) + j;
                }
            }
        }

        // Product (rows, K·Cout): column k·Cout + co holds tap k of output channel co.
        RightMatrix weights = w.Weights!;
        weights.Multiply(delta, rows, w.Product);
        int ldc = weights.N;
        for (int i = 0; i < m; i++)
        {
            w.ReferenceT.AsSpan(w.S[i] * cout, wout * cout).CopyTo(w.Patch.AsSpan(i * wout * cout, wout * cout));
        }

        for (int r = 0; r < rows; r++)
        {
            int i = rowOf[r] / win, j = rowOf[r] % win;
            int sOut = w.S[i];
            Span<float> patch = w.Patch.AsSpan(i * wout * cout, wout * cout);
            int pos = input.S[i] + j + w.PadLeft;
            ReadOnlySpan<float> taps = w.Product.AsSpan(r * ldc, ldc);
            for (int k = 0; k < w.KernelSize; k++)
            {
                int num = pos - (k * w.Dilation);
                if (num < 0 || num % w.Stride != 0)
                {
                    continue;
                }

                int t = (num / w.Stride) - sOut;
                if ((uint)t < (uint)wout)
                {
                    Span<float> dst = patch.Slice(t * cout, cout);
                    TensorPrimitives.Add(dst, taps.Slice(k * cout, cout), dst);
                }
            }
        }
    }

    private void ComputePool(WindowNode w)
    {
        WindowNode input = _windows[w.Node.Inputs[0].Index]!;
        int c = w.Channels;
        int span = ((w.Width - 1) * w.Stride) + w.KernelSize;
        float[] ctx = w.Context;
        for (int i = 0; i < _batchSize; i++)
        {
            int first = (w.S[i] * w.Stride) - w.PadLeft;
            Gather(input, i, first, span, ctx, c, 0, w.IsMax ? float.NegativeInfinity : 0f);
            for (int t = 0; t < w.Width; t++)
            {
                Span<float> dst = w.Patch.AsSpan(((i * w.Width) + t) * c, c);
                int o = t * w.Stride;
                ctx.AsSpan(o * c, c).CopyTo(dst);
                for (int k = 1; k < w.KernelSize; k++)
                {
                    ReadOnlySpan<float> x = ctx.AsSpan((o + k) * c, c);
                    if (w.IsMax)
                    {
                        TensorPrimitives.Max(dst, x, dst);
                    }
                    else
                    {
                        TensorPrimitives.Add(dst, x, dst);
                    }
                }

                if (!w.IsMax)
                {
                    int start = first + o;
                    int valid = Math.Min(start + w.KernelSize, input.Length) - Math.Max(start, 0);
                    TensorPrimitives.Multiply(dst, 1f / (w.CountIncludePad ? w.KernelSize : Math.Max(valid, 1)), dst);
                }
            }
        }
    }

    private void ComputeBinary(WindowNode w)
    {
        GatherAll(w, 0, 0, w.Patch, w.Channels, 0, 0f);
        int rows = w.Width * w.Channels;
        for (int k = 1; k < w.Node.Inputs.Count; k++)
        {
            WindowNode input = _windows[w.Node.Inputs[k].Index]!;
            for (int i = 0; i < _batchSize; i++)
            {
                Gather(input, i, w.S[i], w.Width, w.Context, w.Channels, 0, 0f);
                Span<float> dst = w.Patch.AsSpan(i * rows, rows);
                switch (w.Kind)
                {
                    case WindowKind.Add:
                        TensorPrimitives.Add(dst, w.Context, dst);
                        break;
                    case WindowKind.Sub:
                        TensorPrimitives.Subtract(dst, w.Context, dst);
                        break;
                    default:
                        TensorPrimitives.Multiply(dst, w.Context, dst);
                        break;
                }
            }
        }
    }
}
