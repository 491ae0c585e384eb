using SeqLens.Kernels;

namespace SeqLens.Tests.Support;

/// <summary>
/// Naive reference loops for the kernels in <c>SeqLens.Kernels</c>, accumulating in double.
/// The fast kernels are tested against these; they were the library bodies before the packed kernels.
/// </summary>
public static class ReferenceKernels
{
    /// <summary><c>C = op(A)·op(B) + beta·C</c>, row-major, in double (result rounded once to float).</summary>
    public static void Gemm(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, float beta = 0f)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                    double bv = transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += av * bv;
                }

                c[(i * ldc) + j] = beta == 0f ? (float)sum : (float)((beta * (double)c[(i * ldc) + j]) + sum);
            }
        }
    }

    /// <summary>Sum of |op(A)|·|op(B)| per element: the scale against which rounding error is judged.</summary>
    public static double[] GemmAbsScale(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb)
    {
        var scale = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                    double bv = transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += Math.Abs(av * bv);
                }

                scale[(i * n) + j] = sum;
            }
        }

        return scale;
    }

    /// <summary>Conv1d forward in double: output <c>(B, Cout, Lout)</c> = conv(input) + bias.</summary>
    public static double[] ConvForward(in Conv1dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, bool absolute = false)
    {
        int lout = g.OutLength;
        int cinG = g.InChannels / g.Groups;
        int coutG = g.OutChannels / g.Groups;
        var output = new double[g.Batch * g.OutChannels * lout];
        for (int b = 0; b < g.Batch; b++)
        {
            for (int co = 0; co < g.OutChannels; co++)
            {
                int grp = co / coutG;
                for (int t = 0; t < lout; t++)
                {
                    double sum = bias.IsEmpty ? 0 : Abs(bias[co], absolute);
                    for (int ci = 0; ci < cinG; ci++)
                    {
                        int cin = (grp * cinG) + ci;
                        for (int kk = 0; kk < g.KernelSize; kk++)
                        {
                            int pos = (t * g.Stride) + (kk * g.Dilation) - g.PadLeft;
                            if ((uint)pos < (uint)g.Length)
                            {
                                sum += Abs((double)weight[(((co * cinG) + ci) * g.KernelSize) + kk] * input[(((b * g.InChannels) + cin) * g.Length) + pos], absolute);
                            }
                        }
                    }

                    output[(((b * g.OutChannels) + co) * lout) + t] = sum;
                }
            }
        }

        return output;
    }

    /// <summary>Conv1d input gradient in double: returns <paramref name="inputGradStart"/> + dLoss/dInput <c>(B, Cin, L)</c>.</summary>
    public static double[] ConvBackwardInput(in Conv1dGeometry g, ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> weight, ReadOnlySpan<float> inputGradStart, bool absolute = false)
    {
        int lout = g.OutLength;
        int cinG = g.InChannels / g.Groups;
        int coutG = g.OutChannels / g.Groups;
        var inputGrad = new double[g.Batch * g.InChannels * g.Length];
        for (int i = 0; i < inputGrad.Length; i++)
        {
            inputGrad[i] = Abs(inputGradStart[i], absolute);
        }

        for (int b = 0; b < g.Batch; b++)
        {
            for (int co = 0; co < g.OutChannels; co++)
            {
                int grp = co / coutG;
                for (int t = 0; t < lout; t++)
                {
                    double dy = outputGrad[(((b * g.OutChannels) + co) * lout) + t];
                    for (int ci = 0; ci < cinG; ci++)
                    {
                        int cin = (grp * cinG) + ci;
                        for (int kk = 0; kk < g.KernelSize; kk++)
                        {
                            int pos = (t * g.Stride) + (kk * g.Dilation) - g.PadLeft;
                            if ((uint)pos < (uint)g.Length)
                            {
                                inputGrad[(((b * g.InChannels) + cin) * g.Length) + pos] += Abs(dy * weight[(((co * cinG) + ci) * g.KernelSize) + kk], absolute);
                            }
                        }
                    }
                }
            }
        }

        return inputGrad;
    }

    /// <summary>Conv1d weight and bias gradients in double, added to the given starting values.</summary>
    public static (double[] WeightGrad, double[] BiasGrad) ConvBackwardWeight(
        in Conv1dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad,
        ReadOnlySpan<float> weightGradStart, ReadOnlySpan<float> biasGradStart, bool absolute = false)
    {
        int lout = g.OutLength;
        int cinG = g.InChannels / g.Groups;
        int coutG = g.OutChannels / g.Groups;
        var weightGrad = new double[weightGradStart.Length];
        var biasGrad = new double[biasGradStart.Length];
        for (int i = 0; i < weightGrad.Length; i++)
        {
            weightGrad[i] = Abs(weightGradStart[i], absolute);
        }

        for (int i = 0; i < biasGrad.Length; i++)
        {
            biasGrad[i] = Abs(biasGradStart[i], absolute);
        }

        for (int b = 0; b < g.Batch; b++)
        {
            for (int co = 0; co < g.OutChannels; co++)
            {
                int grp = co / coutG;
                for (int t = 0; t < lout; t++)
                {
                    double dy = outputGrad[(((b * g.OutChannels) + co) * lout) + t];
                    if (biasGrad.Length > 0)
                    {
                        biasGrad[co] += Abs(dy, absolute);
                    }

                    for (int ci = 0; ci < cinG; ci++)
                    {
                        int cin = (grp * cinG) + ci;
                        for (int kk = 0; kk < g.KernelSize; kk++)
                        {
                            int pos = (t * g.Stride) + (kk * g.Dilation) - g.PadLeft;
                            if ((uint)pos < (uint)g.Length)
                            {
                                weightGrad[(((co * cinG) + ci) * g.KernelSize) + kk] += Abs(dy * input[(((b * g.InChannels) + cin) * g.Length) + pos], absolute);
                            }
                        }
                    }
                }
            }
        }

        return (weightGrad, biasGrad);
    }

    /// <summary>Max pooling forward: max over each window, padded positions never win, first max wins, NaN wins.</summary>
    public static void MaxPoolForward(int rows, int length, int kernel, int stride, int padLeft, int outLength,
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

    /// <summary>Max pooling backward: adds each output gradient into the winning input position.</summary>
    public static void MaxPoolBackward(int rows, int length, int outLength, ReadOnlySpan<float> outputGrad, ReadOnlySpan<int> argmax, Span<float> inputGrad)
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

    /// <summary>Average pooling forward in double.</summary>
    public static double[] AvgPoolForward(int rows, int length, int kernel, int stride, int padLeft, int outLength, bool countPadding, ReadOnlySpan<float> input)
    {
        var output = new double[rows * outLength];
        for (int r = 0; r < rows; r++)
        {
            var x = input.Slice(r * length, length);
            for (int t = 0; t < outLength; t++)
            {
                int start = (t * stride) - padLeft;
                double sum = 0;
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

        return output;
    }

    /// <summary>Average pooling backward in double, added to <paramref name="inputGradStart"/>.</summary>
    public static double[] AvgPoolBackward(int rows, int length, int kernel, int stride, int padLeft, int outLength, bool countPadding,
        ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> inputGradStart)
    {
        var inputGrad = new double[inputGradStart.Length];
        for (int i = 0; i < inputGrad.Length; i++)
        {
            inputGrad[i] = inputGradStart[i];
        }

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

                double g = (double)outputGrad[(r * outLength) + t] / (countPadding ? kernel : Math.Max(count, 1));
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

        return inputGrad;
    }

    private static double Abs(double v, bool absolute) => absolute ? Math.Abs(v) : v;
}
