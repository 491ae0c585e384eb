using SeqLens.Cli;
using SeqLens.IO.Fasta;
using SeqLens.Sequences.Simulation;

namespace SeqLens.Tests.Cli;

/// <summary>A temporary folder with small simulated FASTA/label files and a tiny spec for the train/predict/demo CLI tests.</summary>
internal sealed class TrainingCliData : IDisposable
{
    public const string Spec = """
        {
          "format": "seqlens-model", "version": 1,
          "inputs": [ { "name": "dna", "shape": [4, 100] } ],
          "nodes": [
            { "name": "conv", "op": "Conv1d", "inputs": ["dna"], "attributes": { "out_channels": 8, "kernel_size": 9 } },
            { "name": "relu", "op": "Relu", "inputs": ["conv"] },
            { "name": "pool", "op": "GlobalMaxPool", "inputs": ["relu"] },
            { "name": "logits", "op": "Dense", "inputs": ["pool"], "attributes": { "out_features": 1 } }
          ],
          "outputs": [ { "node": "logits" } ]
        }
        """;

    public TrainingCliData(int count = 160)
    {
        Dir = Directory.CreateTempSubdirectory("seqlens-cli-").FullName;
        SimulationResult sim = Simulator.Generate(SimulationPresets.Simple(), count, null, 3);
        SimulationWriter.Write(Dir, sim);
        FastaWriter.WriteFile(Pos, sim.Sequences.Where(s => s.Labels[0] == 1).Select(s => new FastaRecord(s.Name, string.Empty, s.Sequence)));
        FastaWriter.WriteFile(Neg, sim.Sequences.Where(s => s.Labels[0] == 0).Select(s => new FastaRecord(s.Name, string.Empty, s.Sequence)));
        File.WriteAllText(SpecPath, Spec);
        Names = sim.Sequences.Select(s => s.Name).ToArray();
    }

    public string Dir { get; }

    public string Fasta => Path.Combine(Dir, "sequences.fa");

    public string Labels => Path.Combine(Dir, "labels.tsv");

    public string Pos => Path.Combine(Dir, "pos.fa");

    public string Neg => Path.Combine(Dir, "neg.fa");

    public string SpecPath => Path.Combine(Dir, "spec.json");

    public IReadOnlyList<string> Names { get; }

    public string Path2(string name) => Path.Combine(Dir, name);

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = SeqLensCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Trains the tiny spec on the simulated files into <paramref name="outName"/>.</summary>
    public string Train(string outName = "model", int epochs = 3, params string[] extra)
    {
        string outDir = Path2(outName);
        var (code, _, err) = Run(["train", "--spec", SpecPath, "--fasta", Fasta, "--labels", Labels, "--out", outDir, "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch-size", "16", "--lr", "0.01", .. extra]);
        Assert.True(code == 0, err);
        return outDir;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
