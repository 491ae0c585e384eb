using SeqLens.Attribution.GradCam;
using SeqLens.IO.Fasta;
using SeqLens.IO.Models;
using SeqLens.IO.Npy;
using SeqLens.Sequences;

namespace SeqLens.Tests.Cli;

public class GradCamCommandTests
{
    [Fact]
    public void GradCam_WritesNpz_EqualToTheLibrary_AnyBatchSize()
    {
        using var data = new TrainingCliData(24);
        string model = data.Train("m", 1);
        string out1 = data.Path2("cam1.npz"), out2 = data.Path2("cam2.npz");
        var (code, stdout, stderr) = TrainingCliData.Run("gradcam", "--model", model, "--fasta", data.Fasta, "--layer", "conv", "--out", out1, "--guided", "--plusplus", "--batch-size", "5");
        Assert.True(code == 0, stderr);
        Assert.Contains("gradcam: 24 sequences, layer conv (92 positions x 8 channels), target positive, Grad-CAM++", stdout, StringComparison.Ordinal);
        Assert.Equal(0, TrainingCliData.Run("gradcam", "--model", model, "--fasta", data.Fasta, "--layer", "conv", "--out", out2, "--guided", "--plusplus", "--target", "0").Code);

        var a = NpzFile.Read(out1).ToDictionary(kv => kv.Key, kv => kv.Value);
        var b = NpzFile.Read(out2).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(["cam", "field_end", "field_start", "guided", "names", "nucleotide", "onehot", "weights"], a.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([24L, 92L], a["cam"].Shape);
        Assert.Equal([24L, 100L], a["nucleotide"].Shape);
        Assert.Equal([24L, 4L, 100L], a["guided"].Shape);
        Assert.Equal([24L, 8L], a["weights"].Shape);
        Assert.Equal(a["nucleotide"].AsSingle(), b["nucleotide"].AsSingle());
        Assert.Equal(Enumerable.Range(0, 92), a["field_start"].AsInt32());
        Assert.Equal(Enumerable.Range(9, 92), a["field_end"].AsInt32());

        var graph = ModelFile.Load(model).Graph;
        Tensor x = OneHot.Encode(FastaReader.ReadFile(data.Fasta).Select(r => r.Sequence).ToArray());
        GradCamResult direct = new GradCamExplainer(graph, "conv", new GradCamOptions { PlusPlus = true, Guided = true }).Attribute(x, new GradCamTarget(0));
        Assert.Equal(direct.Cam.Data, a["cam"].AsSingle());
        Assert.Equal(x.Data, a["onehot"].AsSingle());
        Assert.True(direct.Cam.Data.Any(v => v > 0), "the cam should not be all zero");
    }

    [Fact]
    public void GradCam_NonLocalLayerOrUnknownTask_ClearErrors()
    {
        using var data = new TrainingCliData(8);
        string model = data.Train("m", 1);
        var (code, _, stderr) = TrainingCliData.Run("gradcam", "--model", model, "--fasta", data.Fasta, "--layer", "pool", "--out", data.Path2("x.npz"));
        Assert.Equal(1, code);
        Assert.Contains("'pool'", stderr, StringComparison.Ordinal);
        Assert.Contains("length axis", stderr, StringComparison.Ordinal);
        (code, _, stderr) = TrainingCliData.Run("gradcam", "--model", model, "--fasta", data.Fasta, "--layer", "conv", "--out", data.Path2("x.npz"), "--target", "nope");
        Assert.Equal(1, code);
        Assert.Contains("--target 'nope' is neither a task name", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(data.Path2("x.npz")));
    }
}
