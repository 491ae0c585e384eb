namespace SeqLens.Training.Losses;

/// <summary>Mean squared error <c>ℓ = mean((x − y)²)</c> over all elements; gradient <c>2(x − y) / n</c> (PyTorch's <c>MSELoss</c>).</summary>
/// <remarks>Targets that are NaN mark missing values: no loss, no gradient, not counted in <c>n</c>.</remarks>
public sealed class MeanSquaredErrorLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "mse";

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
            double d = float.IsNaN(y[i]) ? 0 : (double)x[i] - y[i];
            sum += d * d;
            if (gradient is not null)
            {
                gradient.Data[i] = (float)(2 * d * scale);
            }
        }

        return sum * scale;
    }
}
