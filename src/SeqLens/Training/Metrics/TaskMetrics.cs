namespace SeqLens.Training.Metrics;

/// <summary>Per-task auROC and auPRC of a multi-task classifier.</summary>
/// <param name="Auroc">auROC per task (NaN for a task lacking positives or negatives).</param>
/// <param name="Auprc">Average precision per task (NaN for a task without positives).</param>
public sealed record TaskMetrics(IReadOnlyList<double> Auroc, IReadOnlyList<double> Auprc)
{
    /// <summary>Mean auROC over the tasks where it is defined (NaN when none is).</summary>
    public double MeanAuroc => Mean(Auroc);

    /// <summary>Mean auPRC over the tasks where it is defined (NaN when none is).</summary>
    public double MeanAuprc => Mean(Auprc);

    /// <summary>
    /// Metrics per task. <paramref name="scores"/> is <c>(N, T)</c> (logits or probabilities: only the order matters).
    /// <paramref name="labels"/> is <c>(N, T)</c> with 1/0/-1 for binary tasks, or <c>(N)</c> / <c>(N, 1)</c> class
    /// indices when <c>T &gt; 1</c> classes share one softmax (then each class is scored one-vs-rest).
    /// </summary>
    public static TaskMetrics Compute(Tensor scores, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        int n = scores.Shape[0];
        int tasks = scores.Length / Math.Max(1, n);
        bool classIndices = labels.Length == n && tasks > 1;
        if (!classIndices && labels.Length != scores.Length)
        {
            throw new ArgumentException($"Labels {Tensor.FormatShape(labels.Shape)} do not match scores {Tensor.FormatShape(scores.Shape)}.");
        }

        var auroc = new double[tasks];
        var auprc = new double[tasks];
        var s = new float[n];
        var y = new float[n];
        for (int t = 0; t < tasks; t++)
        {
            for (int i = 0; i < n; i++)
            {
                s[i] = scores.Data[(i * tasks) + t];
                if (classIndices)
                {
                    float c = labels.Data[i];
                    y[i] = c < 0f ? -1f : c == t ? 1f : 0f;
                }
                else
                {
                    y[i] = labels.Data[(i * tasks) + t];
                }
            }

            auroc[t] = AreaUnderRoc.Compute(s, y);
            auprc[t] = AveragePrecision.Compute(s, y);
        }

        return new TaskMetrics(auroc, auprc);
    }

    private static double Mean(IReadOnlyList<double> values)
    {
        double sum = 0;
        int count = 0;
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
            {
                sum += v;
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }
}
