using System.Text.Json.Nodes;
using SeqLens.Kernels;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// 1-D max pooling over the length axis: <c>(B, C, L) → (B, C, Lout)</c> with
/// <c>Lout = floor((L + padL + padR − kernel)/stride) + 1</c> (PyTorch's <c>ceil_mode=False</c>). Stride defaults to
/// the kernel size; padded positions never win. The gradient goes to the first maximum of each window (the argmax kept
/// in the workspace by <see cref="Pool1d.MaxForward"/>). Attribution: <see cref="AttributionClass.MaxPool"/>.
/// </summary>
public sealed class MaxPool1dOp : Op
{
    /// <summary>A max pool of width <paramref name="kernelSize"/>; <paramref name="stride"/> null means the kernel size.</summary>
    public MaxPool1dOp(int kernelSize, int? stride = null, Padding padding = default)
    {
        int s = stride ?? kernelSize;
        if (kernelSize <= 0 || s <= 0 || padding.Left < 0 || padding.Right < 0 || padding.Left >= kernelSize || padding.Right >= kernelSize)
        {
            throw new ArgumentException($"Invalid MaxPool1d: kernel {kernelSize}, stride {s}, padding {padding} (padding must be below the kernel size).");
        }

        KernelSize = kernelSize;
        Stride = s;
        Padding = padding;
    }

    /// <summary>Window width.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Padding of the length axis (never selected).</summary>
    public Padding Padding { get; }

    /// <inheritdoc/>
    public override string Kind => "MaxPool1d";

    /// <inheritdoc/>
    public override AttributionClass Attribution => AttributionClass.MaxPool;

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
            throw new ArgumentException($"MaxPool1d expects (batch, channels, length ≥ {KernelSize - left - right}); got {Tensor.FormatShape(s)}.");
        }

        return [s[0], s[1], lout];
    }

    /// <summary>The padding and the argmax index of every output element.</summary>
    public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        ArgumentNullException.ThrowIfNull(outputShape);
        (int left, _) = Padding.Resolve(inputShapes[0][2], KernelSize, Stride, 1);
        return new Workspace(left, new int[outputShape[0] * outputShape[1] * outputShape[2]]);
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var w = (Workspace)context.Workspace!;
        int[] s = context.Input.Shape;
        int lout = context.Output.Shape[2];
        Pool1d.MaxForward(s[0] * s[1], s[2], KernelSize, Stride, w.PadLeft, lout, context.Input.Data, context.Output.Data, w.Argmax);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is not Tensor dx)
        {
            return;
        }

        var w = (Workspace)context.Workspace!;
        int[] s = context.Input.Shape;
        Pool1d.MaxBackward(s[0] * s[1], s[2], context.Output.Shape[2], context.OutputGrad.Data, w.Argmax, dx.Data);
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["kernel_size"] = KernelSize;
        attributes["stride"] = Stride;
        attributes["padding"] = Padding.ToJson();
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>kernel_size</c>; <c>stride</c> = kernel; <c>padding</c> valid).</summary>
    internal static MaxPool1dOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
    {
        int k = a.Int("kernel_size");
        return new(k, a.Int("stride", k), Padding.FromJson(a.Node("padding")));
    }

    private sealed record Workspace(int PadLeft, int[] Argmax);
}
