using System.Runtime.CompilerServices;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Gaussian error linear unit, exact form (Hendrycks &amp; Gimpel 2016; PyTorch's default <c>approximate='none'</c>):
/// <c>y = x·Φ(x) = ½·x·(1 + erf(x/√2))</c>; derivative <c>Φ(x) + x·φ(x)</c> with <c>φ(x) = e^(−x²/2)/√(2π)</c>.
/// </summary>
/// <remarks>Computed in double with <see cref="SpecialFunctions.Erfc"/> so the left tail keeps its relative accuracy.</remarks>
public sealed class GeluOp : ElementwiseOp
{
    private const double InvSqrt2 = 0.7071067811865476;
    private const double InvSqrt2Pi = 0.3989422804014327;

    /// <inheritdoc/>
    public override string Kind => "Gelu";

    /// <summary>Φ(x), the standard normal CDF, as <c>½·erfc(−x/√2)</c> (accurate for very negative x).</summary>
    private static double Phi(double x) => 0.5 * SpecialFunctions.Erfc(-x * InvSqrt2);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(v * Phi(v));
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            double d = Phi(v) + (v * InvSqrt2Pi * Math.Exp(-0.5 * v * v));
            dx[i] += (float)(dy[i] * d);
        }
    }
}
