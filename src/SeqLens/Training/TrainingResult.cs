namespace SeqLens.Training;

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
/// <param name="History">One report per epoch run.</param>
/// <param name="BestEpoch">The epoch whose parameters the model holds at the end (when restoring is on).</param>
/// <param name="StoppedEarly">True when patience ran out before the last epoch.</param>
public sealed record TrainingResult(IReadOnlyList<EpochReport> History, int BestEpoch, bool StoppedEarly)
{
    /// <summary>The report of <see cref="BestEpoch"/>.</summary>
    public EpochReport Best => History[BestEpoch - 1];
}
