namespace SeqLens.Training.Metrics;

/// <summary>
/// Exact area under the ROC curve: the Mann–Whitney probability that a random positive scores above a random
/// negative, ties counted 1/2 — <c>AUC = (Σ_pos,neg [s⁺ &gt; s⁻] + ½[s⁺ = s⁻]) / (P·N)</c>, in double.
/// </summary>
/// <remarks>
/// Equal to sklearn's <c>roc_auc_score</c> (trapezoidal area over distinct thresholds). Labels of -1 are ignored.
/// Returns NaN when there are no positives or no negatives. O(n log n).
/// </remarks>
public static class AreaUnderRoc
{
    /// <summary>The auROC of <paramref name="scores"/> for binary <paramref name="labels"/> (1 positive, 0 negative, -1 masked).</summary>
    public static double Compute(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        var ranking = BinaryRanking.Create(scores, labels);
        if (ranking.TotalPositives == 0 || ranking.TotalNegatives == 0)
        {
            return double.NaN;
        }

        // Walk from the lowest score up: each positive beats the negatives seen so far and ties half of its group's.
        double wins = 0;
        long negativesBelow = 0;
        for (int g = ranking.Positives.Length - 1; g >= 0; g--)
        {
            wins += ranking.Positives[g] * (negativesBelow + (0.5 * ranking.Negatives[g]));
            negativesBelow += ranking.Negatives[g];
        }

        return wins / ((double)ranking.TotalPositives * ranking.TotalNegatives);
    }
}
