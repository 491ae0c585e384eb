using System.Numerics.Tensors;

namespace SeqLens.Graphs.Ops;

/// <summary>Rectified linear unit <c>max(x, 0)</c>; derivative 1 for x &gt; 0, else 0 (as PyTorch).</summary>
public sealed class ReluOp : ElementwiseOp
{
    /// <inheritdoc/>
    public override string Kind => "Relu";

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    /// <inheritdoc/>
    protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > 0f)
            {
                dx[i] += dy[i];
            }
        }
    }
}
