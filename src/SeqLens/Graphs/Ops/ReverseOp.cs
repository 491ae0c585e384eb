using System.Runtime.CompilerServices;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Reverses the last axis (the length of <c>(B, C, L)</c>): <c>y[..., t] = x[..., L − 1 − t]</c>. Its own inverse, so
/// backward reverses the gradient. Used by bidirectional QRNN layers (reverse, run, reverse back). Attribution: linear.
/// </summary>
public sealed class ReverseOp : Op
{
    /// <inheritdoc/>
    public override string Kind => "Reverse";

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        if (inputShapes[0].Length < 2)
        {
            throw new ArgumentException($"Reverse expects (batch, ..., length); got {Tensor.FormatShape(inputShapes[0])}.");
        }

        return (int[])inputShapes[0].Clone();
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Reverse(context.Input.Data, context.Output.Data, context.Input.Shape[^1], accumulate: false);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is Tensor dx)
        {
            Reverse(context.OutputGrad.Data, dx.Data, context.Input.Shape[^1], accumulate: true);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Reverse(float[] x, float[] y, int length, bool accumulate)
    {
        for (int row = 0; row < x.Length; row += length)
        {
            Span<float> dst = y.AsSpan(row, length);
            ReadOnlySpan<float> src = x.AsSpan(row, length);
            if (accumulate)
            {
                for (int t = 0; t < length; t++)
                {
                    dst[t] += src[length - 1 - t];
                }
            }
            else
            {
                src.CopyTo(dst);
                dst.Reverse();
            }
        }
    }
}
