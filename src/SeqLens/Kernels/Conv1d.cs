using System.Numerics.Tensors;

namespace SeqLens.Kernels;

/// <summary>1-D convolution (cross-correlation): forward, input gradient and weight gradient side by side.</summary>
/// <remarks>
/// Each pass is one packed GEMM per group (<see cref="GemmDriver"/>) with implicit im2col: the column matrix
/// <c>Xcol(Cin/groups·K, B·Lout)</c> is gathered panel by panel straight from the tensor, never materialised
/// (it would reach 170 MB per batch of 64 on a Basset-like first layer).
/// <list type="bullet">
/// <item>Forward: <c>Y(Cout, B·Lout) = W(Cout, Cin·K) · Xcol</c>, bias (and optional ReLU) in the GEMM epilogue.</item>
/// <item>Input gradient, as a transposed convolution: <c>dX(Cin, B·L) += Wᵀ(Cin, Cout·K) · dYcol(Cout·K, B·L)</c>
/// where <c>dYcol[(co,kk),(b,p)] = dY[b, co, (p + padLeft − kk·dilation)/stride]</c> when that divides exactly
/// and lies inside; no scatter, so threads never write the same element. With fewer than 16 input channels per
/// group (the one-hot DNA layer) it is instead <c>dXcol = Wᵀ · dY</c> in panels of whole batch items, each
/// panel added into dX by col2im (fixed order; one thread per panel).</item>
/// <item>Weight gradient: <c>dW(Cout, Cin·K) += dY(Cout, B·Lout) · Xcolᵀ</c>; its depth is B·Lout, summed in
/// fixed blocks of 256 in order.</item>
/// </list>
/// Results are bit-identical for any <see cref="KernelThreads.MaxDegree"/>. Stride-1 single-group layers run the direct
/// kernel <see cref="Conv1dDirect"/> instead: forward and weight gradient when the reduction is shallow (Cin·K ≤ 16, e.g.
/// a QRNN's gate convolution), input gradient when there are at most 4 input channels (the DNA layer).
/// </remarks>
public static class Conv1d
{
    /// <summary>Below this many input channels per group the input gradient runs as GEMM + col2im.</summary>
    private const int Col2ImMaxChannels = 16;

    /// <summary>Overwrites <paramref name="output"/> <c>(B, Cout, Lout)</c> with conv(input) + bias. <paramref name="bias"/> may be empty.</summary>
    public static void Forward(in Conv1dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
        => Forward(g, input, weight, bias, output, relu: false);

    /// <summary>
    /// Overwrites <paramref name="output"/> <c>(B, Cout, Lout)</c> with conv(input) + bias, then <c>max(·, 0)</c> when
    /// <paramref name="relu"/> (inference fusion: the activation runs on the tile while it is in cache).
    /// </summary>
    public static unsafe void Forward(in Conv1dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output, bool relu)
    {
        Check(g, nameof(Forward), input.Length, weight.Length, output.Length);
        if (!bias.IsEmpty && bias.Length != g.OutChannels)
        {
            throw new ArgumentException($"Conv1d.Forward: bias holds {bias.Length} floats; expected {g.OutChannels} (one per output channel) or none.");
        }

        int lout = g.OutLength;
        int cinG = g.InChannels / g.Groups;
        int coutG = g.OutChannels / g.Groups;
        fixed (float* x = input)
        fixed (float* w = weight)
        fixed (float* pb = bias)
        fixed (float* y = output)
        {
            if (Conv1dDirect.Handles(g))
            {
                Conv1dDirect.Forward(g, x, w, bias.IsEmpty ? null : pb, y, relu);
                return;
            }

            for (int grp = 0; grp < g.Groups; grp++)
            {
                var a = new MatrixA(w + ((nint)grp * coutG * cinG * g.KernelSize), cinG * g.KernelSize, transpose: false);
                var b = new ConvColumnsB(x, g.InChannels, grp * cinG, g.Length, g.KernelSize, lout, g.Stride, g.Dilation, -g.PadLeft, 1);
                var c = new GemmOutput
                {
                    Data = y + ((nint)grp * coutG * lout),
                    RowStride = lout,
                    ColsPerBatch = lout,
                    BatchStride = (nint)g.OutChannels * lout,
                    Bias = bias.IsEmpty ? null : pb + (grp * coutG),
                    Relu = relu,
                };
                GemmDriver.Run(a, b, coutG, g.Batch * lout, cinG * g.KernelSize, c);
            }
        }
    }

    /// <summary>Adds dLoss/dInput into <paramref name="inputGrad"/> <c>(B, Cin, L)</c>.</summary>
    public static unsafe void BackwardInput(in Conv1dGeometry g, ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> weight, Span<float> inputGrad)
    {
        Check(g, nameof(BackwardInput), inputGrad.Length, weight.Length, outputGrad.Length);
        int lout = g.OutLength;
        int cinG = g.InChannels / g.Groups;
        int coutG = g.OutChannels / g.Groups;
        fixed (float* dy = outputGrad)
        fixed (float* w = weight)
        fixed (float* dx = inputGrad)
        {
            if (Conv1dDirect.HandlesBackwardInput(g))
            {
                Conv1dDirect.BackwardInput(g, dy, w, dx);
                return;
            }

            // NOTE: few input channels (the DNA layer: 4) make the transposed-conv GEMM 4 rows tall, which wastes
            // most of a 14-row register tile and re-gathers dY K times. There, compute the column gradient
            // Wᵀ(Cin·K, Cout) · dY(Cout, B·Lout) panel by panel (whole batch items per panel) and col2im each panel.
            int cols = cinG * g.KernelSize;
            if (cinG < Col2ImMaxChannels && cols <= GemmBuffers.Mc && lout <= GemmBuffers.Nc)
            {
                int panelWidth = GemmBuffers.Nc / lout * lout;
                for (int grp = 0; grp < g.Groups; grp++)
                {
                    var a = new MatrixA(w + ((nint)grp * coutG * cols), cols, transpose: true);
                    var b = new ConvRowsB(dy, g.OutChannels, grp * coutG, lout);
                    var sink = new ConvCol2ImSink(dx, g.InChannels, grp * cinG, g.Length, g.KernelSize, lout, g.Stride, g.Dilation, g.PadLeft);
                    GemmDriver.RunPanels(a, b, sink, cols, g.Batch * lout, coutG, panelWidth);
                }

                return;
            }

            for (int grp = 0; grp < g.Groups; grp++)
            {
                var a = new ConvWeightTransposedA(w + ((nint)grp * coutG * cinG * g.KernelSize), cinG, g.KernelSize);
                var b = new ConvColumnsB(dy, g.OutChannels, grp * coutG, lout, g.KernelSize, g.Length, 1, -g.Dilation, g.PadLeft, g.Stride);
                var c = new GemmOutput
                {
                    Data = dx + ((nint)grp * cinG * g.Length),
                    RowStride = g.Length,
                    ColsPerBatch = g.Length,
                    BatchStride = (nint)g.InChannels * g.Length,
                    Accumulate = true,
                };
                GemmDriver.Run(a, b, cinG, g.Batch * g.Length, coutG * g.KernelSize, c);
            }
        }
    }

    /// <summary>Adds dLoss/dWeight into <paramref name="weightGrad"/> and dLoss/dBias into <paramref name="biasGrad"/> (may be empty).</summary>
    /// <remarks>The bias gradient sums each (batch, channel) row with TensorPrimitives.Sum, then the rows in double.</remarks>
    public static unsafe void BackwardWeight(in Conv1dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, Span<float> weightGrad, Span<float> biasGrad)
    {
        Check(g, nameof(BackwardWeight), input.Length, weightGrad.Length, outputGrad.Length);
        if (!biasGrad.IsEmpty && biasGrad.Length != g.OutChannels)
        {
            throw new ArgumentException($"Conv1d.BackwardWeight: biasGrad holds {biasGrad.Length} floats; expected {g.OutChannels} (one per output channel) or none.");
        }

        int lout = g.OutLength;
        int cinG = g.InChannels / g.Groups;
        int coutG = g.OutChannels / g.Groups;
        fixed (float* x = input)
        fixed (float* dy = outputGrad)
        fixed (float* dw = weightGrad)
        {
            bool direct = Conv1dDirect.Handles(g);
            if (direct)
            {
                Conv1dDirect.BackwardWeight(g, x, dy, dw);
            }

            for (int grp = 0; grp < g.Groups && !direct; grp++)
            {
                var a = new ConvRowsA(dy, g.OutChannels, grp * coutG, lout);
                var b = new ConvColumnsTransposedB(x, g.InChannels, grp * cinG, g.Length, g.KernelSize, lout, g.Stride, g.Dilation, g.PadLeft);
                int n = cinG * g.KernelSize;
                var c = GemmOutput.Matrix(dw + ((nint)grp * coutG * n), n, n, accumulate: true);
                GemmDriver.Run(a, b, coutG, n, g.Batch * lout, c);
            }
        }

        if (!biasGrad.IsEmpty)
        {
            for (int co = 0; co < g.OutChannels; co++)
            {
                double sum = 0;
                for (int b = 0; b < g.Batch; b++)
                {
                    sum += TensorPrimitives.Sum(outputGrad.Slice(((b * g.OutChannels) + co) * lout, lout));
                }

                biasGrad[co] += (float)sum;
            }
        }
    }

    private static void Check(in Conv1dGeometry g, string method, int inputLength, int weightLength, int outputLength)
    {
        g.Validate();
        long input = (long)g.Batch * g.InChannels * g.Length;
        long weight = (long)g.OutChannels * (g.InChannels / g.Groups) * g.KernelSize;
        long output = (long)g.Batch * g.OutChannels * g.OutLength;
        if (inputLength != input)
        {
            throw new ArgumentException($"Conv1d.{method}: input holds {inputLength} floats; (batch, in channels, length) = ({g.Batch}, {g.InChannels}, {g.Length}) needs {input}.");
        }

        if (weightLength != weight)
        {
            throw new ArgumentException($"Conv1d.{method}: weight holds {weightLength} floats; (out channels, in channels / groups, kernel) = ({g.OutChannels}, {g.InChannels / g.Groups}, {g.KernelSize}) needs {weight}.");
        }

        if (outputLength != output)
        {
            throw new ArgumentException($"Conv1d.{method}: output holds {outputLength} floats; (batch, out channels, out length) = ({g.Batch}, {g.OutChannels}, {g.OutLength}) needs {output}.");
        }
    }
}
