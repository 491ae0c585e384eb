using SeqLens.Graphs;

namespace SeqLens.Training.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and (L2) weight decay, exactly as
/// PyTorch's <c>torch.optim.SGD</c>:
/// <c>g ← ∇ + λθ; b ← g (first step) or μb + (1−τ)g; d ← g + μb (Nesterov) or b; θ ← θ − η·d</c>.
/// </summary>
/// <remarks>Defaults: momentum 0, dampening 0, weight decay 0, Nesterov off. Nesterov needs momentum &gt; 0 and dampening 0.</remarks>
public sealed class Sgd : Optimizer
{
    private readonly float[]?[] _buffers;

    /// <summary>SGD over <paramref name="parameters"/>.</summary>
    public Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        Momentum = CheckRange(momentum, 0, 1, nameof(momentum));
        Dampening = CheckRange(dampening, 0, 1, nameof(dampening));
        WeightDecay = CheckRange(weightDecay, 0, double.PositiveInfinity, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires momentum > 0 and dampening 0 (as in PyTorch).", nameof(nesterov));
        }

        Nesterov = nesterov;
        _buffers = new float[Parameters.Count][];
    }

    /// <summary>Momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>Dampening τ of the momentum.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty λ added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> value, ReadOnlySpan<float> grad)
    {
        float lr = (float)LearningRate;
        float wd = (float)WeightDecay;
        float mu = (float)Momentum;
        float keep = (float)(1 - Dampening);
        float[]? buf = _buffers[index];
        bool first = buf is null;
        if (Momentum != 0 && first)
        {
            buf = _buffers[index] = new float[value.Length];
        }

        for (int i = 0; i < value.Length; i++)
        {
            float d = grad[i];
            if (wd != 0f)
            {
                d += value[i] * wd;
            }

            if (buf is not null)
            {
                buf[i] = first ? d : (buf[i] * mu) + (d * keep);
                d = Nesterov ? d + (buf[i] * mu) : buf[i];
            }

            value[i] += d * -lr;
        }
    }
}
