using SeqLens.Attribution;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Kernels;
using SeqLens.Tests.Attribution;

namespace SeqLens.Tests.Graphs;

/// <summary>Executor.FoldBatchNorm / FuseRelu: evaluation batch-norms folded into convolutions, ReLUs in the epilogue.</summary>
public class BatchNormFoldTests
{
    /// <summary>conv1 → bn1 → relu → pool → conv2 (no bias) → bn2 (no affine) → relu → dense; long enough for the sparse conv2 backward (32 × 146 outputs).</summary>
    private static Graph Model()
    {
        var b = new GraphBuilder(21);
        Node x = b.Input("dna", 4, 300);
        Node h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(x, 24, 7, padding: Padding.Same, name: "conv1"), name: "bn1"), name: "relu1"), 2);
        Node c2 = b.Conv1d(h, 32, 5, bias: false, name: "conv2");
        Node bn2 = b.BatchNorm1d(c2, affine: false, name: "bn2");
        h = b.MaxPool1d(b.Relu(bn2, name: "relu2"), 2);
        Node f = b.Relu(b.Dense(b.Flatten(h), 12));
        Graph g = b.Build(b.Dense(f, 3, name: "out"), activation: OutputActivation.None);
        AttributionModels.RandomiseBatchNorm((BatchNorm1dOp)g["bn1"].Op, 5);
        var bn = (BatchNorm1dOp)g["bn2"].Op;
        var rng = new Rng(9);
        for (int c = 0; c < bn.Channels; c++)
        {
            bn.RunningMean.Value.Data[c] = (float)((rng.NextDouble() * 0.4) - 0.2);
            bn.RunningVar.Value.Data[c] = (float)(0.3 + rng.NextDouble());
        }

        return g;
    }

    private static (float[] Output, float[] InputGrad) Run(Graph g, Tensor x, bool fold, bool fuseRelu, int threads = 2)
    {
        int saved = KernelThreads.MaxDegree;
        try
        {
            KernelThreads.MaxDegree = threads;
            var exec = new Executor(g) { FoldBatchNorm = fold, FuseRelu = fuseRelu };
            float[] y = (float[])exec.Forward(x).Data.Clone();
            var seed = new Tensor(x.Shape[0], 3);
            for (int r = 0; r < x.Shape[0]; r++)
            {
                seed[r, r % 3] = 1f;
                seed[r, (r + 1) % 3] = -0.5f;
            }

            exec.Backward(seed, BackwardOptions.InputOnly);
            return (y, (float[])exec.Gradient(g.Inputs[0])!.Data.Clone());
        }
        finally
        {
            KernelThreads.MaxDegree = saved;
        }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        double scale = expected.Max(v => Math.Abs(v));
        Assert.True(scale > 1e-3, "the values are not trivially zero");
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-5 * scale, $"element {k}: {actual[k]} vs unfolded {expected[k]}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Folded_MatchesUnfolded_OutputAndInputGradient(bool fuseRelu)
    {
        Graph g = Model();
        Tensor x = AttributionModels.RandomDna(5, 300, 3);
        (float[] y0, float[] g0) = Run(g, x, fold: false, fuseRelu: false);
        (float[] y1, float[] g1) = Run(g, x, fold: true, fuseRelu: fuseRelu);
        AssertClose(y0, y1);
        AssertClose(g0, g1);
        Assert.NotEqual(y0, y1); // the fold really ran (other rounding)
    }

    [Fact]
    public void Folded_BitIdenticalForOneAndTwoThreads()
    {
        Graph g = Model();
        Tensor x = AttributionModels.RandomDna(6, 300, 4);
        (float[] y1, float[] g1) = Run(g, x, fold: true, fuseRelu: true, threads: 1);
        (float[] y2, float[] g2) = Run(g, x, fold: true, fuseRelu: true, threads: 2);
        Assert.Equal(y1, y2);
        Assert.Equal(g1, g2);
    }

    [Fact]
    public void Folded_NodesAreNotObservable_UnlessKept()
    {
        Graph g = Model();
        Tensor x = AttributionModels.RandomDna(2, 300, 5);
        var exec = new Executor(g) { FoldBatchNorm = true, FuseRelu = true };
        exec.Forward(x);
        var ex = Assert.Throws<InvalidOperationException>(() => exec.Value("conv2"));
        Assert.Contains("conv2", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => exec.Value("bn1"));
        Tensor relu = exec.Value("relu1");

        var reference = new Executor(g);
        reference.Forward(x);
        AssertClose(reference.Value("relu1").Data, relu.Data);

        // Kept nodes stay: conv1 kept ⇒ bn1 runs on its own; bn2 kept ⇒ conv2 folds into it but relu2 is not fused.
        exec.KeepNodes = new HashSet<Node> { g["conv1"], g["bn2"] };
        exec.Forward(x);
        Assert.Equal(reference.Value("conv1").Data, exec.Value("conv1").Data);
        AssertClose(reference.Value("bn2").Data, exec.Value("bn2").Data);
        Assert.Throws<InvalidOperationException>(() => exec.Value("conv2"));
    }

    [Fact]
    public void Folded_RejectsDeepLiftRulesWithFusedRelusAndParameterGradients_TrainingDoesNotFold()
    {
        Graph g = Model();
        Tensor x = AttributionModels.RandomDna(2, 300, 6);
        var exec = new Executor(g) { FoldBatchNorm = true, FuseRelu = true };
        exec.Forward(x);
        var seed = new Tensor(2, 3);
        seed[1, 0] = 1f;
        var rules = new BackwardOptions { NodeRules = DeepLiftRules.Resolve(g, DeepLiftRule.Rescale), Pairs = RowPairs.Shared(1, 1), InputGradients = true };
        Assert.Throws<InvalidOperationException>(() => exec.Backward(seed, rules));
        exec.FuseRelu = false;
        exec.Forward(x);
        exec.Backward(seed, rules); // DeepLIFT rules are fine on folded pairs whose ReLU input is kept
        Assert.Throws<InvalidOperationException>(() => exec.Backward(seed, new BackwardOptions { ParameterGradients = true }));

        exec.Training = true;
        exec.Forward(x);
        Assert.Equal(x.Shape[0], exec.Value("conv2").Shape[0]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void IntegratedGradients_FoldedMatchesUnfolded(bool linearFirstLayer)
    {
        Graph g = Model();
        Tensor x = AttributionModels.RandomDna(2, 300, 7);
        AttributionReferences refs = AttributionReferences.DinucleotideShuffles(2, 3);
        AttributionResult folded = new IntegratedGradients(g) { Steps = 16, LinearFirstLayer = linearFirstLayer }.Attribute(x, refs, AttributionTarget.Task(2));
        AttributionResult plain = new IntegratedGradients(g) { Steps = 16, LinearFirstLayer = linearFirstLayer, Fusion = false }.Attribute(x, refs, AttributionTarget.Task(2));
        AssertClose(plain.Contributions.Data, folded.Contributions.Data);
        for (int p = 0; p < plain.Deltas.Length; p++)
        {
            Assert.Equal(plain.TargetDeltas[p], folded.TargetDeltas[p], 5);
            Assert.Equal(plain.Deltas[p], folded.Deltas[p], 4);
        }

        Assert.Equal(plain.Audit!.FailedPairs, folded.Audit!.FailedPairs);
    }
}
