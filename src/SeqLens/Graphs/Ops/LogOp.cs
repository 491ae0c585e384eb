using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace SeqLens.Graphs.Ops;

/// <summary>Natural logarithm <c>ln x</c> (NaN below 0, −∞ at 0, as PyTorch); derivative <c>1/x</c>.</summary>
public sealed class LogOp : ElementwiseOp
{
    /// <inheritdoc/>
    public override string Kind => "Log";

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Log(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] += dy[i] / x[i];
        }
    }
}
