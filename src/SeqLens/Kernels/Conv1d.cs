namespace SeqLens.Kernels;

/// <summary>1-D convolution (cross-correlation): forward, input gradient and weight gradient side by side.</summary>
public static class Conv1d
{
    /// <summary>Overwrites <paramref name="output"/> <c>(B, Cout, Lout)</c> with conv(input) + bias. <paramref name="bias"/> may be empty.</summary>
    public static void Forward(in Conv1dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output)
    {
        int lout = g.OutLength;
        int cinG = g.InChannels / g.Groups;
        int coutG = g.OutChannels / g.Groups;
        for (int b = 0; b < g.Batch; b++)
        {
            for (int co = 0; co < g.OutChannels; co++)
            {
                int grp = co / coutG;
                for (int t = 0; t < lout; t++)
                {
                    float sum = bias.IsEmpty ? 0f : bias[co];
                    for (int ci = 0; ci < cinG; ci++)
                    {
                        int cin = (grp * cinG) + ci;
                        for (int kk = 0; kk < g.KernelSize; kk++)
                        {
                            int pos = (t * g.Stride) + (kk * g.Dilation) - g.PadLeft;
                            if ((uint)pos < (uint)g.Length)
                            {
                                sum += weight[(((co * cinG) + ci) * g.KernelSize) + kk] * input[(((b * g.InChannels) + cin) * g.Length) + pos];
                            }
                        }
                    }

                    output[(((b * g.OutChannels) + co) * lout) + t] = sum;
                }
            }
        }
    }

    /// <summary>Adds dLoss/dInput into <paramref name="inputGrad"/> <c>(B, Cin, L)</c>.</summary>
    public static void BackwardInput(in Conv1dGeometry g, ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> weight, Span<float> inputGrad)
    {
        int lout = g.OutLength;
        int cinG = g.InChannels / g.Groups;
        int coutG = g.OutChannels / g.Groups;
        for (int b = 0; b < g.Batch; b++)
        {
            for (int co = 0; co < g.OutChannels; co++)
            {
                int grp = co / coutG;
                for (int t = 0; t < lout; t++)
                {
                    float dy = outputGrad[(((b * g.OutChannels) + co) * lout) + t];
                    for (int ci = 0; ci < cinG; ci++)
                    {
                        int cin = (grp * cinG) + ci;
                        for (int kk = 0; kk < g.KernelSize; kk++)
                        {
                            int pos = (t * g.Stride) + (kk * g.Dilation) - g.PadLeft;
                            if ((uint)pos < (uint)g.Length)
                            {
                                inputGrad[(((b * g.InChannels) + cin) * g.Length) + pos] += dy * weight[(((co * cinG) + ci) * g.KernelSize) + kk];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Adds dLoss/dWeight into <paramref name="weightGrad"/> and dLoss/dBias into <paramref name="biasGrad"/> (may be empty).</summary>
    public static void BackwardWeight(in Conv1dGeometry g, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, Span<float> weightGrad, Span<float> biasGrad)
    {
        int lout = g.OutLength;
        int cinG = g.InChannels / g.Groups;
        int coutG = g.OutChannels / g.Groups;
        for (int b = 0; b < g.Batch; b++)
        {
            for (int co = 0; co < g.OutChannels; co++)
            {
                int grp = co / coutG;
                for (int t = 0; t < lout; t++)
                {
                    float dy = outputGrad[(((b * g.OutChannels) + co) * lout) + t];
                    if (!biasGrad.IsEmpty)
                    {
                        biasGrad[co] += dy;
                    }

                    for (int ci = 0; ci < cinG; ci++)
                    {
                        int cin = (grp * cinG) + ci;
                        for (int kk = 0; kk < g.KernelSize; kk++)
                        {
                            int pos = (t * g.Stride) + (kk * g.Dilation) - g.PadLeft;
                            if ((uint)pos < (uint)g.Length)
                            {
                                weightGrad[(((co * cinG) + ci) * g.KernelSize) + kk] += dy * input[(((b * g.InChannels) + cin) * g.Length) + pos];
                            }
                        }
                    }
                }
            }
        }
    }
}
