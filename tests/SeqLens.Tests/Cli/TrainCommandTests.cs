using System.Text.Json.Nodes;
using SeqLens.IO.Fasta;
using SeqLens.IO.Models;

namespace SeqLens.Tests.Cli;

public class TrainCommandTests
{
    [Fact]
    public void Train_FastaAndLabels_WritesModelLogAndMetadata()
    {
        using var data = new TrainingCliData();
        string outDir = data.Path2("m");
        var (code, stdout, stderr) = TrainingCliData.Run("train", "--spec", data.SpecPath, "--fasta", data.Fasta, "--labels", data.Labels, "--out", outDir, "--epochs", "3", "--batch-size", "16", "--seed", "5", "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.StartsWith("trained: best epoch ", stdout, StringComparison.Ordinal);
        Assert.Contains("validation auROC positive ", stdout, StringComparison.Ordinal);
        Assert.Contains("epoch 1/3", stderr, StringComparison.Ordinal);

        string[] log = File.ReadAllLines(Path.Combine(outDir, "training_log.tsv"));
        Assert.Equal("epoch\ttrain_loss\tvalid_loss\tlearning_rate\tauroc_positive\tauprc_positive\tbest", log[0]);
        Assert.Equal(4, log.Length);
        Assert.Single(log.Skip(1), l => l.EndsWith("\t1", StringComparison.Ordinal));

        LoadedModel model = ModelFile.Load(outDir);
        Assert.Equal(["positive"], model.Graph.Outputs[0].TaskNames);
        JsonNode training = model.Metadata["training"]!;
        Assert.Equal(5, training["seed"]!.GetValue<long>());
        Assert.Equal(16, training["valid_sequences"]!.GetValue<int>());
        Assert.Equal(144, training["train_sequences"]!.GetValue<int>());
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp"));
    }

    [Fact]
    public void Train_SameSeed_IdenticalWeights_DifferentSeedDiffers()
    {
        using var data = new TrainingCliData(64);
        string a = data.Train("a", 2, "--seed", "9");
        string b = data.Train("b", 2, "--seed", "9", "--threads", "1");
        string c = data.Train("c", 2, "--seed", "10");
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "model.safetensors")), File.ReadAllBytes(Path.Combine(b, "model.safetensors")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a, "model.safetensors")), File.ReadAllBytes(Path.Combine(c, "model.safetensors")));
    }

    [Fact]
    public void Train_PositivesAndNegatives_UsesSpecTaskName()
    {
        using var data = new TrainingCliData(64);
        string outDir = data.Path2("pn");
        var (code, stdout, stderr) = TrainingCliData.Run("train", "--spec", data.SpecPath, "--pos", data.Pos, "--neg", data.Neg, "--out", outDir, "--epochs", "2", "--valid-fraction", "0.25", "--monitor", "auroc", "--optimizer", "adamw", "--max-grad-norm", "1", "--plateau-factor", "0.5");
        Assert.True(code == 0, stderr);
        Assert.Contains("validation auROC task0 ", stdout, StringComparison.Ordinal);
        LoadedModel model = ModelFile.Load(outDir);
        Assert.Equal(["task0"], model.Graph.Outputs[0].TaskNames);
        Assert.Equal(1.0, model.Metadata["training"]!["max_gradient_norm"]!.GetValue<double>());
        Assert.Equal(0.5, model.Metadata["training"]!["plateau_factor"]!.GetValue<double>());
        Assert.Equal("adamw", model.Metadata["training"]!["optimizer"]!.GetValue<string>());
    }

    [Fact]
    public void Train_BothInputKinds_IsUsageError()
    {
        using var data = new TrainingCliData(20);
        var (code, _, stderr) = TrainingCliData.Run("train", "--spec", data.SpecPath, "--pos", data.Pos, "--fasta", data.Fasta, "--labels", data.Labels, "--out", data.Path2("x"));
        Assert.Equal(1, code);
        Assert.Contains("Give either --pos and --neg, or --fasta and --labels", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_WrongLength_NamesRecord_UnlessFitLength()
    {
        using var data = new TrainingCliData(40);
        var records = FastaReader.ReadFile(data.Fasta).ToList();
        records[7] = records[7] with { Sequence = records[7].Sequence[..90] };
        string fasta = data.Path2("short.fa");
        FastaWriter.WriteFile(fasta, records);
        var (code, _, stderr) = TrainingCliData.Run("train", "--spec", data.SpecPath, "--fasta", fasta, "--labels", data.Labels, "--out", data.Path2("x"), "--epochs", "1");
        Assert.Equal(1, code);
        Assert.Contains($"record 8 '{records[7].Id}' has 90 bases; the model takes 100", stderr, StringComparison.Ordinal);
        Assert.Contains("short.fa", stderr, StringComparison.Ordinal);
        Assert.Equal(0, TrainingCliData.Run("train", "--spec", data.SpecPath, "--fasta", fasta, "--labels", data.Labels, "--out", data.Path2("x"), "--epochs", "1", "--fit-length").Code);
    }

    [Fact]
    public void Train_LabelsMissingForRecord_NamesIt()
    {
        using var data = new TrainingCliData(20);
        string[] lines = File.ReadAllLines(data.Labels);
        string labels = data.Path2("partial.tsv");
        File.WriteAllLines(labels, lines.Where((_, i) => i != 3));
        var (code, _, stderr) = TrainingCliData.Run("train", "--spec", data.SpecPath, "--fasta", data.Fasta, "--labels", labels, "--out", data.Path2("x"));
        Assert.Equal(1, code);
        Assert.Contains($"no labels for sequence '{data.Names[2]}'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_BadLabelValue_GivesLineAndColumn()
    {
        using var data = new TrainingCliData(20);
        string labels = data.Path2("bad.tsv");
        File.WriteAllText(labels, "name\tpositive\nseq_a\t1\nseq_b\tyes\n");
        var (code, _, stderr) = TrainingCliData.Run("train", "--spec", data.SpecPath, "--fasta", data.Fasta, "--labels", labels, "--out", data.Path2("x"));
        Assert.Equal(1, code);
        Assert.Contains("bad.tsv:3:7: task 'positive': expected a number, NA or empty; got 'yes'", stderr, StringComparison.Ordinal);
    }
}
