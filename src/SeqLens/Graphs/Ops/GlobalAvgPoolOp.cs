using SeqLens.Kernels;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Mean over the length axis: <c>(B, C, L) → (B, C)</c> (Keras' <c>GlobalAveragePooling1D</c> on channel-first data,
/// PyTorch's <c>x.mean(dim=2)</c>). Attribution: linear.
/// </summary>
public sealed class GlobalAvgPoolOp : Op
{
    /// <inheritdoc/>
    public override string Kind => "GlobalAvgPool";

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        ExpectRank(inputShapes[0], 3, "(batch, channels, length)");
        int[] s = inputShapes[0];
        if (s[2] < 1)
        {
            throw new ArgumentException($"GlobalAvgPool expects (batch, channels, length ≥ 1); got {Tensor.FormatShape(s)}.");
        }

        return [s[0], s[1]];
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int[] s = context.Input.Shape;
        Pool1d.AvgForward(s[0] * s[1], s[2], s[2], s[2], 0, 1, true, context.Input.Data, context.Output.Data);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is Tensor dx)
        {
            int[] s = context.Input.Shape;
            Pool1d.AvgBackward(s[0] * s[1], s[2], s[2], s[2], 0, 1, true, context.OutputGrad.Data, dx.Data);
        }
    }
}
