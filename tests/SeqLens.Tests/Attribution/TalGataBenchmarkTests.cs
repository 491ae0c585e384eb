using System.Globalization;
using SeqLens.Attribution.Evaluation;
using SeqLens.Graphs;
using SeqLens.Import.Keras;
using SeqLens.IO.Text;
using SeqLens.Sequences;
using SeqLens.Tests.Support;
using Xunit.Abstractions;

namespace SeqLens.Tests.Attribution;

/// <summary>
/// The DeepLIFT paper's simulation benchmark on its own TAL-GATA model (docs/benchmarks.md): on a seeded subset of 200
/// of the 800 test sequences, DeepLIFT-SHAP recovers the embedded motif positions better than gradient × input on
/// every task. The full 800-sequence table comes from <c>bench/SeqLens.Bench -- talgata</c>.
/// </summary>
public sealed class TalGataBenchmarkTests(ITestOutputHelper output)
{
    private const string Json = "talgata/keras2_conv1d_record_5_model_PQzyq_modelJson.json";
    private const string Weights = "talgata/keras2_conv1d_record_5_model_PQzyq_modelWeights.h5";
    private const string Sequences = "talgata/sequences.simdata.gz";
    private const string Test = "talgata/test.txt.gz";

    private static readonly Func<EmbeddedMotif, bool>[] Relevant =
    [
        m => m.Name.StartsWith("GATA", StringComparison.Ordinal) || m.Name.StartsWith("TAL1", StringComparison.Ordinal),
        m => m.Name.StartsWith("GATA", StringComparison.Ordinal),
        m => m.Name.StartsWith("TAL1", StringComparison.Ordinal),
    ];

    [SharedDataFact(Json, Weights, Sequences, Test)]
    public void DeepLiftShap_SubsetOfTestSplit_BeatsGradientTimesInputOnEveryTask()
    {
        Graph graph = KerasImporter.Import(SharedData.Require(Json), SharedData.Require(Weights));
        var names = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = new StreamReader(CompressedInput.Open(SharedData.Require(Test))))
        {
            while (reader.ReadLine() is string line)
            {
                if (line.Trim().Length > 0)
                {
                    names.Add(line.Trim());
                }
            }
        }

        var all = SimulatedTable.Read(SharedData.Require(Sequences), names).ToArray();
        Assert.Equal(800, all.Length);

        // NOTE: a seeded subset keeps the test well under a minute on 2 loaded cores.
        var order = Enumerable.Range(0, all.Length).ToArray();
        new Rng(2017).Shuffle(order.AsSpan());
        var subset = order.Take(200).Order().Select(i => all[i]).ToArray();

        for (int task = 0; task < 3; task++)
        {
            var positive = subset.Where(r => r.Labels[task] == 1).ToArray();
            Assert.True(positive.Length >= 30, $"task{task + 1}: only {positive.Length} positive sequences in the subset");
            Tensor x = OneHot.Encode(positive.Select(r => r.Sequence).ToArray());
            var embeddings = positive.Select(r => r.Embeddings).ToArray();
            double gradientTimesInput = MotifRecovery.Auprc(PerBaseAttribution.Compute(graph, "grad-x-input", x, task), embeddings, Relevant[task]);
            double shapRescale = MotifRecovery.Auprc(PerBaseAttribution.Compute(graph, "deeplift-shap-rescale", x, task), embeddings, Relevant[task]);
            double chance = MotifRecovery.Labels(embeddings, x.Shape[2], Relevant[task]).Average();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"task{task + 1}: n={positive.Length} grad-x-input {gradientTimesInput:F4} deeplift-shap-rescale {shapRescale:F4} chance {chance:F4}"));
            Assert.True(gradientTimesInput > 2 * chance, $"task{task + 1}: gradient x input auPRC {gradientTimesInput} is near chance {chance}");
            Assert.True(shapRescale > gradientTimesInput + 0.05, $"task{task + 1}: DeepLIFT-SHAP auPRC {shapRescale} vs gradient x input {gradientTimesInput}");
        }
    }
}
