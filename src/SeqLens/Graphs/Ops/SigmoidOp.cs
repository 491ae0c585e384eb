using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace SeqLens.Graphs.Ops;

/// <summary>Logistic sigmoid <c>σ(x) = 1 / (1 + e^(−x))</c>; derivative <c>σ(x)(1 − σ(x))</c>, computed from the saved output.</summary>
public sealed class SigmoidOp : ElementwiseOp
{
    /// <inheritdoc/>
    public override string Kind => "Sigmoid";

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Sigmoid(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] += dy[i] * y[i] * (1f - y[i]);
        }
    }
}
