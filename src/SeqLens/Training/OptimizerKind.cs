namespace SeqLens.Training;

/// <summary>The optimisers the <see cref="Trainer"/> can create.</summary>
public enum OptimizerKind
{
    /// <summary><see cref="Optimizers.Adam"/> (L2 weight decay added to the gradient).</summary>
    Adam,

    /// <summary><see cref="Optimizers.AdamW"/> (decoupled weight decay).</summary>
    AdamW,

    /// <summary><see cref="Optimizers.Sgd"/> with <see cref="TrainerOptions.Momentum"/>.</summary>
    Sgd,
}
