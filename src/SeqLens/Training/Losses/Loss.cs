using SeqLens.Graphs;

namespace SeqLens.Training.Losses;

/// <summary>
/// A loss on a model's logits: <see cref="Compute"/> returns the mean loss (accumulated in double) and writes
/// dLoss/dLogits, ready to seed <see cref="Executor.Backward(Tensor, BackwardOptions?)"/>.
/// </summary>
/// <remarks>Models end at logits (see <see cref="GraphOutput"/>); every loss here takes logits, never probabilities.</remarks>
public abstract class Loss
{
    /// <summary>The name used in model metadata and on the command line (e.g. <c>bce</c>).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The loss of <paramref name="logits"/> against <paramref name="targets"/>; when <paramref name="gradient"/> is
    /// not null (same shape as the logits) it is overwritten with dLoss/dLogits.
    /// </summary>
    public abstract double Compute(Tensor logits, Tensor targets, Tensor? gradient = null);

    /// <summary>The loss that matches an output activation: sigmoid → BCE, softmax → cross-entropy, none → MSE.</summary>
    public static Loss For(OutputActivation activation) => activation switch
    {
        OutputActivation.Sigmoid => new BinaryCrossEntropyWithLogitsLoss(),
        OutputActivation.Softmax => new CrossEntropyLoss(),
        _ => new MeanSquaredErrorLoss(),
    };

    /// <summary>A loss by name: <c>bce</c>, <c>cross-entropy</c>, <c>mse</c> or <c>poisson</c>.</summary>
    public static Loss FromName(string name) => name?.ToLowerInvariant() switch
    {
        "bce" or "bce-with-logits" or "binary-cross-entropy" => new BinaryCrossEntropyWithLogitsLoss(),
        "cross-entropy" or "ce" => new CrossEntropyLoss(),
        "mse" => new MeanSquaredErrorLoss(),
        "poisson" or "poisson-nll" => new PoissonNllLoss(),
        _ => throw new ArgumentException($"Unknown loss '{name}'. Known: bce, cross-entropy, mse, poisson.", nameof(name)),
    };

    /// <summary>Throws unless logits and targets have the same shape, and the gradient (when given) too.</summary>
    protected void ExpectSameShape(Tensor logits, Tensor targets, Tensor? gradient)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (!logits.SameShape(targets))
        {
            throw new ArgumentException($"{Name}: targets must have the logits' shape {Tensor.FormatShape(logits.Shape)}; got {Tensor.FormatShape(targets.Shape)}.");
        }

        ExpectGradientShape(logits, gradient);
    }

    /// <summary>Throws unless the gradient (when given) has the logits' shape.</summary>
    protected void ExpectGradientShape(Tensor logits, Tensor? gradient)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (gradient is not null && !gradient.SameShape(logits))
        {
            throw new ArgumentException($"{Name}: gradient buffer must have the logits' shape {Tensor.FormatShape(logits.Shape)}; got {Tensor.FormatShape(gradient.Shape)}.");
        }
    }
}
