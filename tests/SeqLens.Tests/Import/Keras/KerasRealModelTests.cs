using System.Globalization;
using SeqLens.Graphs;
using SeqLens.Import.Keras;
using SeqLens.IO.Fasta;
using SeqLens.IO.Text;
using SeqLens.Sequences;
using SeqLens.Tests.Support;
using Xunit.Abstractions;

namespace SeqLens.Tests.Import.Keras;

/// <summary>The DeepLIFT paper's TAL-GATA model and the DeepResolve ENCODE models, imported and scored on real data.</summary>
public sealed class KerasRealModelTests(ITestOutputHelper output)
{
    internal const string TalGataJson = "talgata/keras2_conv1d_record_5_model_PQzyq_modelJson.json";
    internal const string TalGataWeights = "talgata/keras2_conv1d_record_5_model_PQzyq_modelWeights.h5";
    internal const string TalGataSequences = "talgata/sequences.simdata.gz";
    internal const string TalGataTest = "talgata/test.txt.gz";
    internal const string Ctcf = "deepresolve/wgEncodeAwgTfbsUtaGm12878CtcfUniPk/16_G_bestmodel_weights.h5";
    internal const string CtcfPeaks = "chipseq/ctcf.fa.gz";

    [SharedDataFact(TalGataJson, TalGataWeights, TalGataSequences, TalGataTest)]
    public void TalGata_TestSplit_AurocAtLeast098PerTask()
    {
        KerasImportResult imported = KerasImporter.ImportWithReport(SharedData.Require(TalGataJson), SharedData.Require(TalGataWeights));
        Graph graph = imported.Graph;
        output.WriteLine(imported.Report.ToString());
        Assert.Equal([4, 200], graph.Inputs[0].SampleShape);
        Assert.Equal(OutputActivation.Sigmoid, graph.Outputs[0].Activation);
        Assert.False(imported.Report.KernelsFlipped);

        var test = ReadLines(SharedData.Require(TalGataTest)).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        var rows = ReadLines(SharedData.Require(TalGataSequences)).Skip(1).Select(l => l.Split('\t')).Where(f => test.Contains(f[0])).ToArray();
        Assert.Equal(800, rows.Length);

        Tensor logits = new Executor(graph).Forward(OneHot.Encode(rows.Select(r => r[1]).ToArray()));
        for (int task = 0; task < 3; task++)
        {
            double[] scores = Enumerable.Range(0, rows.Length).Select(i => (double)logits[i, task]).ToArray();
            bool[] labels = rows.Select(r => r[3 + task] == "1").ToArray();
            double auc = Auroc.Compute(scores, labels);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"task{task + 1} auROC {auc:F4}"));
            Assert.True(auc >= 0.98, $"task{task + 1} auROC {auc}");
        }
    }

    [SharedDataFact(Ctcf, CtcfPeaks)]
    public void DeepResolveCtcf_PeaksVersusShuffles_SeparatesOnlyWithTheanoFlip()
    {
        string path = SharedData.Require(Ctcf);
        KerasImportResult flipped = KerasImporter.ImportFullModelWithReport(path);
        output.WriteLine(flipped.Report.ToString());
        Assert.True(flipped.Report.KernelsFlipped);
        Graph unflipped = KerasImporter.ImportFullModel(path, new KerasImportOptions { TheanoKernelFlip = false });

        (Tensor x, bool[] labels) = CtcfPeaksAndShuffles(SharedData.Require(CtcfPeaks), 4000, seed: 17);
        double withFlip = Score(flipped.Graph, x, labels);
        double withoutFlip = Score(unflipped, x, labels);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CTCF peaks vs dinucleotide shuffles: auROC {withFlip:F4} with the flip, {withoutFlip:F4} without"));
        Assert.True(withFlip >= 0.85, $"auROC with flip {withFlip}");
        Assert.InRange(withoutFlip, 0.4, 0.65);
    }

    [SharedDataFact(
        "deepresolve/wgEncodeAwgTfbsUtaGm12878CtcfUniPk/16_G_best_archit.json",
        "deepresolve/wgEncodeAwgTfbsSydhK562Gata1UcdUniPk/16_G_best_archit.json",
        "deepresolve/wgEncodeAwgTfbsHaibK562NrsfV0416102UniPk/16_G_best_archit.json")]
    public void DeepResolve_AllThreeModels_ImportFromJsonAndFromFullModelAlike()
    {
        foreach (string folder in new[] { "wgEncodeAwgTfbsUtaGm12878CtcfUniPk", "wgEncodeAwgTfbsSydhK562Gata1UcdUniPk", "wgEncodeAwgTfbsHaibK562NrsfV0416102UniPk" })
        {
            string json = SharedData.Require($"deepresolve/{folder}/16_G_best_archit.json");
            string h5 = SharedData.Require($"deepresolve/{folder}/16_G_bestmodel_weights.h5");
            KerasImportResult fromJson = KerasImporter.ImportWithReport(json, h5);
            Graph full = KerasImporter.ImportFullModel(h5);
            output.WriteLine(folder);
            output.WriteLine(fromJson.Report.ToString());
            Assert.Equal([4, 101], fromJson.Graph.Inputs[0].SampleShape);
            Assert.Equal(OutputActivation.Sigmoid, fromJson.Graph.Outputs[0].Activation);
            Assert.True(fromJson.Report.KernelsFlipped);
            Assert.Equal(16 * 4 * 25 + 16 + 16 * 32 + 32 + 32 + 1, fromJson.Graph.ParameterCount);
            for (int p = 0; p < full.Parameters.Count; p++)
            {
                Assert.Equal(full.Parameters[p].Value.Data, fromJson.Graph.Parameters[p].Value.Data);
            }
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> 100 bp peaks and one seeded dinucleotide shuffle of each, one-hot encoded to
    /// the models' 101 bp with an all-zero (N) column at the end.
    /// </summary>
    internal static (Tensor X, bool[] Labels) CtcfPeaksAndShuffles(string fasta, int count, long seed)
    {
        var peaks = FastaReader.ReadFile(fasta).Take(count).Select(r => r.Sequence.ToUpperInvariant()).ToArray();
        var shuffles = peaks.Select((s, i) => DinucleotideShuffle.Shuffle(s, Rng.For(seed, i, 0))).ToArray();

        // NOTE: the models take 101 bp (DeepResolve's ENCODE sequences); the peaks are 100 bp, so one N column pads the end.
        Tensor x = OneHot.Encode([.. peaks, .. shuffles], 101);
        bool[] labels = [.. peaks.Select(_ => true), .. shuffles.Select(_ => false)];
        return (x, labels);
    }

    private static double Score(Graph graph, Tensor x, bool[] labels)
    {
        Tensor logits = new Executor(graph).Forward(x);
        return Auroc.Compute(logits.Data.Select(v => (double)v).ToArray(), labels);
    }

    internal static IEnumerable<string> ReadLines(string path)
    {
        using var reader = new StreamReader(CompressedInput.Open(path));
        while (reader.ReadLine() is string line)
        {
            yield return line;
        }
    }
}
