namespace SeqLens.Training.Losses;

/// <summary>
/// Softmax cross-entropy for one class label per sample: logits <c>(N, C)</c>, targets <c>(N)</c> or <c>(N, 1)</c>
/// holding class indices 0..C−1 as floats. <c>ℓ = logsumexp(x) − x_y</c>, averaged over the labelled samples.
/// </summary>
/// <remarks>
/// A negative label (-1) masks the sample out, like PyTorch's <c>ignore_index</c>. Gradient <c>(softmax(x) − onehot(y)) / n</c>.
/// Same value as PyTorch's <c>CrossEntropyLoss</c> (mean reduction).
/// </remarks>
public sealed class CrossEntropyLoss : Loss
{
    /// <inheritdoc/>
    public override string Name => "cross-entropy";

    /// <inheritdoc/>
    public override double Compute(Tensor logits, Tensor targets, Tensor? gradient = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Rank != 2)
        {
            throw new ArgumentException($"cross-entropy expects logits (batch, classes); got {Tensor.FormatShape(logits.Shape)}.");
        }

        int n = logits.Shape[0];
        int classes = logits.Shape[1];
        if (targets.Length != n || targets.Shape[0] != n)
        {
            throw new ArgumentException($"cross-entropy expects one class index per sample, shape ({n}) or ({n}, 1); got {Tensor.FormatShape(targets.Shape)}.");
        }

        ExpectGradientShape(logits, gradient);
        int count = 0;
        for (int r = 0; r < n; r++)
        {
            float label = targets.Data[r];
            if (label < 0f)
            {
                continue;
            }

            if (label != MathF.Floor(label) || label >= classes)
            {
                throw new ArgumentException($"cross-entropy: sample {r} has label {label}; expected an integer class index in 0..{classes - 1} (or -1 to mask).");
            }

            count++;
        }

        double scale = count == 0 ? 0 : 1.0 / count;
        double sum = 0;
        var p = new double[classes];
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> x = logits.Data.AsSpan(r * classes, classes);
            Span<float> g = gradient is null ? [] : gradient.Data.AsSpan(r * classes, classes);
            int label = (int)targets.Data[r];
            if (targets.Data[r] < 0f)
            {
                g.Clear();
                continue;
            }

            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                max = Math.Max(max, x[c]);
            }

            double z = 0;
            for (int c = 0; c < classes; c++)
            {
                p[c] = Math.Exp(x[c] - max);
                z += p[c];
            }

            sum += Math.Log(z) + max - x[label];
            if (gradient is not null)
            {
                for (int c = 0; c < classes; c++)
                {
                    g[c] = (float)(((p[c] / z) - (c == label ? 1 : 0)) * scale);
                }
            }
        }

        return sum * scale;
    }
}
