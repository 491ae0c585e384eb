using SeqLens.Graphs;

namespace SeqLens.Training.Optimizers;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019) as PyTorch's <c>torch.optim.AdamW</c>: first <c>θ ← θ·(1 − η·λ)</c>, then the
/// <see cref="Adam"/> update without the L2 term.
/// </summary>
/// <remarks>Defaults as PyTorch: η 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, weight decay 0.01.</remarks>
public sealed class AdamW : Adam
{
    /// <summary>AdamW over <paramref name="parameters"/>.</summary>
    public AdamW(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <inheritdoc/>
    protected override bool Decoupled => true;
}
