namespace SeqLens.Tests.Import.Keras;

/// <summary>Exact, tie-aware area under the ROC curve (Mann–Whitney U with mid-ranks), in double.</summary>
internal static class Auroc
{
    public static double Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        int n = scores.Count;
        int[] order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        double rankSumPositive = 0;
        long positives = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            double midRank = ((start + end) / 2.0) + 1; // 1-based mid-rank of the tied block
            for (int j = start; j <= end; j++)
            {
                if (labels[order[j]])
                {
                    rankSumPositive += midRank;
                    positives++;
                }
            }

            start = end + 1;
        }

        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException("auROC needs both positives and negatives.");
        }

        return (rankSumPositive - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }
}
