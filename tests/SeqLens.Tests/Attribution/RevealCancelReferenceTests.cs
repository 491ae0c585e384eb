using System.Globalization;
using System.Text.Json;
using SeqLens.Attribution;
using SeqLens.Graphs;

namespace SeqLens.Tests.Attribution;

/// <summary>
/// DeepLIFT-SHAP under <see cref="DeepLiftRule.Genomics"/> and <see cref="DeepLiftRule.RevealCancel"/> against the
/// hand-written float64 reference of tools/revealcancel_reference.py (Fixtures/Attribution/revealcancel_reference.json),
/// with the same dinucleotide-shuffle references. Models: conv(4→8, k5) → ReLU → max-pool(2) → dense(16) → ReLU
/// [→ dense(8) → ReLU] → dense(3), length 30.
/// </summary>
/// <remarks>
/// The reference writes the linear split two ways: <c>per_term</c> (arXiv 1704.02685 §3.5.1: Δx⁺ = Σ 1{wΔz &gt; 0} wΔz on the
/// total Δz of each input) and <c>components</c> (SeqLens' Op.PropagateDeltas / BackwardSplit: Δx⁺ = W⁺Δz⁺ + W⁻Δz⁻ on the
/// parts handed up from below). They coincide when every dense input is single-signed (one dense + ReLU layer: the
/// fixture keeps only <c>per_term</c> there); with two dense + ReLU (RevealCancel) layers the second dense layer's input
/// is a RevealCancel output whose parts Δy⁺, Δy⁻ have opposite signs, and the two differ by up to about half the
/// score scale. SeqLens implements <c>components</c>; <see cref="TwoDenseLayers_DifferFromThePerTermSplit"/> records how far
/// it lands from the paper's per-term split. Both sides use SeqLens' conventions where a choice is free: Δz = 0 takes m⁻,
/// and |Δx±| &lt; 1e-6 takes the gradient at x (the alternatives move only hypothetical scores, by ≤ 12% of the scale under
/// pure RevealCancel; <c>tools/revealcancel_reference.py --compare</c> prints them).
/// </remarks>
public class RevealCancelReferenceTests
{
    private static readonly string FixturePath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Attribution", "revealcancel_reference.json");

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "dense1", "genomics", "per_term" },
        { "dense1", "reveal_cancel", "per_term" },
        { "dense2", "genomics", "components" },
        { "dense2", "reveal_cancel", "components" },
    };

    /// <summary><see cref="Cases"/> with and without the executor's fusions (ReLU + max-pool in one pass).</summary>
    public static TheoryData<string, string, string, bool> CasesWithFusion()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (object[] row in Cases())
        {
            data.Add((string)row[0], (string)row[1], (string)row[2], true);
            data.Add((string)row[0], (string)row[1], (string)row[2], false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CasesWithFusion))]
    public void DeepLiftShap_MatchesHandWrittenReference(string model, string rule, string split, bool fusion)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(FixturePath));
        JsonElement c = Case(doc, model, rule, split);
        DeepLiftResult result = Run(doc.RootElement, model, Rule(rule), c.GetProperty("task").GetInt32(), fusion);

        AttributionAssert.NearReference(AttributionAssert.Floats(c.GetProperty("hypothetical")), result.Hypothetical!.Data, "hypothetical");
        AttributionAssert.NearReference(AttributionAssert.Floats(c.GetProperty("contributions")), result.Contributions.Data, "contributions");
        AttributionAssert.NearReference(AttributionAssert.Floats(c.GetProperty("difference_contributions")), result.DifferenceContributions.Data, "difference contributions");
        AttributionAssert.NearReference(AttributionAssert.Floats(c.GetProperty("target_deltas")), result.TargetDeltas.Select(v => (float)v).ToArray(), "f(x) − f(x0)");
        Assert.True(result.Audit!.Passed, $"max completeness delta {result.Audit.MaxDelta}");
    }

    [Theory]
    [InlineData("genomics")]
    [InlineData("reveal_cancel")]
    public void TwoDenseLayers_DifferFromThePerTermSplit(string rule)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(FixturePath));
        JsonElement c = Case(doc, "dense2", rule, "per_term");
        DeepLiftResult result = Run(doc.RootElement, "dense2", Rule(rule), c.GetProperty("task").GetInt32());

        // Both splits sum to the same delta, so they share the target deltas; the scores themselves are far apart.
        AttributionAssert.NearReference(AttributionAssert.Floats(c.GetProperty("target_deltas")), result.TargetDeltas.Select(v => (float)v).ToArray(), "f(x) − f(x0)");
        AssertFar(AttributionAssert.Floats(c.GetProperty("hypothetical")), result.Hypothetical!.Data);
    }

    /// <summary>The fixture exercises RevealCancel: Rescale everywhere lands far from every case.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Rescale_IsFarFromTheReference(string model, string rule, string split)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(FixturePath));
        JsonElement c = Case(doc, model, rule, split);
        DeepLiftResult result = Run(doc.RootElement, model, DeepLiftRule.Rescale, c.GetProperty("task").GetInt32());
        AssertFar(AttributionAssert.Floats(c.GetProperty("hypothetical")), result.Hypothetical!.Data);
    }

    private static DeepLiftRule Rule(string rule) => rule == "genomics" ? DeepLiftRule.Genomics : DeepLiftRule.RevealCancel;

    private static void AssertFar(float[] expected, float[] actual)
    {
        double scale = expected.Max(v => Math.Abs((double)v));
        double worst = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Assert.True(worst > 0.1 * scale, $"hypothetical: max |diff| {worst.ToString("G4", CultureInfo.InvariantCulture)} against scale {scale.ToString("G4", CultureInfo.InvariantCulture)}");
    }

    private static JsonElement Case(JsonDocument doc, string model, string rule, string split) =>
        doc.RootElement.GetProperty("cases").EnumerateArray().Single(e =>
            e.GetProperty("model").GetString() == model && e.GetProperty("rule").GetString() == rule && e.GetProperty("split").GetString() == split);

    private static DeepLiftResult Run(JsonElement root, string model, DeepLiftRule rule, int task, bool fusion = true)
    {
        int length = root.GetProperty("length").GetInt32();
        int refs = root.GetProperty("references_per_sequence").GetInt32();
        Graph g = Model(length, model == "dense2");
        ReferenceFixture.SetParameters(g, root.GetProperty("models").GetProperty(model));
        (Tensor x, AttributionReferences references) = ReferenceFixture.Inputs(root, length, refs, "reveal-cancel fixture");
        var options = new DeepLiftOptions { BatchSize = 2, Rule = rule, Fusion = fusion };
        return new DeepLift(g, options).Attribute(x, references, AttributionTarget.Task(task));
    }

    private static Graph Model(int length, bool twoDense)
    {
        var b = new GraphBuilder(0);
        Node x = b.Input("dna", 4, length);
        Node h = b.Flatten(b.MaxPool1d(b.Relu(b.Conv1d(x, 8, 5, name: "conv1")), 2));
        h = b.Relu(b.Dense(h, 16, name: "fc1"));
        if (twoDense)
        {
            h = b.Relu(b.Dense(h, 8, name: "fc2"));
        }

        return b.Build(b.Dense(h, 3, name: "out"), activation: OutputActivation.None);
    }
}
