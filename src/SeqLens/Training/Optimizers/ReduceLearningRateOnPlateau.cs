namespace SeqLens.Training.Optimizers;

/// <summary>
/// Multiplies the learning rate by <see cref="Factor"/> when the monitored metric has not improved for more than
/// <see cref="Patience"/> epochs, as PyTorch's <c>ReduceLROnPlateau</c> (relative threshold mode).
/// </summary>
/// <remarks>
/// Improvement means <c>a &lt; best·(1 − threshold)</c> in min mode and <c>a &gt; best·(1 + threshold)</c> in max mode.
/// After a reduction the bad-epoch count restarts and <see cref="Cooldown"/> epochs pass before counting again; the
/// rate never goes below <see cref="MinLearningRate"/>, and a change smaller than 1e-8 is skipped.
/// Defaults as PyTorch: factor 0.1, patience 10, threshold 1e-4, cooldown 0, min lr 0.
/// </remarks>
public sealed class ReduceLearningRateOnPlateau
{
    private const double MinimumChange = 1e-8;
    private int _badEpochs;
    private int _cooldownLeft;

    /// <summary>A scheduler that changes <paramref name="optimizer"/>'s learning rate.</summary>
    public ReduceLearningRateOnPlateau(Optimizer optimizer, MetricMode mode = MetricMode.Min, double factor = 0.1, int patience = 10, double threshold = 1e-4, int cooldown = 0, double minLearningRate = 0)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfNegative(minLearningRate);
        Optimizer = optimizer;
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        Cooldown = cooldown;
        MinLearningRate = minLearningRate;
        Best = mode == MetricMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>The optimiser whose learning rate is changed.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Min for losses, max for accuracies and areas.</summary>
    public MetricMode Mode { get; }

    /// <summary>Multiplier applied on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement that are tolerated.</summary>
    public int Patience { get; }

    /// <summary>Relative improvement needed to count as better.</summary>
    public double Threshold { get; }

    /// <summary>Epochs to wait after a reduction before counting bad epochs again.</summary>
    public int Cooldown { get; }

    /// <summary>Lower bound of the learning rate.</summary>
    public double MinLearningRate { get; }

    /// <summary>The best metric seen.</summary>
    public double Best { get; private set; }

    /// <summary>Records one epoch's metric; returns true when the learning rate was reduced.</summary>
    public bool Step(double metric)
    {
        if (IsBetter(metric))
        {
            Best = metric;
            _badEpochs = 0;
        }
        else
        {
            _badEpochs++;
        }

        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _badEpochs = 0;
        }

        if (_badEpochs <= Patience)
        {
            return false;
        }

        _cooldownLeft = Cooldown;
        _badEpochs = 0;
        double old = Optimizer.LearningRate;
        double next = Math.Max(old * Factor, MinLearningRate);
        if (old - next > MinimumChange)
        {
            Optimizer.LearningRate = next;
            return true;
        }

        return false;
    }

    private bool IsBetter(double metric) => Mode == MetricMode.Min
        ? metric < Best * (1 - Threshold)
        : metric > Best * (1 + Threshold);
}
