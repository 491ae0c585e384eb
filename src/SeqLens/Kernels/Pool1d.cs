using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

/// <summary>
/// 1-D max and average pooling over rows: input <c>(rows, length)</c> where rows = batch × channels,
/// output <c>(rows, outLength)</c> with <c>outLength = floor((length + padLeft + padRight - kernel) / stride) + 1</c>.
/// </summary>
/// <remarks>
/// Windows that lie fully inside a row run 16 at a time when stride = kernel ∈ {2, 3, 4} (the common case: 16
/// adjacent windows are 16·kernel contiguous floats, split into taps with AVX-512 two-source permutes), else 8 at a
/// time with AVX2 gathers of tap kk; the few border windows run the scalar loop. Both compare taps in the same order, so results and argmax are
/// identical either way: the first maximum wins a tie, and a NaN tap always wins (NaN propagates, as in PyTorch).
/// </remarks>
public static class Pool1d
{
    /// <summary>Output length of a pooling window (floor mode).</summary>
    public static int OutLength(int length, int kernel, int stride, int padLeft = 0, int padRight = 0)
        => ((length + padLeft + padRight - kernel) / stride) + 1;

    /// <summary>Max over each window; padded positions never win. <paramref name="argmax"/> receives the input index within the row.</summary>
    public static unsafe void MaxForward(int rows, int length, int kernel, int stride, int padLeft, int outLength,
        ReadOnlySpan<float> input, Span<float> output, Span<int> argmax)
    {
        Check(nameof(MaxForward), rows, length, kernel, stride, padLeft, outLength, input.Length, output.Length);
        if (argmax.Length != output.Length)
        {
            throw new ArgumentException($"Pool1d.MaxForward: argmax holds {argmax.Length} entries; expected {output.Length} (one per output).");
        }

        var (lo, hi) = Interior(length, kernel, stride, padLeft, outLength);
        bool deinterleave = Windows16.Supported(kernel, stride);
        fixed (float* px = input)
        fixed (float* py = output)
        fixed (int* pi = argmax)
        {
            for (int r = 0; r < rows; r++)
            {
                float* x = px + ((nint)r * length);
                float* y = py + ((nint)r * outLength);
                int* idx = pi + ((nint)r * outLength);
                for (int t = 0; t < lo; t++)
                {
                    MaxWindow(x, length, kernel, (t * stride) - padLeft, out y[t], out idx[t]);
                }

                int tv = lo;
                if (deinterleave)
                {
                    var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * kernel;
                    for (; tv + 16 <= hi; tv += 16)
                    {
                        int first = (tv * kernel) - padLeft;
                        var block = new Windows16(x + first, kernel);
                        var start = lanes + Vector512.Create(first);
                        var best = block.Tap(0);
                        var bestAt = start;
                        for (int kk = 1; kk < kernel; kk++)
                        {
                            var v = block.Tap(kk);
                            var take = Vector512.GreaterThan(v, best) | ~Vector512.Equals(v, v);
                            best = Vector512.ConditionalSelect(take, v, best);
                            bestAt = Vector512.ConditionalSelect(take.AsInt32(), start + Vector512.Create(kk), bestAt);
                        }

                        Vector512.Store(best, y + tv);
                        Vector512.Store(bestAt, idx + tv);
                    }
                }

                if (Avx2.IsSupported)
                {
                    var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * stride;
                    for (; tv + 8 <= hi; tv += 8)
                    {
                        var start = lanes + Vector256.Create((tv * stride) - padLeft);
                        var best = Avx2.GatherVector256(x, start, 4);
                        var bestAt = start;
                        for (int kk = 1; kk < kernel; kk++)
                        {
                            var at = start + Vector256.Create(kk);
                            var v = Avx2.GatherVector256(x, at, 4);
                            var take = Vector256.GreaterThan(v, best) | ~Vector256.Equals(v, v);
                            best = Vector256.ConditionalSelect(take, v, best);
                            bestAt = Vector256.ConditionalSelect(take.AsInt32(), at, bestAt);
                        }

                        Vector256.Store(best, y + tv);
                        Vector256.Store(bestAt, idx + tv);
                    }
                }

                for (int t = tv; t < outLength; t++)
                {
                    MaxWindow(x, length, kernel, (t * stride) - padLeft, out y[t], out idx[t]);
                }
            }
        }
    }

    /// <summary>Adds each output gradient into the input position that won its window.</summary>
    public static unsafe void MaxBackward(int rows, int length, int outLength, ReadOnlySpan<float> outputGrad, ReadOnlySpan<int> argmax, Span<float> inputGrad)
    {
        if (rows < 0 || length < 0 || outLength < 0 || outputGrad.Length != (long)rows * outLength || argmax.Length != outputGrad.Length || inputGrad.Length != (long)rows * length)
        {
            throw new ArgumentException(
                $"Pool1d.MaxBackward: rows {rows}, length {length}, outLength {outLength} need outputGrad and argmax of {(long)rows * outLength} and inputGrad of {(long)rows * length}; got {outputGrad.Length}, {argmax.Length}, {inputGrad.Length}.");
        }

        fixed (float* pdy = outputGrad)
        fixed (int* pi = argmax)
        fixed (float* pdx = inputGrad)
        {
            for (int r = 0; r < rows; r++)
            {
                float* dx = pdx + ((nint)r * length);
                float* dy = pdy + ((nint)r * outLength);
                int* idx = pi + ((nint)r * outLength);
                for (int t = 0; t < outLength; t++)
                {
                    int p = idx[t];
                    if ((uint)p < (uint)length)
                    {
                        dx[p] += dy[t];
                    }
                    else if (p >= 0)
                    {
                        throw new ArgumentException($"Pool1d.MaxBackward: argmax[{((long)r * outLength) + t}] = {p} is outside the row of length {length}.");
                    }
                }
            }
        }
    }

    /// <summary>Mean over each window. With <paramref name="countPadding"/> the divisor is the kernel size (PyTorch's default), else the valid count (Keras).</summary>
    public static unsafe void AvgForward(int rows, int length, int kernel, int stride, int padLeft, int outLength, bool countPadding,
        ReadOnlySpan<float> input, Span<float> output)
    {
        Check(nameof(AvgForward), rows, length, kernel, stride, padLeft, outLength, input.Length, output.Length);
        var (lo, hi) = Interior(length, kernel, stride, padLeft, outLength);
        bool deinterleave = Windows16.Supported(kernel, stride);
        fixed (float* px = input)
        fixed (float* py = output)
        {
            for (int r = 0; r < rows; r++)
            {
                float* x = px + ((nint)r * length);
                float* y = py + ((nint)r * outLength);
                for (int t = 0; t < lo; t++)
                {
                    y[t] = AvgWindow(x, length, kernel, (t * stride) - padLeft, countPadding);
                }

                int tv = lo;
                if (deinterleave)
                {
                    var divisor16 = Vector512.Create((float)kernel);
                    for (; tv + 16 <= hi; tv += 16)
                    {
                        var block = new Windows16(x + ((tv * kernel) - padLeft), kernel);
                        var sum = Vector512<float>.Zero;
                        for (int kk = 0; kk < kernel; kk++)
                        {
                            sum += block.Tap(kk);
                        }

                        Vector512.Store(sum / divisor16, y + tv);
                    }
                }

                if (Avx2.IsSupported)
                {
                    var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * stride;
                    var divisor = Vector256.Create((float)kernel);
                    for (; tv + 8 <= hi; tv += 8)
                    {
                        var start = lanes + Vector256.Create((tv * stride) - padLeft);
                        var sum = Vector256<float>.Zero;
                        for (int kk = 0; kk < kernel; kk++)
                        {
                            sum += Avx2.GatherVector256(x, start + Vector256.Create(kk), 4);
                        }

                        Vector256.Store(sum / divisor, y + tv);
                    }
                }

                for (int t = tv; t < outLength; t++)
                {
                    y[t] = AvgWindow(x, length, kernel, (t * stride) - padLeft, countPadding);
                }
            }
        }
    }

    /// <summary>Adds the gradient of <see cref="AvgForward"/> into <paramref name="inputGrad"/>.</summary>
    public static unsafe void AvgBackward(int rows, int length, int kernel, int stride, int padLeft, int outLength, bool countPadding,
        ReadOnlySpan<float> outputGrad, Span<float> inputGrad)
    {
        Check(nameof(AvgBackward), rows, length, kernel, stride, padLeft, outLength, inputGrad.Length, outputGrad.Length);
        fixed (float* pdy = outputGrad)
        fixed (float* pdx = inputGrad)
        {
            for (int r = 0; r < rows; r++)
            {
                float* dx = pdx + ((nint)r * length);
                float* dy = pdy + ((nint)r * outLength);
                for (int t = 0; t < outLength; t++)
                {
                    int start = (t * stride) - padLeft;
                    int first = Math.Max(start, 0);
                    int end = Math.Min(start + kernel, length);
                    float g = dy[t] / (countPadding ? kernel : Math.Max(end - first, 1));
                    for (int p = first; p < end; p++)
                    {
                        dx[p] += g;
                    }
                }
            }
        }
    }

    /// <summary>The outputs <c>[lo, hi)</c> whose windows lie fully inside the row.</summary>
    private static (int Lo, int Hi) Interior(int length, int kernel, int stride, int padLeft, int outLength)
    {
        int lo = Math.Min((padLeft + stride - 1) / stride, outLength);
        int last = length + padLeft - kernel; // window start (padded coordinates) of the last full window
        int hi = last < 0 ? lo : Math.Clamp((last / stride) + 1, lo, outLength);
        return (lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void MaxWindow(float* x, int length, int kernel, int start, out float best, out int bestAt)
    {
        best = float.NegativeInfinity;
        bestAt = -1;
        for (int k = 0; k < kernel; k++)
        {
            int p = start + k;
            if ((uint)p < (uint)length && (bestAt < 0 || x[p] > best || float.IsNaN(x[p])))
            {
                best = x[p];
                bestAt = p;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float AvgWindow(float* x, int length, int kernel, int start, bool countPadding)
    {
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

        return sum / (countPadding ? kernel : Math.Max(count, 1));
    }

    private static void Check(string method, int rows, int length, int kernel, int stride, int padLeft, int outLength, int inputLength, int outputLength)
    {
        if (rows < 0 || length < 0 || kernel <= 0 || stride <= 0 || padLeft < 0 || outLength < 0)
        {
            throw new ArgumentException($"Pool1d.{method}: invalid window (rows {rows}, length {length}, kernel {kernel}, stride {stride}, padLeft {padLeft}, outLength {outLength}).");
        }

        if (inputLength != (long)rows * length || outputLength != (long)rows * outLength)
        {
            throw new ArgumentException(
                $"Pool1d.{method}: rows {rows} × length {length} → out length {outLength} needs {(long)rows * length} inputs and {(long)rows * outLength} outputs; got {inputLength} and {outputLength}.");
        }
    }
}
