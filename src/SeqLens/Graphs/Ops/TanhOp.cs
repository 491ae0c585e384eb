using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace SeqLens.Graphs.Ops;

/// <summary>Hyperbolic tangent; derivative <c>1 − tanh²(x)</c>, computed from the saved output.</summary>
public sealed class TanhOp : ElementwiseOp
{
    /// <inheritdoc/>
    public override string Kind => "Tanh";

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Tanh(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < y.Length; i++)
        {
            dx[i] += dy[i] * (1f - (y[i] * y[i]));
        }
    }
}
