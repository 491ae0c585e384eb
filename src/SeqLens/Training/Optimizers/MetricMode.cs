namespace SeqLens.Training.Optimizers;

/// <summary>Whether a monitored metric should go down (loss) or up (auROC).</summary>
public enum MetricMode
{
    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}
