using SeqLens.Training.Metrics;

namespace SeqLens.Attribution.Evaluation;

/// <summary>
/// Per-position auPRC of recovering ground-truth motif positions from per-base scores (the DeepLIFT paper's
/// simulation benchmark, Shrikumar et al. 2017 §4.2): every (sequence, position) pair of the evaluated sequences is one
/// example, labelled positive when the position lies inside an embedded instance of a relevant motif, negative
/// otherwise; the score is the per-base attribution; auPRC = <see cref="AveragePrecision"/> over all pairs pooled.
/// </summary>
public static class MotifRecovery
{
    /// <summary>
    /// Labels <c>(N·L)</c>, row-major by sequence: 1 inside an instance of <paramref name="embeddings"/>[n] whose motif
    /// satisfies <paramref name="relevant"/> (clipped to [0, L)), 0 elsewhere.
    /// </summary>
    public static float[] Labels(IReadOnlyList<IReadOnlyList<EmbeddedMotif>> embeddings, int length, Func<EmbeddedMotif, bool> relevant)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(relevant);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var labels = new float[embeddings.Count * length];
        for (int n = 0; n < embeddings.Count; n++)
        {
            foreach (EmbeddedMotif m in embeddings[n])
            {
                if (!relevant(m))
                {
                    continue;
                }

                for (int p = Math.Max(0, m.Start); p < Math.Min(length, m.End); p++)
                {
                    labels[(n * length) + p] = 1;
                }
            }
        }

        return labels;
    }

    /// <summary>
    /// The auPRC of <paramref name="perBase"/> <c>(N, L)</c> against <see cref="Labels"/>; NaN when no position is positive.
    /// Ties count as one threshold (exact, sklearn's <c>average_precision_score</c>).
    /// </summary>
    public static double Auprc(Tensor perBase, IReadOnlyList<IReadOnlyList<EmbeddedMotif>> embeddings, Func<EmbeddedMotif, bool> relevant)
    {
        ArgumentNullException.ThrowIfNull(perBase);
        ArgumentNullException.ThrowIfNull(embeddings);
        if (perBase.Shape.Length != 2 || perBase.Shape[0] != embeddings.Count)
        {
            throw new ArgumentException($"MotifRecovery expects per-base scores ({embeddings.Count}, L); got ({string.Join(", ", perBase.Shape)})", nameof(perBase));
        }

        return AveragePrecision.Compute(perBase.Data, Labels(embeddings, perBase.Shape[1], relevant));
    }
}
