namespace SeqLens.Training;

/// <summary>The validation quantity that early stopping, the best checkpoint and the learning-rate scheduler follow.</summary>
public enum MonitoredMetric
{
    /// <summary>Validation loss (lower is better); the training loss when there is no validation set.</summary>
    Loss,

    /// <summary>Mean validation auROC over tasks (higher is better).</summary>
    Auroc,

    /// <summary>Mean validation auPRC over tasks (higher is better).</summary>
    Auprc,
}
