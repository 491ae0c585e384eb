using SeqLens.Attribution.Ism;
using SeqLens.Graphs;
using SeqLens.IO.Fasta;
using SeqLens.IO.Models;
using SeqLens.IO.Npy;
using SeqLens.Sequences;
using SeqLens.Tests.Attribution.Ism;

namespace SeqLens.Tests.Cli;

public sealed class IsmCommandTests : IDisposable
{
    private const int Length = 24;
    private readonly string _dir = Directory.CreateTempSubdirectory("seqlens-ism-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (string Model, string Fasta, Graph Graph) Setup()
    {
        Graph graph = IsmTestModels.Create("concat-branches", Length);
        string model = Path.Combine(_dir, "model");
        ModelFile.Save(graph, model);
        string fasta = Path.Combine(_dir, "x.fa");
        var rng = new Rng(8);
        string Seq() => new(Enumerable.Range(0, Length).Select(_ => "ACGT"[rng.NextInt(4)]).ToArray());
        FastaWriter.WriteFile(fasta, [new FastaRecord("s1", string.Empty, Seq()), new FastaRecord("s2", string.Empty, "N" + Seq()[1..])]);
        return (model, fasta, ModelFile.Load(model).Graph);
    }

    [Fact]
    public void Ism_WritesNpz_EqualToLibrary()
    {
        var (model, fasta, graph) = Setup();
        string output = Path.Combine(_dir, "ism.npz");
        var (code, stdout, stderr) = TrainingCliData.Run("ism", "--model", model, "--fasta", fasta, "--out", output, "--start", "2", "--end", "20", "--rc-average", "--batch-size", "17");
        Assert.True(code == 0, stderr);
        Assert.Contains("ism: 2 sequences x 3 task(s), positions [2, 20), difference, RC-averaged", stdout, StringComparison.Ordinal);

        var arrays = NpzFile.Read(output).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(["names", "onehot", "tasks", "reference", "ism"], arrays.Keys);
        Assert.Equal([2L, 3, 4, Length], arrays["ism"].Shape);
        Tensor x = OneHot.Encode(FastaReader.ReadFile(fasta).Select(r => r.Sequence).ToArray());
        Assert.Equal(x.Data, arrays["onehot"].AsSingle());
        IsmResult expected = new InSilicoMutagenesis(graph, new IsmOptions { Start = 2, End = 20, ReverseComplementAverage = true, Method = IsmMethod.Naive })
            .Attribute(x);
        float[] got = arrays["ism"].AsSingle();
        for (int i = 0; i < got.Length; i++)
        {
            Assert.Equal(expected.Scores.Data[i], got[i], 1e-4);
        }

        Assert.Equal(expected.Reference.Data, arrays["reference"].AsSingle());
    }

    [Fact]
    public void Ism_BadScore_IsAnError()
    {
        var (model, fasta, _) = Setup();
        var (code, _, stderr) = TrainingCliData.Run("ism", "--model", model, "--fasta", fasta, "--out", Path.Combine(_dir, "o.npz"), "--score", "ratio");
        Assert.Equal(1, code);
        Assert.Contains("--score must be difference or log-ratio; got 'ratio'", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "o.npz")));
    }
}
