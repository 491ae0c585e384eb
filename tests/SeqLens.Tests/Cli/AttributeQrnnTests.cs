using SeqLens.Attribution;
using SeqLens.IO.Fasta;
using SeqLens.IO.Models;
using SeqLens.IO.Npy;
using SeqLens.Tests.Attribution;

namespace SeqLens.Tests.Cli;

/// <summary><c>seqlens attribute --method deeplift-shap</c> on a saved QRNN model (the cancer workflow's path).</summary>
public class AttributeQrnnTests
{
    [Theory]
    [InlineData("rescale")]
    [InlineData("genomics")]
    public void Attribute_DeepLiftShap_OnASavedBidirectionalQrnn_ConservesAndMatchesTheLibrary(string rule)
    {
        const int length = 30;
        string dir = Directory.CreateTempSubdirectory("seqlens-qrnn-cli-").FullName;
        try
        {
            string model = Path.Combine(dir, "model");
            ModelFile.Save(QrnnDeepLiftTests.Model(length, bidirectional: true, maxPool: true), model);
            var rng = new Rng(17);
            var records = Enumerable.Range(0, 4)
                .Select(i => new FastaRecord("s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Empty, new string([.. Enumerable.Range(0, length).Select(_ => "ACGT"[rng.NextInt(4)])])))
                .ToList();
            string fasta = Path.Combine(dir, "seqs.fa");
            FastaWriter.WriteFile(fasta, records);
            string npz = Path.Combine(dir, "scores.npz");
            var (code, stdout, stderr) = TrainingCliData.Run("attribute", "--model", model, "--fasta", fasta, "--out", npz, "--method", "deeplift-shap", "--rule", rule, "--refs", "3", "--seed", "5", "--batch-size", "3", "--target", "1");
            Assert.True(code == 0, stderr);
            Assert.Contains($"4 sequences, deeplift-shap {rule} (task 1)", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("over tolerance", stdout, StringComparison.Ordinal);

            var members = NpzFile.Read(npz).ToDictionary(kv => kv.Key, kv => kv.Value);
            Assert.Equal([4L, 3L], members["delta"].Shape);
            double[] delta = members["delta"].AsDouble();
            double[] targetDelta = members["target_delta"].AsDouble();
            for (int p = 0; p < delta.Length; p++)
            {
                Assert.True(Math.Abs(delta[p]) <= (1e-4 * Math.Abs(targetDelta[p])) + 1e-7, $"pair {p}: delta {delta[p]} vs Δf {targetDelta[p]}");
            }

            var graph = ModelFile.Load(model).Graph;
            var options = new DeepLiftOptions { Rule = rule == "genomics" ? DeepLiftRule.Genomics : DeepLiftRule.Rescale, BatchSize = 3 };
            DeepLiftResult direct = new DeepLiftShap(graph, AttributionReferences.DinucleotideShuffles(3, 5), options).Attribute(members["onehot"].ToTensor(), AttributionTarget.Task(1));
            Assert.Equal(direct.Hypothetical!.Data, members["hypothetical"].AsSingle());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
