using System.Numerics.Tensors;

namespace SeqLens.Graphs.Ops;

/// <summary>Exponential <c>eˣ</c>; derivative <c>eˣ</c> (the saved output).</summary>
public sealed class ExpOp : ElementwiseOp
{
    /// <inheritdoc/>
    public override string Kind => "Exp";

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Exp(x, y);

    /// <inheritdoc/>
    protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
        => TensorPrimitives.MultiplyAdd(dy, y, dx, dx);
}
