using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Tests.Attribution;

/// <summary>A ReLU whose DeepLIFT multiplier is 10 % too large: breaks summation-to-delta at its own node.</summary>
internal sealed class BrokenRescaleOp : ElementwiseOp
{
    public override string Kind => "BrokenRelu";

    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => System.Numerics.Tensors.TensorPrimitives.Max(x, 0f, y);

    protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] += x[i] > 0f ? dy[i] : 0f;
        }
    }

    public override void Backward(BackwardContext context)
    {
        base.Backward(context);
        if (context.Rule != BackwardRule.Gradient && context.InputGrad(0) is Tensor dx)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(dx.Data, 1.1f, dx.Data);
        }
    }
}
