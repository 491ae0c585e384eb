using System.Globalization;
using SeqLens.Cli;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Workflows;

/// <summary>
/// The cancer workflow of the QRNN/Grad-CAM issue, scaled down to run in CI: windows of 300 bp drawn from the shared
/// hg38 chr16 chunk, hotspots planted in AXIN1 (NM_003502) and PDIA2 (NM_006849), a small conv + QRNN classifier,
/// Grad-CAM on the QRNN (or DeepLIFT-SHAP) of a "scan" set drawn with half its windows anywhere on the chunk (so
/// that every gene is covered), and genes ranked by their exonic score, tumour minus normal, tested by
/// permuting the classes. tools/cancer_workflow.sh runs the full-size version (1000-bp windows).
/// </summary>
internal sealed class CancerWorkflow : IDisposable
{
    public const string Fa = "genome/augustus_cgp_hg38_chr16_186964-397118.fa";

    public const string Gtf = "genome/augustus_cgp_refseq.hg38.gtf";

    private const string Spec = """
        {
          "format": "seqlens-model", "version": 1,
          "inputs": [ { "name": "dna", "shape": [4, 300] } ],
          "nodes": [
            { "name": "conv1", "op": "Conv1d", "inputs": ["dna"], "attributes": { "out_channels": 32, "kernel_size": 9, "padding": "same" } },
            { "name": "relu1", "op": "Relu", "inputs": ["conv1"] },
            { "name": "qrnn.gates", "op": "Conv1d", "inputs": ["relu1"], "attributes": { "out_channels": 96, "kernel_size": 2, "padding": [1, 0] } },
            { "name": "qrnn", "op": "QuasiRecurrentPool", "inputs": ["qrnn.gates"], "attributes": { "hidden": 32 } },
            { "name": "pool", "op": "GlobalMaxPool", "inputs": ["qrnn"] },
            { "name": "logits", "op": "Dense", "inputs": ["pool"], "attributes": { "out_features": 1 } }
          ],
          "outputs": [ { "node": "logits", "activation": "sigmoid" } ]
        }
        """;

    public CancerWorkflow()
    {
        Dir = Path.Combine(Path.GetTempPath(), "seqlens-cancer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
        File.WriteAllText(Path.Combine(Dir, "spec.json"), Spec);
    }

    public string Dir { get; }

    public string this[string name] => Path.Combine(Dir, name);

    public static string Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = SeqLensCli.Run(args, stdout, stderr);
        Assert.True(code == 0, $"seqlens {string.Join(' ', args)} failed: {stderr}");
        return stdout.ToString();
    }

    /// <summary>Simulates <paramref name="n"/> windows into folder <paramref name="name"/>; the same hotspots for every seed.</summary>
    /// <param name="name">Output folder name.</param>
    /// <param name="n">Windows.</param>
    /// <param name="seed">Seed of the windows.</param>
    /// <param name="targetFraction">Fraction drawn over a hotspot (the rest anywhere on the chunk, so every gene gets covered).</param>
    /// <param name="shuffleLabels">Seed of a label shuffle (negative control), or null.</param>
    public void Simulate(string name, int n, long seed, double targetFraction = 0.95, long? shuffleLabels = null)
    {
        string[] args =
        [
            "simulate", "--preset", "cancer", "--genome", SharedData.Require(Fa), "--annotation", SharedData.Require(Gtf),
            "--genes", "AXIN1=NM_003502,PDIA2=NM_006849", "--n", n.ToString(CultureInfo.InvariantCulture), "--length", "300",
            "--target-fraction", targetFraction.ToString(CultureInfo.InvariantCulture), "--target-unit", "hotspot", "--hotspots", "10", "--hotspot-rate", "0.95",
            "--seed", seed.ToString(CultureInfo.InvariantCulture), "--out", this[name],
        ];
        Run(shuffleLabels is long s ? [.. args, "--shuffle-labels", s.ToString(CultureInfo.InvariantCulture)] : args);
    }

    public void Train(string data, string model, int epochs) => Run(
        "train", "--spec", this["spec.json"], "--fasta", Path.Combine(this[data], "sequences.fa"), "--labels", Path.Combine(this[data], "labels.tsv"),
        "--out", this[model], "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--lr", "0.003", "--seed", "1");

    /// <summary>Test auROC reported by <c>seqlens predict --labels</c>.</summary>
    public double TestAuroc(string model, string data)
    {
        string output = Run("predict", "--model", this[model], "--fasta", Path.Combine(this[data], "sequences.fa"),
            "--labels", Path.Combine(this[data], "labels.tsv"), "--out", this[model + ".preds.tsv"]);
        string line = output.Split('\n').Single(l => l.StartsWith("tumour: auROC ", StringComparison.Ordinal));
        return double.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture);
    }

    /// <summary>Ranked genes (name, q) from <c>seqlens regions</c> on <paramref name="scores"/>, in rank order.</summary>
    public List<(string Gene, double Q)> RankGenes(string scores, string data)
    {
        string ranked = this[scores + ".ranked.tsv"];
        Run("regions", "--scores", this[scores], "--annotation", SharedData.Require(Gtf), "--annotation-offset", "186963",
            "--feature", "gene-exons", "--merge-transcripts", "--names", "AXIN1=NM_003502,PDIA2=NM_006849",
            "--stat", "mean", "--null", "labels", "--labels", Path.Combine(this[data], "labels.tsv"),
            "--permutations", "500", "--seed", "1", "--out", ranked);
        return File.ReadAllLines(ranked).Skip(1).Select(l => l.Split('\t')).Where(c => c[10].Length > 0)
            .Select(c => (c[1], double.Parse(c[9], CultureInfo.InvariantCulture))).ToList();
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
