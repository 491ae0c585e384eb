namespace SeqLens.Kernels;

/// <summary>
/// 1-D max and average pooling over rows: input <c>(rows, length)</c> where rows = batch × channels,
/// output <c>(rows, outLength)</c> with <c>outLength = floor((length + padLeft + padRight - kernel) / stride) + 1</c>.
/// </summary>
public static class Pool1d
{
    /// <summary>Output length of a pooling window (floor mode).</summary>
    public static int OutLength(int length, int kernel, int stride, int padLeft = 0, int padRight = 0)
        => ((length + padLeft + padRight - kernel) / stride) + 1;

    /// <summary>Max over each window; padded positions never win. <paramref name="argmax"/> receives the input index within the row.</summary>
    public static void MaxForward(int rows, int length, int kernel, int stride, int padLeft, int outLength,
        ReadOnlySpan<float> input, Span<float> output, Span<int> argmax)
    {
        for (int r = 0; r < rows; r++)
        {
            var x = input.Slice(r * length, length);
            for (int t = 0; t < outLength; t++)
            {
                int start = (t * stride) - padLeft;
                float best = float.NegativeInfinity;
                int bestAt = -1;
                for (int k = 0; k < kernel; k++)
                {
                    int p = start + k;
                    if ((uint)p < (uint)length && (bestAt < 0 || x[p] > best || float.IsNaN(x[p])))
                    {
                        best = x[p];
                        bestAt = p;
                    }
                }

                output[(r * outLength) + t] = best;
                argmax[(r * outLength) + t] = bestAt;
            }
        }
    }

    /// <summary>Adds each output gradient into the input position that won its window.</summary>
    public static void MaxBackward(int rows, int length, int outLength, ReadOnlySpan<float> outputGrad, ReadOnlySpan<int> argmax, Span<float> inputGrad)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int t = 0; t < outLength; t++)
            {
                int p = argmax[(r * outLength) + t];
                if (p >= 0)
                {
                    inputGrad[(r * length) + p] += outputGrad[(r * outLength) + t];
                }
            }
        }
    }

    /// <summary>Mean over each window. With <paramref name="countPadding"/> the divisor is the kernel size (PyTorch's default), else the valid count (Keras).</summary>
    public static void AvgForward(int rows, int length, int kernel, int stride, int padLeft, int outLength, bool countPadding,
        ReadOnlySpan<float> input, Span<float> output)
    {
        for (int r = 0; r < rows; r++)
        {
            var x = input.Slice(r * length, length);
            for (int t = 0; t < outLength; t++)
            {
                int start = (t * stride) - padLeft;
                float sum = 0f;
                int count = 0;
                for (int k = 0; k < kernel; k++)
                {
                    int p = start + k;
                    if ((uint)p < (uint)length)
                    {
                        sum += x[p];
                        count++;
                    }
                }

                output[(r * outLength) + t] = sum / (countPadding ? kernel : Math.Max(count, 1));
            }
        }
    }

    /// <summary>Adds the gradient of <see cref="AvgForward"/> into <paramref name="inputGrad"/>.</summary>
    public static void AvgBackward(int rows, int length, int kernel, int stride, int padLeft, int outLength, bool countPadding,
        ReadOnlySpan<float> outputGrad, Span<float> inputGrad)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int t = 0; t < outLength; t++)
            {
                int start = (t * stride) - padLeft;
                int count = 0;
                for (int k = 0; k < kernel; k++)
                {
                    if ((uint)(start + k) < (uint)length)
                    {
                        count++;
                    }
                }

                float g = outputGrad[(r * outLength) + t] / (countPadding ? kernel : Math.Max(count, 1));
                for (int k = 0; k < kernel; k++)
                {
                    int p = start + k;
                    if ((uint)p < (uint)length)
                    {
                        inputGrad[(r * length) + p] += g;
                    }
                }
            }
        }
    }
}
