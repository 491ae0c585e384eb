using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Exponential linear unit (Clevert et al. 2016): <c>y = x</c> for x &gt; 0, else <c>α(eˣ − 1)</c>; default α = 1
/// (PyTorch and Keras). Derivative 1, or <c>y + α</c> for x ≤ 0 (as PyTorch computes it from the output).
/// </summary>
public sealed class EluOp : ElementwiseOp
{
    /// <summary>An ELU with the given α.</summary>
    public EluOp(float alpha = 1f)
    {
        if (!float.IsFinite(alpha))
        {
            throw new ArgumentException($"Elu needs a finite alpha; got {alpha}.", nameof(alpha));
        }

        Alpha = alpha;
    }

    /// <summary>Scale of the negative part.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    public override string Kind => "Elu";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        float a = Alpha;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            // NOTE: expm1 in double keeps small negative inputs accurate (eˣ − 1 cancels in float32).
            y[i] = v > 0f ? v : a * (float)SpecialFunctions.ExpM1(v);
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        float a = Alpha;
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] += x[i] > 0f ? dy[i] : dy[i] * (y[i] + a);
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["alpha"] = Alpha;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>alpha</c>, default 1).</summary>
    internal static EluOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Float("alpha", 1f));
}
