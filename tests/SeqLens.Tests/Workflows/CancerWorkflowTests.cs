using System.Globalization;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Workflows;

public class CancerWorkflowTests
{
    [SharedDataFact(CancerWorkflow.Fa, CancerWorkflow.Gtf)]
    public void QrnnLearnsThePlantedGenes_GradCamAndDeepLiftRankThemFirst()
    {
        using var w = new CancerWorkflow();
        w.Simulate("train", 4000, seed: 1);
        w.Simulate("test", 1000, seed: 2);
        w.Simulate("scan", 2000, seed: 3, targetFraction: 0.5);
        w.Train("train", "model", epochs: 12);
        double auroc = w.TestAuroc("model", "test");
        Assert.True(auroc >= 0.9, string.Create(CultureInfo.InvariantCulture, $"test auROC {auroc}"));

        string scanFasta = Path.Combine(w["scan"], "sequences.fa");
        CancerWorkflow.Run("gradcam", "--model", w["model"], "--fasta", scanFasta, "--layer", "qrnn", "--out", w["cam.npz"]);
        CancerWorkflow.Run("attribute", "--model", w["model"], "--fasta", scanFasta, "--method", "deeplift-shap", "--refs", "5", "--out", w["deeplift.npz"]);
        foreach (string scores in new[] { "cam.npz", "deeplift.npz" })
        {
            var genes = w.RankGenes(scores, "scan");
            string table = string.Join("; ", genes.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Gene} q={g.Q:G3}")));
            Assert.True(genes.Take(2).Select(g => g.Gene).Order(StringComparer.Ordinal).SequenceEqual(["AXIN1", "PDIA2"]), $"{scores}: {table}");
            Assert.True(genes[0].Q < 0.05 && genes[1].Q < 0.05, $"{scores}: {table}");
            Assert.True(genes.Count >= 7, $"{scores}: only {genes.Count} genes covered: {table}");
        }
    }
}

public class CancerWorkflowShuffledLabelsTests
{
    [SharedDataFact(CancerWorkflow.Fa, CancerWorkflow.Gtf)]
    public void WithShuffledLabels_NoGeneIsSignificant()
    {
        using var w = new CancerWorkflow();
        w.Simulate("train", 4000, seed: 1, shuffleLabels: 1);
        w.Simulate("test", 1000, seed: 2, shuffleLabels: 2);
        w.Simulate("scan", 2000, seed: 3, targetFraction: 0.5, shuffleLabels: 3);
        w.Train("train", "model", epochs: 6);
        double auroc = w.TestAuroc("model", "test");
        Assert.InRange(auroc, 0.4, 0.6);

        CancerWorkflow.Run("gradcam", "--model", w["model"], "--fasta", Path.Combine(w["scan"], "sequences.fa"), "--layer", "qrnn", "--out", w["cam.npz"]);
        var genes = w.RankGenes("cam.npz", "scan");
        Assert.True(genes.Count >= 7, $"only {genes.Count} genes covered");
        Assert.All(genes, g => Assert.True(g.Q >= 0.05, string.Create(CultureInfo.InvariantCulture, $"{g.Gene} q={g.Q} under shuffled labels")));
    }
}
