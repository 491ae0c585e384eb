using System.Text.Json.Nodes;
using SeqLens.Kernels;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// 1-D average pooling over the length axis: <c>(B, C, L) → (B, C, Lout)</c>,
/// <c>Lout = floor((L + padL + padR − kernel)/stride) + 1</c>; stride defaults to the kernel size. With
/// <see cref="CountIncludePad"/> (default true, as PyTorch) every window divides by the kernel size; without it by the
/// number of real positions (Keras, TensorFlow). Attribution: linear.
/// </summary>
public sealed class AvgPool1dOp : Op
{
    /// <summary>An average pool of width <paramref name="kernelSize"/>; <paramref name="stride"/> null means the kernel size.</summary>
    public AvgPool1dOp(int kernelSize, int? stride = null, Padding padding = default, bool countIncludePad = true)
    {
        int s = stride ?? kernelSize;
        if (kernelSize <= 0 || s <= 0 || padding.Left < 0 || padding.Right < 0 || padding.Left >= kernelSize || padding.Right >= kernelSize)
        {
            throw new ArgumentException($"Invalid AvgPool1d: kernel {kernelSize}, stride {s}, padding {padding} (padding must be below the kernel size).");
        }

        KernelSize = kernelSize;
        Stride = s;
        Padding = padding;
        CountIncludePad = countIncludePad;
    }

    /// <summary>Window width.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zero padding of the length axis.</summary>
    public Padding Padding { get; }

    /// <summary>Divide by the kernel size even where the window overlaps padding (PyTorch default true; Keras false).</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc/>
    public override string Kind => "AvgPool1d";

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        ExpectRank(inputShapes[0], 3, "(batch, channels, length)");
        int[] s = inputShapes[0];
        (int left, int right) = Padding.Resolve(s[2], KernelSize, Stride, 1);
        int lout = s[2] + left + right >= KernelSize ? Pool1d.OutLength(s[2], KernelSize, Stride, left, right) : 0;
        if (lout <= 0)
        {
            throw new ArgumentException($"AvgPool1d expects (batch, channels, length ≥ {KernelSize - left - right}); got {Tensor.FormatShape(s)}.");
        }

        return [s[0], s[1], lout];
    }

    /// <summary>The resolved left padding.</summary>
    public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        return Padding.Resolve(inputShapes[0][2], KernelSize, Stride, 1).Left;
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int[] s = context.Input.Shape;
        Pool1d.AvgForward(s[0] * s[1], s[2], KernelSize, Stride, (int)context.Workspace!, context.Output.Shape[2], CountIncludePad, context.Input.Data, context.Output.Data);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is not Tensor dx)
        {
            return;
        }

        int[] s = context.Input.Shape;
        Pool1d.AvgBackward(s[0] * s[1], s[2], KernelSize, Stride, (int)context.Workspace!, context.Output.Shape[2], CountIncludePad, context.OutputGrad.Data, dx.Data);
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["kernel_size"] = KernelSize;
        attributes["stride"] = Stride;
        attributes["padding"] = Padding.ToJson();
        attributes["count_include_pad"] = CountIncludePad;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>kernel_size</c>; <c>stride</c> = kernel; <c>padding</c> valid; <c>count_include_pad</c> true).</summary>
    internal static AvgPool1dOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
    {
        int k = a.Int("kernel_size");
        return new(k, a.Int("stride", k), Padding.FromJson(a.Node("padding")), a.Bool("count_include_pad", true));
    }
}
