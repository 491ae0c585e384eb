using SeqLens.Attribution.Ism;
using SeqLens.Graphs;

namespace SeqLens.Attribution.Evaluation;

/// <summary>
/// The attribution methods of the DeepLIFT paper's simulation benchmark, each reduced to one score per base
/// <c>(N, L)</c> for a one-hot input <c>(N, 4, L)</c> and one task's logit (the graph output is pre-activation).
/// </summary>
/// <remarks>
/// <para>Per-base score: <see cref="PerBaseScore.ObservedBase"/> of the method's contributions, except saliency
/// (<see cref="PerBaseScore.AbsoluteSum"/> of the gradient — the gradient at the observed base would equal
/// gradient × input on one-hot input) and ISM (<see cref="PerBaseScore.IsmMeanLoss"/> of logit differences).</para>
/// <para>Reference of DeepLIFT and integrated gradients: the constant background A 0.3, C 0.2, G 0.2, T 0.3, as in
/// kundajelab/deeplift's genomics simulation example. DeepLIFT-SHAP: <see cref="ShapShuffles"/> dinucleotide shuffles
/// with seed <see cref="ShapSeed"/>. Integrated gradients: <see cref="IntegratedGradientsSteps"/> steps.</para>
/// </remarks>
public static class PerBaseAttribution
{
    /// <summary>Dinucleotide shuffles per sequence for DeepLIFT-SHAP (20).</summary>
    public const int ShapShuffles = 20;

    /// <summary>Seed of the DeepLIFT-SHAP shuffles (1).</summary>
    public const long ShapSeed = 1;

    /// <summary>Integration steps of integrated gradients (50).</summary>
    public const int IntegratedGradientsSteps = 50;

    /// <summary>The method names accepted by <see cref="Compute"/>, in table order.</summary>
    public static IReadOnlyList<string> Methods { get; } =
    [
        "saliency", "grad-x-input", "ig", "deeplift-rescale", "deeplift-revealcancel", "deeplift-genomics",
        "deeplift-shap-rescale", "deeplift-shap-genomics", "ism",
    ];

    /// <summary>Per-base scores <c>(N, L)</c> of <paramref name="method"/> (one of <see cref="Methods"/>) for output task <paramref name="task"/>.</summary>
    public static Tensor Compute(Graph graph, string method, Tensor x, int task)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(x);
        AttributionTarget target = AttributionTarget.Task(task);
        AttributionReferences background = AttributionReferences.Background([0.3f, 0.2f, 0.2f, 0.3f]);
        return method switch
        {
            "saliency" => PerBaseScore.AbsoluteSum(new Saliency(graph).Attribute(x, target).Contributions),
            "grad-x-input" => PerBaseScore.ObservedBase(new Saliency(graph).GradientTimesInput(x, target).Contributions, x),
            "ig" => PerBaseScore.ObservedBase(new IntegratedGradients(graph) { Steps = IntegratedGradientsSteps }.Attribute(x, background, target).Contributions, x),
            "deeplift-rescale" => DeepLift(graph, x, background, target, DeepLiftRule.Rescale),
            "deeplift-revealcancel" => DeepLift(graph, x, background, target, DeepLiftRule.RevealCancel),
            "deeplift-genomics" => DeepLift(graph, x, background, target, DeepLiftRule.Genomics),
            "deeplift-shap-rescale" => Shap(graph, x, target, DeepLiftRule.Rescale),
            "deeplift-shap-genomics" => Shap(graph, x, target, DeepLiftRule.Genomics),
            "ism" => PerBaseScore.IsmMeanLoss(new InSilicoMutagenesis(graph).Attribute(x).ForTask(task)),
            _ => throw new ArgumentException($"unknown method '{method}'; expected one of {string.Join(", ", Methods)}", nameof(method)),
        };
    }

    private static Tensor DeepLift(Graph graph, Tensor x, AttributionReferences references, AttributionTarget target, DeepLiftRule rule) =>
        PerBaseScore.ObservedBase(new DeepLift(graph, new DeepLiftOptions { Rule = rule }).Attribute(x, references, target).Contributions, x);

    private static Tensor Shap(Graph graph, Tensor x, AttributionTarget target, DeepLiftRule rule) =>
        PerBaseScore.ObservedBase(
            new DeepLiftShap(graph, AttributionReferences.DinucleotideShuffles(ShapShuffles, ShapSeed), new DeepLiftOptions { Rule = rule }).Attribute(x, target).Contributions,
            x);
}
