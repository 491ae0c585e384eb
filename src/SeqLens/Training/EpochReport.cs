using SeqLens.Training.Metrics;

namespace SeqLens.Training;

/// <summary>What happened in one epoch; sent through <see cref="IProgress{T}"/> and kept in <see cref="TrainingResult.History"/>.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches (weighted by batch size).</param>
/// <param name="ValidationLoss">Loss on the validation set after the epoch (NaN without one).</param>
/// <param name="Validation">Per-task auROC/auPRC on the validation set (null without one).</param>
/// <param name="LearningRate">The learning rate used during the epoch.</param>
/// <param name="Monitored">The value of the monitored metric after the epoch.</param>
/// <param name="IsBest">True when this epoch improved on every earlier one (its parameters are the checkpoint).</param>
/// <param name="Elapsed">Wall time of the epoch (not deterministic; kept out of model files).</param>
public sealed record EpochReport(int Epoch, double TrainLoss, double ValidationLoss, TaskMetrics? Validation, double LearningRate, double Monitored, bool IsBest, TimeSpan Elapsed);
