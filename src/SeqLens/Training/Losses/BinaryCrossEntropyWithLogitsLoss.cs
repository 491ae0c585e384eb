namespace SeqLens.Training.Losses;

/// <summary>
/// Binary cross-entropy on logits for multi-task binary labels, shape <c>(N, T)</c>:
/// <c>ℓ = max(x, 0) − x·y + log(1 + e^{−|x|})</c>, averaged over the elements whose label is not masked.
/// </summary>
/// <remarks>
/// Labels are 0 or 1 (soft labels in [0, 1] also work); a label of <c>-1</c> (any negative value) marks a missing
/// measurement: it adds no loss and gets zero gradient. Gradient <c>(σ(x) − y) / n</c> with <c>n</c> the number of
/// unmasked elements. Same value as PyTorch's <c>BCEWithLogitsLoss</c> on the unmasked elements. When every label is
/// masked the loss is 0 and the gradient is zero.
/// </remarks>
public sealed class BinaryCrossEntropyWithLogitsLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "bce";

    /// <inheritdoc/>
    public override double Compute(Tensor logits, Tensor targets, Tensor? gradient = null)
    {
        ExpectSameShape(logits, targets, gradient);
        ReadOnlySpan<float> x = logits.Data;
        ReadOnlySpan<float> y = targets.Data;
        int count = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (y[i] >= 0f)
            {
                count++;
            }
        }

        double sum = 0;
        double scale = count == 0 ? 0 : 1.0 / count;
        Span<float> g = gradient is null ? [] : gradient.Data;
        for (int i = 0; i < x.Length; i++)
        {
            if (y[i] < 0f)
            {
                if (gradient is not null)
                {
                    g[i] = 0f;
                }

                continue;
            }

            double xi = x[i];
            double yi = y[i];
            // NOTE: the log-sum-exp form stays finite for any |x|; LogP1 keeps precision when e^{-|x|} is tiny.
            sum += Math.Max(xi, 0) - (xi * yi) + double.LogP1(Math.Exp(-Math.Abs(xi)));
            if (gradient is not null)
            {
                double sigmoid = xi >= 0 ? 1 / (1 + Math.Exp(-xi)) : Math.Exp(xi) / (1 + Math.Exp(xi));
                g[i] = (float)((sigmoid - yi) * scale);
            }
        }

        return sum * scale;
    }
}
