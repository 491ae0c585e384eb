using SeqLens.Graphs;
using SeqLens.Import.Torch;
using SeqLens.IO;
using SeqLens.IO.Torch;
using SeqLens.Tests.Import.Onnx;

namespace SeqLens.Tests.Import.Torch;

/// <summary>
/// The Basset-like model's state dict (Fixtures/OnnxImport/basset_state.pt, from tools/make_onnx_import_fixtures.py)
/// loaded by name into the same architecture built with <see cref="GraphBuilder"/> gives PyTorch's outputs and input
/// gradients within 1e-4 relative.
/// </summary>
public class TorchImporterTests
{
    private static readonly string StatePath = OnnxImportFixtures.Path("basset_state.pt");

    /// <summary>Basset-like: (conv + BN + ReLU + maxpool 2) ×3, flatten, fc1 (32) + ReLU, dropout, fc2 (6 tasks); L = 100.</summary>
    internal static Graph Basset(string[]? names = null, int tasks = 6, bool withFc2 = true, bool extraLayer = false)
    {
        names ??= ["conv1", "bn1", "conv2", "bn2", "conv3", "bn3", "fc1", "fc2"];
        var b = new GraphBuilder(seed: 99);
        Node x = b.Input("x", 4, 100);
        Node h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(x, 12, 7, padding: Padding.Symmetric(3), name: names[0]), name: names[1])), 2);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 16, 5, padding: Padding.Symmetric(2), name: names[2]), name: names[3])), 2);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 16, 3, padding: Padding.Symmetric(1), name: names[4]), name: names[5])), 2);
        h = b.Dropout(b.Relu(b.Dense(b.Flatten(h), 32, name: names[6])), 0.3f, name: "drop");
        if (withFc2)
        {
            h = b.Dense(h, tasks, name: names[7]);
        }

        if (extraLayer)
        {
            h = b.Dense(h, 3, name: "fc3");
        }

        return b.Build(h, activation: OutputActivation.Sigmoid);
    }

    [Fact]
    public void LoadInto_Basset_MatchesPyTorchOutputsAndInputGradients()
    {
        Graph g = Basset();
        TorchImporter.Load(g, StatePath);
        Dictionary<string, Tensor> reference = OnnxImportFixtures.Reference("basset");
        var exec = new Executor(g);
        Tensor logits = exec.Forward(reference["x"]);
        OnnxImportFixtures.AssertClose(reference["logits0"], logits, "logits");
        OnnxImportFixtures.AssertClose(reference["out0"], OnnxImportFixtures.Sigmoid(logits), "probabilities");
        exec.Backward(new Tensor(Enumerable.Repeat(1f, logits.Length).ToArray(), logits.Shape), new BackwardOptions { InputGradients = true, ParameterGradients = false });
        OnnxImportFixtures.AssertClose(reference["grad"], exec.Gradient(g.Inputs[0])!, "input gradient");

        // The running statistics were loaded too (PyTorch's names), and num_batches_tracked was ignored.
        TorchStateDict sd = TorchStateDict.Load(StatePath);
        Assert.Contains("bn1.num_batches_tracked", sd.Keys);
        Assert.Equal(sd["bn2.running_var"].ToFloat32(), ((SeqLens.Graphs.Ops.BatchNorm1dOp)g["bn2"].Op).RunningVar.Value.Data);
    }

    [Fact]
    public void LoadInto_RenamedNodes_UseTheModulePaths()
    {
        Graph g = Basset(["c1", "b1", "c2", "b2", "c3", "b3", "dense1", "dense2"]);
        var paths = new Dictionary<string, string>
        {
            ["c1"] = "conv1", ["b1"] = "bn1", ["c2"] = "conv2", ["b2"] = "bn2", ["c3"] = "conv3", ["b3"] = "bn3", ["dense1"] = "fc1", ["dense2"] = "fc2",
        };
        TorchImporter.Load(g, StatePath, new TorchImportOptions { ModulePaths = paths });
        Graph reference = Basset();
        TorchImporter.Load(reference, StatePath);
        Tensor x = OnnxImportFixtures.Reference("basset")["x"];
        Assert.Equal(new Executor(reference).Forward(x).Data, new Executor(g).Forward(x).Data);
    }

    [Fact]
    public void LoadInto_MissingKeys_AreListed()
    {
        Graph g = Basset(extraLayer: true);
        var ex = Assert.Throws<ParseException>(() => TorchImporter.Load(g, StatePath));
        Assert.Contains("missing keys: fc3.weight, fc3.bias", ex.Message, StringComparison.Ordinal);
        Assert.Contains("basset_state.pt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadInto_UnexpectedKeys_AreAnErrorUnlessIgnored()
    {
        Graph g = Basset(withFc2: false);
        var ex = Assert.Throws<ParseException>(() => TorchImporter.Load(g, StatePath));
        Assert.Contains("unexpected keys (no parameter reads them): fc2.weight, fc2.bias", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("num_batches_tracked", ex.Message, StringComparison.Ordinal);

        TorchImporter.Load(g, StatePath, new TorchImportOptions { IgnoreUnexpected = true });
        Assert.Equal(TorchStateDict.Load(StatePath)["fc1.bias"].ToFloat32(), ((SeqLens.Graphs.Ops.DenseOp)g["fc1"].Op).Bias!.Value.Data);
    }

    [Fact]
    public void LoadInto_ShapeMismatch_NamesKeyAndBothShapes_AndWritesNothing()
    {
        Graph g = Basset(tasks: 7);
        float[] before = (float[])((SeqLens.Graphs.Ops.Conv1dOp)g["conv1"].Op).Weight.Value.Data.Clone();
        var ex = Assert.Throws<ParseException>(() => TorchImporter.Load(g, StatePath));
        Assert.Contains("fc2.weight: the graph expects (7, 32), the file has (6, 32)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fc2.bias: the graph expects (7), the file has (6)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, ((SeqLens.Graphs.Ops.Conv1dOp)g["conv1"].Op).Weight.Value.Data);
    }

    [Fact]
    public void Sub_StripsACheckpointPrefix()
    {
        TorchStateDict sd = TorchStateDict.Load(StatePath);
        Assert.Empty(sd.Sub("module").Keys);
        var ex = Assert.Throws<ParseException>(() => TorchImporter.LoadInto(Basset(), sd.Sub("module")));
        Assert.Contains("missing keys: conv1.weight", ex.Message, StringComparison.Ordinal);
    }
}
