using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Softplus <c>y = (1/β)·ln(1 + e^(βx))</c>, reverting to <c>y = x</c> where <c>βx &gt; threshold</c>; defaults β = 1,
/// threshold = 20 (PyTorch's <c>nn.Softplus</c>). Derivative <c>σ(βx)</c>, or 1 above the threshold.
/// </summary>
public sealed class SoftplusOp : ElementwiseOp
{
    /// <summary>A softplus with the given β and linear threshold.</summary>
    public SoftplusOp(float beta = 1f, float threshold = 20f)
    {
        if (!(beta > 0f) || !float.IsFinite(beta) || float.IsNaN(threshold))
        {
            throw new ArgumentException($"Softplus needs beta > 0 and a threshold; got beta {beta}, threshold {threshold}.");
        }

        Beta = beta;
        Threshold = threshold;
    }

    /// <summary>Sharpness β.</summary>
    public float Beta { get; }

    /// <summary>Above <c>βx &gt; Threshold</c> the op is the identity (for numerical stability).</summary>
    public float Threshold { get; }

    /// <inheritdoc/>
    public override string Kind => "Softplus";

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        double beta = Beta;
        for (int i = 0; i < x.Length; i++)
        {
            double bx = beta * x[i];
            // NOTE: in double, ln(1 + e^bx) keeps full relative accuracy down to bx ≈ −30; below that e^bx is the value.
            y[i] = bx > Threshold ? x[i] : (float)((bx < -30.0 ? Math.Exp(bx) : Math.Log(1.0 + Math.Exp(bx))) / beta);
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        double beta = Beta;
        for (int i = 0; i < x.Length; i++)
        {
            double bx = beta * x[i];
            dx[i] += bx > Threshold ? dy[i] : (float)(dy[i] / (1.0 + Math.Exp(-bx)));
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["beta"] = Beta;
        attributes["threshold"] = Threshold;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>beta</c> 1, <c>threshold</c> 20).</summary>
    internal static SoftplusOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Float("beta", 1f), a.Float("threshold", 20f));
}
