namespace SeqLens.Kernels;

/// <summary>
/// The sizes of one 1-D convolution: input <c>(Batch, InChannels, Length)</c>, weight
/// <c>(OutChannels, InChannels / Groups, KernelSize)</c>, output <c>(Batch, OutChannels, OutLength)</c>.
/// </summary>
/// <remarks>Cross-correlation, as PyTorch and TensorFlow compute it. Padding is zeros.</remarks>
public readonly record struct Conv1dGeometry(
    int Batch, int InChannels, int OutChannels, int Length, int KernelSize,
    int Stride = 1, int Dilation = 1, int PadLeft = 0, int PadRight = 0, int Groups = 1)
{
    /// <summary>Output length: <c>floor((L + padL + padR - dilation·(k-1) - 1) / stride) + 1</c>.</summary>
    public int OutLength => ((Length + PadLeft + PadRight - (Dilation * (KernelSize - 1)) - 1) / Stride) + 1;

    /// <summary>Padding that keeps <c>OutLength == ceil(Length / Stride)</c> (TensorFlow's "same"; extra pad on the right).</summary>
    public static (int Left, int Right) SamePadding(int length, int kernelSize, int stride, int dilation)
    {
        int outLength = (length + stride - 1) / stride;
        int total = Math.Max(0, ((outLength - 1) * stride) + (dilation * (kernelSize - 1)) + 1 - length);
        return (total / 2, total - (total / 2));
    }

    /// <summary>Throws when the geometry is impossible.</summary>
    public void Validate()
    {
        if (Batch < 0 || InChannels <= 0 || OutChannels <= 0 || Length < 0 || KernelSize <= 0 || Stride <= 0 || Dilation <= 0 || PadLeft < 0 || PadRight < 0 || Groups <= 0)
        {
            throw new ArgumentException($"Invalid convolution geometry {this}.");
        }

        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw new ArgumentException($"Channels ({InChannels} in, {OutChannels} out) are not divisible by {Groups} groups.");
        }

        if (OutLength <= 0)
        {
            throw new ArgumentException($"Convolution of length {Length} with kernel {KernelSize}, dilation {Dilation}, padding {PadLeft}+{PadRight} has no output positions.");
        }
    }
}
