namespace SeqLens.Training.Metrics;

/// <summary>
/// Area under the precision–recall curve as average precision, exactly as sklearn's <c>average_precision_score</c>:
/// <c>AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ</c> over the distinct score thresholds taken from high to low (tied scores form one
/// threshold), with <c>R₀ = 0</c>; in double.
/// </summary>
/// <remarks>No interpolation (unlike the trapezoid, which is optimistic). Labels of -1 are ignored. NaN when there are no positives.</remarks>
public static class AveragePrecision
{
    /// <summary>The average precision of <paramref name="scores"/> for binary <paramref name="labels"/> (1 positive, 0 negative, -1 masked).</summary>
    public static double Compute(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        var ranking = BinaryRanking.Create(scores, labels);
        if (ranking.TotalPositives == 0)
        {
            return double.NaN;
        }

        double ap = 0;
        long tp = 0;
        long fp = 0;
        for (int g = 0; g < ranking.Positives.Length; g++)
        {
            tp += ranking.Positives[g];
            fp += ranking.Negatives[g];
            if (ranking.Positives[g] > 0)
            {
                double precision = (double)tp / (tp + fp);
                ap += (double)ranking.Positives[g] / ranking.TotalPositives * precision;
            }
        }

        return ap;
    }
}
