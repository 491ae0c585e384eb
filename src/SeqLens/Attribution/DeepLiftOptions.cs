namespace SeqLens.Attribution;

/// <summary>Settings of <see cref="DeepLift"/> and <see cref="DeepLiftShap"/>.</summary>
public sealed record DeepLiftOptions
{
    /// <summary>The rule at nonlinear nodes (default Rescale).</summary>
    public DeepLiftRule Rule { get; init; } = DeepLiftRule.Rescale;

    /// <summary>Sequences per batch (default 8; with R references a batch holds 8·(R + 1) rows).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>
    /// Run each input row once for all its references (<see cref="Graphs.RowPairs.Shared"/>, default true) instead of
    /// repeating it next to each reference (<see cref="Graphs.RowPairs.Stacked"/>). Same results; see the remarks of
    /// <see cref="DeepLift"/> for the cost.
    /// </summary>
    public bool ShareInputRows { get; init; } = true;

    /// <summary>Completeness tolerance relative to |f(x) − f(x0)| (default 1e-4).</summary>
    public double RelativeTolerance { get; init; } = 1e-4;

    /// <summary>Absolute completeness tolerance added to the relative one (default 1e-5).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-5;

    /// <summary>
    /// Fold every evaluation batch-norm into the convolution before it (<see cref="Graphs.Executor.FoldBatchNorm"/>; the pair
    /// is linear, so its DeepLIFT multipliers are its gradient) and run ReLU → max-pool rules in one pass
    /// (<see cref="Graphs.Executor.FuseReluMaxPool"/>); default true. Results equal the unfused ones up to float rounding.
    /// Off only for A/B comparisons.
    /// </summary>
    internal bool Fusion { get; init; } = true;
}
