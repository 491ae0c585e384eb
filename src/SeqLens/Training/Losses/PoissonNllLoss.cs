namespace SeqLens.Training.Losses;

/// <summary>
/// Poisson negative log-likelihood with log-rate inputs (PyTorch's <c>PoissonNLLLoss</c> defaults:
/// <c>log_input=True, full=False</c>): <c>ℓ = mean(e^x − y·x)</c>, gradient <c>(e^x − y) / n</c>, for counts <c>y ≥ 0</c>.
/// </summary>
/// <remarks>The constant <c>log(y!)</c> is omitted, as in PyTorch's default. NaN targets are masked out.</remarks>
public sealed class PoissonNllLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "poisson";

    /// <inheritdoc/>
    public override double Compute(Tensor logits, Tensor targets, Tensor? gradient = null)
    {
        ExpectSameShape(logits, targets, gradient);
        ReadOnlySpan<float> x = logits.Data;
        ReadOnlySpan<float> y = targets.Data;
        int count = 0;
        foreach (float v in y)
        {
            if (!float.IsNaN(v))
            {
                count++;
            }
        }

        double scale = count == 0 ? 0 : 1.0 / count;
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(y[i]))
            {
                if (gradient is not null)
                {
                    gradient.Data[i] = 0f;
                }

                continue;
            }

            double rate = Math.Exp(x[i]);
            sum += rate - (y[i] * (double)x[i]);
            if (gradient is not null)
            {
                gradient.Data[i] = (float)((rate - y[i]) * scale);
            }
        }

        return sum * scale;
    }
}
