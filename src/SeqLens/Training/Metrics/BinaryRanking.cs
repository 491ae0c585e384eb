namespace SeqLens.Training.Metrics;

/// <summary>
/// Scores of one binary task grouped by distinct value, highest first, with the number of positives and negatives
/// at each value. Both exact, tie-aware metrics (<see cref="AreaUnderRoc"/>, <see cref="AveragePrecision"/>) walk it.
/// </summary>
/// <remarks>Labels: 1 (or any value ≥ 0.5) positive, 0 negative, negative values (-1) masked out; NaN scores are an error.</remarks>
internal readonly struct BinaryRanking
{
    private BinaryRanking(int[] positives, int[] negatives, long totalPositives, long totalNegatives)
    {
        Positives = positives;
        Negatives = negatives;
        TotalPositives = totalPositives;
        TotalNegatives = totalNegatives;
    }

    /// <summary>Positives per distinct score, highest score first.</summary>
    public int[] Positives { get; }

    /// <summary>Negatives per distinct score, highest score first.</summary>
    public int[] Negatives { get; }

    public long TotalPositives { get; }

    public long TotalNegatives { get; }

    public static BinaryRanking Create(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException($"Scores and labels differ in length ({scores.Length} and {labels.Length}).");
        }

        var items = new List<(float Score, bool Positive)>(scores.Length);
        for (int i = 0; i < scores.Length; i++)
        {
            if (labels[i] < 0f || float.IsNaN(labels[i]))
            {
                continue;
            }

            if (float.IsNaN(scores[i]))
            {
                throw new ArgumentException($"Score {i} is NaN.");
            }

            items.Add((scores[i], labels[i] >= 0.5f));
        }

        items.Sort((a, b) => b.Score.CompareTo(a.Score));
        var pos = new List<int>();
        var neg = new List<int>();
        long totalPos = 0;
        long totalNeg = 0;
        for (int i = 0; i < items.Count; i++)
        {
            if (i == 0 || items[i].Score != items[i - 1].Score)
            {
                pos.Add(0);
                neg.Add(0);
            }

            if (items[i].Positive)
            {
                pos[^1]++;
                totalPos++;
            }
            else
            {
                neg[^1]++;
                totalNeg++;
            }
        }

        return new BinaryRanking(pos.ToArray(), neg.ToArray(), totalPos, totalNeg);
    }
}
