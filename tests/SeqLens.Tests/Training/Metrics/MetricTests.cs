using SeqLens.Training.Metrics;

namespace SeqLens.Tests.Training.Metrics;

public class MetricTests
{
    [Fact]
    public void Auroc_SklearnDocExample()
    {
        // sklearn: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75
        Assert.Equal(0.75, AreaUnderRoc.Compute([0.1f, 0.4f, 0.35f, 0.8f], [0f, 0f, 1f, 1f]), 12);
    }

    [Fact]
    public void AveragePrecision_SklearnDocExample()
    {
        // sklearn: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333...: (1/2)·1 + (1/2)·(2/3)
        Assert.Equal(5.0 / 6.0, AveragePrecision.Compute([0.1f, 0.4f, 0.35f, 0.8f], [0f, 0f, 1f, 1f]), 12);
    }

    [Fact]
    public void Ties_AreGroupedAndCountedHalf()
    {
        float[] s = [0.9f, 0.5f, 0.5f, 0.2f, 0.5f];
        float[] y = [1f, 1f, 0f, 0f, 1f];
        // Pairs: 0.9 beats both negatives (2); each 0.5 positive ties one negative (1/2) and beats the other (1): 5/6.
        Assert.Equal(5.0 / 6.0, AreaUnderRoc.Compute(s, y), 12);
        // Thresholds 0.9 (R 1/3, P 1) and 0.5 (R 1, P 3/4): AP = 1/3 + (2/3)(3/4) = 5/6.
        Assert.Equal(5.0 / 6.0, AveragePrecision.Compute(s, y), 12);
    }

    [Fact]
    public void AllTied_GivesHalfAndPrevalence()
    {
        Assert.Equal(0.5, AreaUnderRoc.Compute([1f, 1f, 1f, 1f], [1f, 0f, 0f, 0f]), 12);
        Assert.Equal(0.25, AveragePrecision.Compute([1f, 1f, 1f, 1f], [1f, 0f, 0f, 0f]), 12);
    }

    [Fact]
    public void MaskedLabels_AreIgnored()
    {
        Assert.Equal(
            AreaUnderRoc.Compute([0.1f, 0.35f, 0.8f], [0f, 1f, 1f]),
            AreaUnderRoc.Compute([0.1f, 0.4f, 0.35f, 0.8f, 0.05f], [0f, -1f, 1f, 1f, -1f]));
        Assert.Equal(1.0, AveragePrecision.Compute([0.1f, 0.4f, 0.35f, 0.8f], [0f, -1f, 1f, 1f]), 12);
    }

    [Fact]
    public void OneClassOnly_IsNaN()
    {
        Assert.True(double.IsNaN(AreaUnderRoc.Compute([0.1f, 0.2f], [1f, 1f])));
        Assert.True(double.IsNaN(AveragePrecision.Compute([0.1f, 0.2f], [0f, 0f])));
    }

    [Theory]
    [InlineData(1, 50, 3)]
    [InlineData(2, 200, 10)]
    [InlineData(3, 333, 1000)]
    public void RandomScoresWithTies_MatchBruteForce(int seed, int n, int levels)
    {
        var rng = new Rng((ulong)seed);
        var s = new float[n];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            s[i] = rng.NextInt(levels) / (float)levels;
            y[i] = rng.NextInt(5) switch { 0 => -1f, 1 or 2 => 1f, _ => 0f };
        }

        Assert.Equal(BruteAuroc(s, y), AreaUnderRoc.Compute(s, y), 12);
        Assert.Equal(BruteAveragePrecision(s, y), AveragePrecision.Compute(s, y), 12);
    }

    [Fact]
    public void TaskMetrics_PerTaskAndClassIndices()
    {
        var scores = Tensor.FromValues([0.9f, 0.1f, 0.2f, 0.8f, 0.7f, 0.3f, 0.4f, 0.6f], 4, 2);
        var labels = Tensor.FromValues([1f, 0f, 0f, 1f, 1f, -1f, 0f, 1f], 4, 2);
        TaskMetrics m = TaskMetrics.Compute(scores, labels);
        Assert.Equal(1.0, m.Auroc[0], 12);
        Assert.Equal(1.0, m.Auroc[1], 12);
        var classes = TaskMetrics.Compute(scores, Tensor.FromValues([0f, 1f, 0f, 0f], 4));
        // Class 1 scores (0.1, 0.8, 0.3, 0.6) with only row 1 positive: auROC 1.
        Assert.Equal(1.0, classes.Auroc[1], 12);
        Assert.Equal(1.0, classes.MeanAuroc, 12);
    }

    private static double BruteAuroc(float[] s, float[] y)
    {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < s.Length; i++)
        {
            for (int j = 0; j < s.Length; j++)
            {
                if (y[i] == 1f && y[j] == 0f)
                {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }

        return wins / pairs;
    }

    // Average precision from its definition: for each distinct threshold (high to low), precision at that threshold
    // times the recall gained there.
    private static double BruteAveragePrecision(float[] s, float[] y)
    {
        int positives = y.Count(v => v == 1f);
        double ap = 0, lastRecall = 0;
        foreach (float t in s.Where((v, i) => y[i] >= 0).Distinct().OrderByDescending(v => v))
        {
            int tp = s.Where((v, i) => v >= t && y[i] == 1f).Count();
            int predicted = s.Where((v, i) => v >= t && y[i] >= 0f).Count();
            double recall = (double)tp / positives;
            ap += (recall - lastRecall) * tp / predicted;
            lastRecall = recall;
        }

        return ap;
    }
}
