using SeqLens.Kernels;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Maximum over the length axis: <c>(B, C, L) → (B, C)</c> (Keras' <c>GlobalMaxPooling1D</c> on channel-first data,
/// PyTorch's <c>x.max(dim=2)</c>). The gradient goes to the first maximum. Attribution: <see cref="AttributionClass.MaxPool"/>.
/// </summary>
public sealed class GlobalMaxPoolOp : Op
{
    /// <inheritdoc/>
    public override string Kind => "GlobalMaxPool";

    /// <inheritdoc/>
    public override AttributionClass Attribution => AttributionClass.MaxPool;

    /// <inheritdoc/>
    public override bool SupportsRule(BackwardRule rule) => rule is BackwardRule.Gradient or BackwardRule.Rescale or BackwardRule.RevealCancel;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        ExpectRank(inputShapes[0], 3, "(batch, channels, length)");
        int[] s = inputShapes[0];
        if (s[2] < 1)
        {
            throw new ArgumentException($"GlobalMaxPool expects (batch, channels, length ≥ 1); got {Tensor.FormatShape(s)}.");
        }

        return [s[0], s[1]];
    }

    /// <summary>The argmax position of every (batch, channel) row.</summary>
    public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape)
    {
        ArgumentNullException.ThrowIfNull(outputShape);
        return new int[outputShape[0] * outputShape[1]];
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int[] s = context.Input.Shape;
        Pool1d.MaxForward(s[0] * s[1], s[2], s[2], s[2], 0, 1, context.Input.Data, context.Output.Data, (int[])context.Workspace!);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is Tensor dx)
        {
            int[] s = context.Input.Shape;
            if (context.Rule == BackwardRule.Gradient)
            {
                Pool1d.MaxBackward(s[0] * s[1], s[2], 1, context.OutputGrad.Data, (int[])context.Workspace!, dx.Data);
            }
            else
            {
                // DeepLIFT: the paired-window Shapley rule of MaxPool1dOp with one window per row.
                MaxPool1dOp.PairedMaxBackward(context.Pairs!, s[1], s[2], 1, context.Input.Data, context.OutputGrad.Data, (int[])context.Workspace!, dx.Data);
            }
        }
    }
}
