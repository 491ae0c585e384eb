using SeqLens.Graphs;

namespace SeqLens.Training.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) as PyTorch's <c>torch.optim.Adam</c>, with optional L2 weight decay added to the gradient:
/// <c>m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − (η / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)</c>.
/// </summary>
/// <remarks>Defaults: β₁ 0.9, β₂ 0.999, ε 1e-8, weight decay 0. <see cref="AdamW"/> decouples the decay instead.</remarks>
public class Adam : Optimizer
{
    private readonly float[][] _m;
    private readonly float[][] _v;

    /// <summary>Adam over <paramref name="parameters"/>.</summary>
    public Adam(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        Beta1 = CheckRange(beta1, 0, 1, nameof(beta1));
        Beta2 = CheckRange(beta2, 0, 1, nameof(beta2));
        Epsilon = CheckRange(epsilon, 0, double.PositiveInfinity, nameof(epsilon));
        WeightDecay = CheckRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
        _m = Parameters.Select(p => new float[p.Value.Length]).ToArray();
        _v = Parameters.Select(p => new float[p.Value.Length]).ToArray();
    }

    /// <summary>Decay rate β₁ of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay rate β₂ of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>ε added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>Weight decay λ (L2 added to the gradient for Adam; decoupled for AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary>True when the decay is decoupled (AdamW).</summary>
    protected virtual bool Decoupled => false;

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> grad)
    {
        float[] m = _m[index];
        float[] v = _v[index];
        // NOTE: scalars are computed in double and rounded once, as PyTorch computes them in Python floats.
        double bias1 = 1 - Math.Pow(Beta1, StepCount);
        double bias2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        float b1 = (float)Beta1;
        float b2 = (float)Beta2;
        float oneMinusB1 = (float)(1 - Beta1);
        float oneMinusB2 = (float)(1 - Beta2);
        float stepSize = (float)-(LearningRate / bias1);
        float bias2 = (float)bias2Sqrt;
        float eps = (float)Epsilon;
        float l2 = Decoupled ? 0f : (float)WeightDecay;
        float shrink = Decoupled ? (float)(1 - (LearningRate * WeightDecay)) : 1f;
        for (int i = 0; i < value.Length; i++)
        {
            float g = grad[i];
            if (l2 != 0f)
            {
                g += value[i] * l2;
            }

            if (shrink != 1f)
            {
                value[i] *= shrink;
            }

            m[i] = (m[i] * b1) + (g * oneMinusB1);
            v[i] = (v[i] * b2) + (oneMinusB2 * g * g);
            float denom = (MathF.Sqrt(v[i]) / bias2) + eps;
            value[i] += stepSize * m[i] / denom;
        }
    }
}
