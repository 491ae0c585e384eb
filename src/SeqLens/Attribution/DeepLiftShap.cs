using SeqLens.Graphs;

namespace SeqLens.Attribution;

/// <summary>
/// DeepLIFT-SHAP (Lundberg &amp; Lee 2017; tangermeme's <c>deep_lift_shap</c>): DeepLIFT multipliers averaged over R
/// references per sequence — by default 20 dinucleotide shuffles seeded per (sequence, reference) — with hypothetical
/// contributions. <c>new DeepLiftShap(graph).Attribute(x, AttributionTarget.Task(0))</c>.
/// </summary>
/// <remarks>See <see cref="DeepLift"/> for the hypothetical contributions, batching and the completeness audit.</remarks>
public sealed class DeepLiftShap
{
    private readonly DeepLift _deepLift;

    /// <summary>DeepLIFT-SHAP on <paramref name="graph"/> with <paramref name="references"/> (default: 20 dinucleotide shuffles, seed 0).</summary>
    public DeepLiftShap(Graph graph, AttributionReferences? references = null, DeepLiftOptions? options = null)
    {
        _deepLift = new DeepLift(graph, options);
        References = references ?? AttributionReferences.DinucleotideShuffles();
    }

    /// <summary>The references.</summary>
    public AttributionReferences References { get; }

    /// <summary>Scores of <paramref name="x"/> <c>(N, 4, L)</c> for <paramref name="target"/>.</summary>
    public DeepLiftResult Attribute(Tensor x, AttributionTarget target) => _deepLift.Attribute(x, References, target, "deeplift-shap");
}
