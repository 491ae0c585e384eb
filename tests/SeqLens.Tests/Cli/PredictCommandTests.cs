using System.Globalization;
using SeqLens.IO.Fasta;
using SeqLens.IO.Models;
using SeqLens.Sequences;
using SeqLens.Training;

namespace SeqLens.Tests.Cli;

public class PredictCommandTests
{
    [Fact]
    public void Predict_WritesOneRowPerSequence_ProbabilitiesAreSigmoidOfLogits()
    {
        using var data = new TrainingCliData(48);
        string model = data.Train("m", 2);
        string probs = data.Path2("p.tsv"), logits = data.Path2("l.tsv");
        var (code, stdout, stderr) = TrainingCliData.Run("predict", "--model", model, "--fasta", data.Fasta, "--out", probs, "--batch-size", "7");
        Assert.True(code == 0, stderr);
        Assert.Contains("48 sequences x 1 task(s) (probabilities)", stdout, StringComparison.Ordinal);
        Assert.Equal(0, TrainingCliData.Run("predict", "--model", model, "--fasta", data.Fasta, "--out", logits, "--logits").Code);

        string[] p = File.ReadAllLines(probs);
        string[] l = File.ReadAllLines(logits);
        Assert.Equal("name\tpositive", p[0]);
        Assert.Equal(49, p.Length);
        Assert.Equal(data.Names, p.Skip(1).Select(r => r.Split('\t')[0]));

        // The logits equal a direct forward pass of the saved model.
        var graph = ModelFile.Load(model).Graph;
        Tensor x = OneHot.Encode(FastaReader.ReadFile(data.Fasta).Select(r => r.Sequence).ToArray());
        Tensor expected = Predictor.Predict(graph, x);
        for (int i = 0; i < 48; i++)
        {
            float logit = float.Parse(l[i + 1].Split('\t')[1], CultureInfo.InvariantCulture);
            float prob = float.Parse(p[i + 1].Split('\t')[1], CultureInfo.InvariantCulture);
            Assert.Equal(expected.Data[i], logit);
            Assert.Equal(1 / (1 + Math.Exp(-logit)), prob, 1e-6);
        }
    }

    [Fact]
    public void Predict_WithLabels_ReportsAurocOfTheWrittenScores()
    {
        using var data = new TrainingCliData(48);
        string model = data.Train("m", 2);
        string probs = data.Path2("p.tsv");
        var (code, stdout, stderr) = TrainingCliData.Run("predict", "--model", model, "--fasta", data.Fasta, "--labels", data.Labels, "--out", probs);
        Assert.True(code == 0, stderr);

        var truth = File.ReadAllLines(data.Labels).Skip(1).Select(r => r.Split('\t')).ToDictionary(r => r[0], r => float.Parse(r[1], CultureInfo.InvariantCulture));
        var rows = File.ReadAllLines(probs).Skip(1).Select(r => r.Split('\t')).ToArray();
        float[] scores = rows.Select(r => float.Parse(r[1], CultureInfo.InvariantCulture)).ToArray();
        float[] labels = rows.Select(r => truth[r[0]]).ToArray();
        double auroc = SeqLens.Training.Metrics.AreaUnderRoc.Compute(scores, labels);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"positive: auROC {auroc:F4}"), stdout, StringComparison.Ordinal);

        // A label table whose task is not the model's is refused.
        string other = data.Path2("other.tsv");
        File.WriteAllLines(other, ["name\tsomething_else", .. truth.Select(kv => kv.Key + "\t" + kv.Value.ToString(CultureInfo.InvariantCulture))]);
        var bad = TrainingCliData.Run("predict", "--model", model, "--fasta", data.Fasta, "--labels", other, "--out", probs);
        Assert.Equal(1, bad.Code);
        Assert.Contains("not the model's", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_WrongLength_NamesRecord_FitLengthCentres()
    {
        using var data = new TrainingCliData(16);
        string model = data.Train("m", 1);
        string fasta = data.Path2("long.fa");
        FastaWriter.WriteFile(fasta, [new FastaRecord("ok", string.Empty, new string('A', 100)), new FastaRecord("long_one", string.Empty, "GG" + new string('A', 100) + "TT")]);
        var (code, _, stderr) = TrainingCliData.Run("predict", "--model", model, "--fasta", fasta, "--out", data.Path2("x.tsv"));
        Assert.Equal(1, code);
        Assert.Contains("record 2 'long_one' has 104 bases; the model takes 100", stderr, StringComparison.Ordinal);

        Assert.Equal(0, TrainingCliData.Run("predict", "--model", model, "--fasta", fasta, "--out", data.Path2("x.tsv"), "--fit-length", "--logits").Code);
        string[] rows = File.ReadAllLines(data.Path2("x.tsv"));
        // Centre-cropping GG·A100·TT gives A100, so both rows score the same.
        Assert.Equal(rows[1].Split('\t')[1], rows[2].Split('\t')[1]);
    }

    [Fact]
    public void Predict_ModelWithoutWeights_ClearError()
    {
        using var data = new TrainingCliData(8);
        Directory.CreateDirectory(data.Path2("spec-only"));
        File.Copy(data.SpecPath, Path.Combine(data.Path2("spec-only"), "model.json"));
        var (code, _, stderr) = TrainingCliData.Run("predict", "--model", data.Path2("spec-only"), "--fasta", data.Fasta, "--out", data.Path2("x.tsv"));
        Assert.Equal(1, code);
        Assert.Contains("no model.safetensors beside it", stderr, StringComparison.Ordinal);
    }
}
