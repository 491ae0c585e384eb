using SeqLens.Training.Losses;

namespace SeqLens.Training;

/// <summary>Settings of a <see cref="Trainer"/>; every default is stated on its property.</summary>
public sealed record TrainerOptions
{
    /// <summary>Maximum number of passes over the training set (default 20).</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Samples per minibatch (default 64); the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Initial learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The optimiser (default Adam).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Weight decay: L2 for Adam and SGD, decoupled for AdamW (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>SGD momentum (default 0.9; ignored by Adam).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>SGD Nesterov momentum (default false).</summary>
    public bool Nesterov { get; init; }

    /// <summary>The loss; null (default) picks it from the output activation (<see cref="Loss.For"/>).</summary>
    public Loss? Loss { get; init; }

    /// <summary>Seed of the per-epoch shuffles and of dropout (default 0).</summary>
    public long Seed { get; init; }

    /// <summary>Shuffle the training set every epoch (default true).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Stop after this many epochs without improvement of <see cref="Monitor"/>; null never stops early (default 5).</summary>
    public int? Patience { get; init; } = 5;

    /// <summary>What early stopping and the best checkpoint follow (default validation loss).</summary>
    public MonitoredMetric Monitor { get; init; } = MonitoredMetric.Loss;

    /// <summary>Clip gradients to this global L2 norm before each step; null (default) does not clip.</summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>Multiply the learning rate by this on a plateau of <see cref="Monitor"/>; null (default) keeps it fixed.</summary>
    public double? PlateauFactor { get; init; }

    /// <summary>Epochs without improvement before the learning rate is reduced (default 2).</summary>
    public int PlateauPatience { get; init; } = 2;

    /// <summary>Lower bound of the learning rate under the plateau scheduler (default 1e-6).</summary>
    public double MinLearningRate { get; init; } = 1e-6;

    /// <summary>Restore the best epoch's parameters at the end (default true).</summary>
    public bool RestoreBest { get; init; } = true;

    /// <summary>Samples per batch when evaluating the validation set (default 256).</summary>
    public int EvaluationBatchSize { get; init; } = 256;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Check(Epochs >= 1, $"Epochs must be at least 1; got {Epochs}.");
        Check(BatchSize >= 1, $"The batch size must be at least 1; got {BatchSize}.");
        Check(EvaluationBatchSize >= 1, $"The evaluation batch size must be at least 1; got {EvaluationBatchSize}.");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), $"The learning rate must be positive; got {LearningRate}.");
        Check(WeightDecay >= 0, $"Weight decay must be non-negative; got {WeightDecay}.");
        Check(Patience is null or >= 1, $"Patience must be at least 1; got {Patience}.");
        Check(MaxGradientNorm is null or > 0, $"The maximum gradient norm must be positive; got {MaxGradientNorm}.");
        Check(PlateauFactor is null or (> 0 and < 1), $"The plateau factor must be in (0, 1); got {PlateauFactor}.");
        Check(PlateauPatience >= 0, $"The plateau patience must be non-negative; got {PlateauPatience}.");
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException(message);
        }
    }
}
