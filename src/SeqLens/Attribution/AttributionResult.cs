namespace SeqLens.Attribution;

/// <summary>
/// Scores of one attribution run over N sequences, ready for an npz file (<see cref="AttributionNpz"/>).
/// </summary>
/// <remarks>
/// <para><see cref="Contributions"/>: <c>(N, C, L)</c> float32 — for DeepLIFT/DeepLIFT-SHAP the hypothetical scores times
/// the input (for one-hot DNA: the position's total Σ_c m·Δx placed on the base present), for integrated gradients
/// <c>(x − x0)·∫∇f</c>, for gradient × input <c>x·∇f</c>, for saliency and SmoothGrad the gradient itself.</para>
/// <para><see cref="Hypothetical"/>: <c>(N, C, L)</c> or null — the contribution each base would get if it were present
/// (tangermeme's <c>hypothetical_attributions</c>; for gradient × input the gradient).</para>
/// <para><see cref="Deltas"/>: completeness deltas <c>Σ contributions − (f(x) − f(x0))</c> per (sequence, reference),
/// row-major <c>(N, R)</c> with <see cref="ReferencesPerSequence"/> = R; <see cref="TargetDeltas"/> the
/// <c>f(x) − f(x0)</c> of each pair. Empty for methods without a completeness axiom (saliency, SmoothGrad).</para>
/// </remarks>
public record AttributionResult
{
    /// <summary>Contributions <c>(N, C, L)</c>.</summary>
    public required Tensor Contributions { get; init; }

    /// <summary>Hypothetical contributions <c>(N, C, L)</c>, or null.</summary>
    public Tensor? Hypothetical { get; init; }

    /// <summary>Completeness deltas per (sequence, reference), row-major <c>(N, R)</c>.</summary>
    public double[] Deltas { get; init; } = [];

    /// <summary>f(x) − f(x0) per (sequence, reference), row-major <c>(N, R)</c>.</summary>
    public double[] TargetDeltas { get; init; } = [];

    /// <summary>R, the references (or baselines) per sequence (0 when there are none).</summary>
    public int ReferencesPerSequence { get; init; }

    /// <summary>The method: <c>saliency</c>, <c>grad-x-input</c>, <c>smoothgrad</c>, <c>ig</c>, <c>deeplift</c>, <c>deeplift-shap</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The rule (<c>rescale</c>, <c>reveal-cancel</c>, <c>genomics</c>) or the integration scheme; empty when none.</summary>
    public string Rule { get; init; } = "";

    /// <summary>How the references were made, e.g. <c>dinucleotide-shuffle x20</c>, <c>zeros</c>, <c>given</c>.</summary>
    public string References { get; init; } = "";

    /// <summary>The seed of every random choice (references, noise).</summary>
    public long Seed { get; init; }

    /// <summary>The model's <see cref="ModelHash"/>.</summary>
    public required string ModelHash { get; init; }

    /// <summary>The target's description.</summary>
    public required string Target { get; init; }

    /// <summary>The completeness audit, or null for methods without one.</summary>
    public CompletenessReport? Audit { get; init; }

    /// <summary>The delta of sequence <paramref name="sequence"/> and reference <paramref name="reference"/>.</summary>
    public double Delta(int sequence, int reference) => Deltas[(sequence * ReferencesPerSequence) + reference];
}
