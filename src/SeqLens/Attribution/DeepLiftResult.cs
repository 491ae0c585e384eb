namespace SeqLens.Attribution;

/// <summary>An <see cref="AttributionResult"/> of DeepLIFT with DeepLIFT's own per-channel scores.</summary>
public sealed record DeepLiftResult : AttributionResult
{
    /// <summary>Mean over references of <c>m·(x − x0)</c> per channel <c>(N, C, L)</c> (tangermeme's non-hypothetical output).</summary>
    public required Tensor DifferenceContributions { get; init; }
}
