using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Leaky ReLU <c>y = x</c> for x &gt; 0, else <c>slope·x</c>; default <c>negative_slope</c> 0.01 (PyTorch's
/// <c>nn.LeakyReLU</c>; Keras' <c>LeakyReLU</c> defaults to 0.3, so importers pass it). Derivative 1 or slope
/// (slope at 0, as PyTorch).
/// </summary>
public sealed class LeakyReluOp : ElementwiseOp
{
    /// <summary>A leaky ReLU with the given negative slope.</summary>
    public LeakyReluOp(float negativeSlope = 0.01f)
    {
        if (!float.IsFinite(negativeSlope))
        {
            throw new ArgumentException($"LeakyRelu needs a finite negative_slope; got {negativeSlope}.", nameof(negativeSlope));
        }

        NegativeSlope = negativeSlope;
    }

    /// <summary>Slope for negative inputs.</summary>
    public float NegativeSlope { get; }

    /// <inheritdoc/>
    public override string Kind => "LeakyRelu";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        float s = NegativeSlope;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v > 0f ? v : v * s;
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        float s = NegativeSlope;
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] += x[i] > 0f ? dy[i] : dy[i] * s;
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["negative_slope"] = NegativeSlope;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>negative_slope</c>, default 0.01).</summary>
    internal static LeakyReluOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Float("negative_slope", 0.01f));
}
