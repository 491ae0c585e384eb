using SeqLens.Attribution;
using SeqLens.IO.Models;
using SeqLens.IO.Npy;

namespace SeqLens.Tests.Cli;

public class AttributeCommandTests
{
    [Fact]
    public void Attribute_DeepLiftShap_WritesNpzAndModiscoFiles_MatchingTheLibrary()
    {
        using var data = new TrainingCliData(6);
        string model = data.Train("m", 1);
        string npz = data.Path2("scores.npz");
        var (code, stdout, stderr) = TrainingCliData.Run("attribute", "--model", model, "--fasta", data.Fasta, "--out", npz, "--refs", "3", "--seed", "5", "--modisco", "--batch-size", "4");
        Assert.True(code == 0, stderr);
        Assert.Contains("6 sequences, deeplift-shap rescale (task 0)", stdout, StringComparison.Ordinal);
        var members = NpzFile.Read(npz).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal([6L, 4L, 100L], members["contrib"].Shape);
        Assert.Equal([6L, 3L], members["delta"].Shape);
        Assert.Equal(data.Names, members["names"].AsStrings());
        Assert.Equal(5L, members["seed"].AsInt64()[0]);

        var graph = ModelFile.Load(model).Graph;
        Assert.Equal(ModelHash.Compute(graph), members["model_hash"].AsStrings()[0]);
        var x = members["onehot"].ToTensor();
        DeepLiftResult direct = new DeepLiftShap(graph, AttributionReferences.DinucleotideShuffles(3, 5)).Attribute(x, AttributionTarget.Task(0));
        Assert.Equal(direct.Hypothetical!.Data, members["hypothetical"].AsSingle());
        Assert.Equal(direct.Hypothetical.Data, NpzFile.Read(data.Path2("scores.shap.npz")).Single().Value.AsSingle());
        Assert.Equal(x.Data, NpzFile.Read(data.Path2("scores.ohe.npz")).Single().Value.AsSingle());
    }

    [Fact]
    public void Attribute_BadOptions_ClearErrors()
    {
        using var data = new TrainingCliData(4);
        string model = data.Train("m", 1);
        var (code, _, stderr) = TrainingCliData.Run("attribute", "--model", model, "--fasta", data.Fasta, "--out", data.Path2("x.npz"), "--method", "magic");
        Assert.Equal(1, code);
        Assert.Contains("--method must be", stderr, StringComparison.Ordinal);
        (code, _, stderr) = TrainingCliData.Run("attribute", "--model", model, "--fasta", data.Fasta, "--out", data.Path2("x.npz"), "--target", "7");
        Assert.Equal(1, code);
        Assert.Contains("neither a task index", stderr, StringComparison.Ordinal);
        foreach (string method in new[] { "saliency", "grad-x-input", "ig", "deeplift" })
        {
            (code, _, stderr) = TrainingCliData.Run("attribute", "--model", model, "--fasta", data.Fasta, "--out", data.Path2(method + ".npz"), "--method", method, "--steps", "4", "--rule", "genomics");
            Assert.True(code == 0, method + ": " + stderr);
        }
    }
}
