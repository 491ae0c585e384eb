using SeqLens.Attribution;
using SeqLens.Graphs;
using SeqLens.IO.Npy;

namespace SeqLens.Tests.Attribution;

/// <summary>Targets (tasks, aggregates, contrasts, softmax, neurons), node contributions and the npz output.</summary>
public class TargetTests
{
    private const int Length = 16;

    private static DeepLiftResult Shap(Graph g, Tensor x, AttributionTarget t)
        => new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(3, 4)).Attribute(x, t);

    [Fact]
    public void ContrastAndAggregates_AreLinearInTheTasks()
    {
        Graph g = AttributionModels.Mixed(Length);
        Tensor x = AttributionModels.RandomDna(2, Length, 31);
        float[] t0 = Shap(g, x, AttributionTarget.Task(0)).Hypothetical!.Data;
        float[] t2 = Shap(g, x, AttributionTarget.Task(2)).Hypothetical!.Data;
        float[] contrast = Shap(g, x, AttributionTarget.Contrast(0, 2)).Hypothetical!.Data;
        float[] mean = Shap(g, x, AttributionTarget.Tasks([0, 2], TaskAggregation.Mean)).Hypothetical!.Data;
        for (int k = 0; k < t0.Length; k++)
        {
            Assert.Equal(t0[k] - t2[k], contrast[k], 4);
            Assert.Equal((t0[k] + t2[k]) / 2, mean[k], 4);
        }
    }

    [Fact]
    public void SoftmaxOutput_IsAttributedThroughItsLogits_AndMeanNormalisationIsAContrastWithTheMean()
    {
        Graph logits = AttributionModels.Mixed(Length, seed: 8);
        Graph softmax = WithSoftmax(Length, seed: 8);
        Tensor x = AttributionModels.RandomDna(2, Length, 32);
        float[] a = Shap(logits, x, AttributionTarget.Task(1)).Hypothetical!.Data;
        float[] b = Shap(softmax, x, AttributionTarget.Task(1)).Hypothetical!.Data;
        Assert.Equal(a, b);
        float[] norm = Shap(softmax, x, AttributionTarget.Task(1) with { MeanNormalized = true }).Hypothetical!.Data;
        float[] t0 = Shap(logits, x, AttributionTarget.Task(0)).Hypothetical!.Data;
        float[] t2 = Shap(logits, x, AttributionTarget.Task(2)).Hypothetical!.Data;
        for (int k = 0; k < a.Length; k++)
        {
            Assert.Equal(a[k] - ((t0[k] + a[k] + t2[k]) / 3), norm[k], 4);
        }
    }

    [Fact]
    public void NeuronTarget_ContributionsSumToThatNeuronsDelta()
    {
        Graph g = AttributionModels.Mixed(Length);
        Tensor x = AttributionModels.RandomDna(2, Length, 33);
        DeepLiftResult r = Shap(g, x, AttributionTarget.Neuron("fc1", 5));
        Assert.True(r.Audit!.Passed, $"max delta {r.Audit.MaxDelta}");
        Assert.Contains(r.TargetDeltas, d => Math.Abs(d) > 1e-3);
        Assert.Throws<ArgumentException>(() => Shap(g, x, AttributionTarget.Neuron("fc1", 8)));
        Assert.Throws<ArgumentException>(() => Shap(g, x, AttributionTarget.Task(3)));
    }

    [Fact]
    public void NodeContributions_OfAFullLayer_SumToTheTargetDelta()
    {
        // Every path from the input to the output crosses 'residual', so its neurons' scores sum to f(x) − f(x0).
        Graph g = AttributionModels.Mixed(Length);
        Tensor x = AttributionModels.RandomDna(2, Length, 34);
        var refs = AttributionReferences.DinucleotideShuffles(3, 4);
        var dl = new DeepLift(g, new DeepLiftOptions { Rule = DeepLiftRule.Genomics });
        DeepLiftResult r = dl.Attribute(x, refs, AttributionTarget.Task(0));
        Tensor node = dl.NodeContributions(x, refs, AttributionTarget.Task(0), "residual");
        Assert.Equal([2, 6, Length], node.Shape);
        int size = 6 * Length;
        for (int i = 0; i < 2; i++)
        {
            double sum = node.Data.AsSpan(i * size, size).ToArray().Sum(v => (double)v);
            double expected = r.TargetDeltas.Skip(i * 3).Take(3).Average();
            Assert.Equal(expected, sum, 3);
        }
    }

    [Fact]
    public void Npz_HoldsScoresAndMetadata_ModiscoFilesHoldArr0()
    {
        Graph g = AttributionModels.Mixed(Length);
        Tensor x = AttributionModels.RandomDna(2, Length, 35);
        DeepLiftResult r = Shap(g, x, AttributionTarget.Task(0));
        string dir = Path.Combine(Path.GetTempPath(), "seqlens-attr-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "scores.npz");
            AttributionNpz.Write(path, r, x, ["s1", "s2"]);
            var members = NpzFile.Read(path).ToDictionary(kv => kv.Key, kv => kv.Value);
            Assert.Equal(r.Contributions.Data, members["contrib"].AsSingle());
            Assert.Equal(r.Hypothetical!.Data, members["hypothetical"].AsSingle());
            Assert.Equal(x.Data, members["onehot"].AsSingle());
            Assert.Equal([2L, 3L], members["delta"].Shape);
            Assert.Equal(["s1", "s2"], members["names"].AsStrings());
            Assert.Equal("deeplift-shap", members["method"].AsStrings()[0]);
            Assert.Equal("rescale", members["rule"].AsStrings()[0]);
            Assert.Equal("dinucleotide-shuffle x3", members["references"].AsStrings()[0]);
            Assert.Equal(ModelHash.Compute(g), members["model_hash"].AsStrings()[0]);
            Assert.Equal(4L, members["seed"].AsInt64()[0]);

            AttributionNpz.WriteModisco(Path.Combine(dir, "ohe.npz"), Path.Combine(dir, "shap.npz"), r, x);
            var shap = NpzFile.Read(Path.Combine(dir, "shap.npz"));
            Assert.Equal("arr_0", Assert.Single(shap).Key);
            Assert.Equal([2L, 4L, Length], shap[0].Value.Shape);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void ModelHash_ChangesWithAWeight()
    {
        Graph g = AttributionModels.Linear(4);
        string a = ModelHash.Compute(g);
        ((SeqLens.Graphs.Ops.DenseOp)g["out"].Op).Weight.Value.Data[3] += 1e-3f;
        Assert.NotEqual(a, ModelHash.Compute(g));
        Assert.StartsWith("sha256:", a, StringComparison.Ordinal);
    }

    private static Graph WithSoftmax(int length, long seed)
    {
        Graph inner = AttributionModels.Mixed(length, seed);
        var b = new GraphBuilder(seed);
        // Rebuild the same network (same seed, same calls) and append a softmax.
        Node x = b.Input("dna", 4, length);
        Node h = b.Relu(b.BatchNorm1d(b.Conv1d(x, 6, 5, padding: Padding.Same, name: "conv1"), name: "bn1"), name: "relu1");
        Node d = b.Relu(b.Conv1d(h, 6, 3, dilation: 2, padding: Padding.Same, name: "dconv"), name: "relu2");
        Node r = b.Add(h, d, name: "residual");
        Node gate = b.Mul(b.Elu(r, name: "elu"), b.Sigmoid(b.Conv1d(r, 6, 1, name: "gateconv"), name: "sig"), name: "gate");
        Node p = b.MaxPool1d(gate, 3, name: "pool");
        Node a = b.AvgPool1d(p, 2, name: "avg");
        Node f = b.Relu(b.Dense(b.Flatten(a), 8, name: "fc1"), name: "relu3");
        Node o = b.Dense(f, 3, name: "out");
        AttributionModels.RandomiseBatchNorm((SeqLens.Graphs.Ops.BatchNorm1dOp)b.Nodes.First(n => n.Name == "bn1").Op, seed);
        Graph g = b.Build(b.Softmax(o, name: "probs"), activation: OutputActivation.None);
        Assert.Equal(ModelHash.Compute(inner).Length, ModelHash.Compute(g).Length);
        return g;
    }
}
