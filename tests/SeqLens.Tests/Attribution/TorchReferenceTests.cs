using System.Text.Json;
using SeqLens.Attribution;
using SeqLens.Graphs;

namespace SeqLens.Tests.Attribution;

/// <summary>
/// DeepLIFT-SHAP (Rescale, paired max-pool rule) against the PyTorch gradient-override reference of
/// tools/attribution_reference.py, with the same references (Fixtures/Attribution/deeplift_reference.json).
/// </summary>
public class TorchReferenceTests
{
    private static readonly string FixturePath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Attribution", "deeplift_reference.json");

    public static TheoryData<string> Models() => new() { "basset_like", "deeplift_paper_like" };

    [Theory]
    [MemberData(nameof(Models))]
    public void DeepLiftShap_MatchesPyTorchReference(string model)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(FixturePath));
        JsonElement c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("model").GetString() == model);
        int length = c.GetProperty("length").GetInt32();
        int refs = c.GetProperty("references_per_sequence").GetInt32();
        int task = c.GetProperty("task").GetInt32();
        Graph g = model == "basset_like" ? BassetLike(length) : PaperLike(length);
        ReferenceFixture.SetParameters(g, c.GetProperty("params"));
        (Tensor x, AttributionReferences references) = ReferenceFixture.Inputs(c, length, refs, "torch fixture");
        DeepLiftResult result = new DeepLift(g, new DeepLiftOptions { BatchSize = 2 }).Attribute(x, references, AttributionTarget.Task(task));

        AttributionAssert.NearReference(AttributionAssert.Floats(c.GetProperty("hypothetical")), result.Hypothetical!.Data, "hypothetical");
        AttributionAssert.NearReference(AttributionAssert.Floats(c.GetProperty("difference_contributions")), result.DifferenceContributions.Data, "difference contributions");
        float[] deltas = AttributionAssert.Floats(c.GetProperty("target_deltas"));
        AttributionAssert.NearReference(deltas, result.TargetDeltas.Select(v => (float)v).ToArray(), "f(x) − f(x0)");
        Assert.True(result.Audit!.Passed, $"max completeness delta {result.Audit.MaxDelta}");
    }

    private static Graph BassetLike(int length)
    {
        var b = new GraphBuilder(0);
        Node x = b.Input("dna", 4, length);
        Node h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(x, 16, 7, padding: Padding.Same, name: "conv1"), name: "bn1")), 3);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 12, 5, name: "conv2"), name: "bn2")), 4);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 12, 3, name: "conv3"), name: "bn3")), 4);
        Node f = b.Relu(b.Dense(b.Flatten(h), 16, name: "fc1"));
        return b.Build(b.Dense(f, 4, name: "out"), activation: OutputActivation.None);
    }

    private static Graph PaperLike(int length)
    {
        var b = new GraphBuilder(0);
        Node x = b.Input("dna", 4, length);
        Node h = b.Relu(b.Conv1d(x, 8, 5, name: "conv1"));
        h = b.Relu(b.Conv1d(h, 8, 3, name: "conv2"));
        Node f = b.Relu(b.Dense(b.Flatten(b.AvgPool1d(h, 4)), 16, name: "fc1"));
        return b.Build(b.Dense(f, 3, name: "out"), activation: OutputActivation.None);
    }
}
