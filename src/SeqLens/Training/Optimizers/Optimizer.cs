using SeqLens.Graphs;

namespace SeqLens.Training.Optimizers;

/// <summary>
/// Updates a set of parameters from their accumulated gradients (<see cref="Parameter.Grad"/>), following PyTorch's
/// update formulas (torch 1.13, single-tensor path). State (moments, momentum buffers) is kept per parameter.
/// </summary>
public abstract class Optimizer
{
    /// <summary>An optimiser over <paramref name="parameters"/> (non-trainable ones are skipped).</summary>
    protected Optimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.Where(p => p.Trainable).ToArray();
        LearningRate = learningRate;
    }

    /// <summary>The parameters updated by <see cref="Step"/>.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The learning rate; schedulers change it between steps.</summary>
    public double LearningRate
    {
        get;
        set => field = value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a positive finite number.");
    }

    /// <summary>Number of steps taken so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies one update from the current gradients (does not zero them).</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            Update(i, Parameters[i].Value.Data, Parameters[i].Grad.Data);
        }
    }

    /// <summary>Zeroes the gradients of <see cref="Parameters"/>.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter p in Parameters)
        {
            p.ZeroGrad();
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> in place (<see cref="StepCount"/> already counts this step).</summary>
    protected abstract void Update(int index, Span<float> value, ReadOnlySpan<float> grad);

    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    protected static double CheckRange(double value, double min, double max, string name)
        => value >= min && value < max ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}).");
}
