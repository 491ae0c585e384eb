using SeqLens.Attribution;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Kernels;

namespace SeqLens.Tests.Attribution;

/// <summary>DeepLIFT with evaluation batch-norms folded into their convolutions (the default) against the unfolded pass.</summary>
public class DeepLiftFoldTests
{
    private const int Length = 40;

    /// <summary>
    /// conv1 → bn1 → relu1 → pool1 → conv2 (no bias) → bn2 → relu2 → pool2 → dense → relu → dense (3 tasks); both batch-norms
    /// with randomised statistics, scales and shifts (some scales negative: the fold must swap Δ⁺/Δ⁻ in the split pass).
    /// </summary>
    private static Graph Model(long seed)
    {
        var b = new GraphBuilder(seed);
        Node x = b.Input("dna", 4, Length);
        Node h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(x, 8, 5, padding: Padding.Same, name: "conv1"), name: "bn1"), name: "relu1"), 2, name: "pool1");
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 6, 3, bias: false, name: "conv2"), name: "bn2"), name: "relu2"), 3, name: "pool2");
        Node f = b.Relu(b.Dense(b.Flatten(h), 10, name: "fc1"), name: "relu3");
        Graph g = b.Build(b.Dense(f, 3, name: "out"), activation: OutputActivation.None);
        foreach (string name in new[] { "bn1", "bn2" })
        {
            var bn = (BatchNorm1dOp)g[name].Op;
            AttributionModels.RandomiseBatchNorm(bn, seed + name[2]);
            bn.Weight!.Value.Data[0] = -Math.Abs(bn.Weight.Value.Data[0]) - 0.1f; // at least one negative scale per batch-norm
        }

        return g;
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        double scale = expected.Max(v => Math.Abs(v));
        Assert.True(scale > 1e-3, $"{what}: the values are not trivially zero");
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-5 * scale, $"{what}, element {k}: folded {actual[k]} vs unfolded {expected[k]}");
        }
    }

    private static DeepLiftResult Run(Graph g, Tensor x, DeepLiftRule rule, bool fusion, bool shared = true, int batchSize = 8)
        => new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(4, 9), new DeepLiftOptions { Rule = rule, Fusion = fusion, ShareInputRows = shared, BatchSize = batchSize })
            .Attribute(x, AttributionTarget.Task(1));

    [Theory]
    [InlineData(DeepLiftRule.Rescale, true)]
    [InlineData(DeepLiftRule.RevealCancel, true)]
    [InlineData(DeepLiftRule.Genomics, true)]
    [InlineData(DeepLiftRule.Rescale, false)]
    [InlineData(DeepLiftRule.Genomics, false)]
    public void Folded_MatchesUnfolded(DeepLiftRule rule, bool shared)
    {
        foreach (long seed in new long[] { 3, 4 })
        {
            Graph g = Model(seed);
            Tensor x = AttributionModels.RandomDna(3, Length, seed + 10);
            DeepLiftResult plain = Run(g, x, rule, fusion: false, shared);
            DeepLiftResult folded = Run(g, x, rule, fusion: true, shared);
            AssertClose(plain.Contributions.Data, folded.Contributions.Data, $"{rule} contributions");
            AssertClose(plain.Hypothetical!.Data, folded.Hypothetical!.Data, $"{rule} hypothetical");
            AssertClose(plain.DifferenceContributions.Data, folded.DifferenceContributions.Data, $"{rule} difference contributions");
            double scale = plain.TargetDeltas.Max(Math.Abs);
            for (int p = 0; p < plain.Deltas.Length; p++)
            {
                Assert.True(Math.Abs(plain.TargetDeltas[p] - folded.TargetDeltas[p]) <= 1e-5 * scale, $"{rule} pair {p}: Δf {folded.TargetDeltas[p]} vs {plain.TargetDeltas[p]}");
                Assert.True(Math.Abs(plain.Deltas[p] - folded.Deltas[p]) <= 1e-5 * scale, $"{rule} pair {p}: delta {folded.Deltas[p]} vs {plain.Deltas[p]}");
            }

            Assert.True(folded.Audit!.Passed, $"{rule}: max delta {folded.Audit.MaxDelta}");
            Assert.NotEqual(plain.Hypothetical.Data, folded.Hypothetical.Data); // the fold really ran (other rounding)
        }
    }

    [Theory]
    [InlineData(DeepLiftRule.Rescale)]
    [InlineData(DeepLiftRule.Genomics)]
    public void Folded_NodeContributionsOfAFoldedConvolution_KeepItUnfolded(DeepLiftRule rule)
    {
        Graph g = Model(5);
        Tensor x = AttributionModels.RandomDna(2, Length, 15);
        var refs = AttributionReferences.DinucleotideShuffles(3, 2);
        var plain = new DeepLift(g, new DeepLiftOptions { Rule = rule, Fusion = false });
        var folded = new DeepLift(g, new DeepLiftOptions { Rule = rule });
        foreach (string node in new[] { "conv2", "bn2", "conv1", "relu1" }) // relu1: otherwise fused into pool1's rule
        {
            AssertClose(plain.NodeContributions(x, refs, AttributionTarget.Task(0), node).Data, folded.NodeContributions(x, refs, AttributionTarget.Task(0), node).Data, node);
        }

        // Attribute after NodeContributions folds everything again and still agrees.
        AssertClose(plain.Attribute(x, refs, AttributionTarget.Task(0)).Hypothetical!.Data, folded.Attribute(x, refs, AttributionTarget.Task(0)).Hypothetical!.Data, "hypothetical");
    }

    [Theory]
    [InlineData(DeepLiftRule.Rescale)]
    [InlineData(DeepLiftRule.Genomics)]
    public void Folded_BitIdenticalForOneAndTwoThreadsAndAnyBatchSize(DeepLiftRule rule)
    {
        Graph g = Model(6);
        Tensor x = AttributionModels.RandomDna(3, Length, 16);
        int saved = KernelThreads.MaxDegree;
        try
        {
            KernelThreads.MaxDegree = 1;
            DeepLiftResult one = Run(g, x, rule, fusion: true, batchSize: 1);
            KernelThreads.MaxDegree = 2;
            DeepLiftResult two = Run(g, x, rule, fusion: true, batchSize: 3);
            Assert.Equal(one.Hypothetical!.Data, two.Hypothetical!.Data);
            Assert.Equal(one.DifferenceContributions.Data, two.DifferenceContributions.Data);
            Assert.Equal(one.Deltas, two.Deltas);
        }
        finally
        {
            KernelThreads.MaxDegree = saved;
        }
    }

    [Theory]
    [InlineData(DeepLiftRule.Rescale)]
    [InlineData(DeepLiftRule.Genomics)]
    public void Audit_NamesTheCulpritWithFoldingOn(DeepLiftRule rule)
    {
        // conv → bn → broken ReLU: the broken node consumes a folded pair; the audit must still find it (on an unfolded re-run).
        const int length = 12;
        var b = new GraphBuilder(2);
        Node x = b.Input("dna", 4, length);
        Node h = b.Relu(b.BatchNorm1d(b.Conv1d(x, 4, 3, padding: Padding.Same, name: "conv1"), name: "bn1"), name: "relu1");
        Node bn2 = b.BatchNorm1d(b.Conv1d(h, 4, 3, padding: Padding.Same, name: "conv2"), name: "bn2");
        Node broken = b.Add(new BrokenRescaleOp(), [bn2], "broken");
        Node f = b.Relu(b.Dense(b.Flatten(b.Relu(broken, name: "relu3")), 6, name: "fc1"), name: "relu4"); // genomics: RevealCancel here (split pass)
        Node o = b.Dense(f, 2, name: "out");
        Graph g = b.Build(o, activation: OutputActivation.None);
        AttributionModels.RandomiseBatchNorm((BatchNorm1dOp)g["bn1"].Op, 1);
        AttributionModels.RandomiseBatchNorm((BatchNorm1dOp)g["bn2"].Op, 2);
        Tensor input = AttributionModels.RandomDna(2, length, 1);
        var refs = AttributionReferences.DinucleotideShuffles(3, 5);
        DeepLiftResult folded = new DeepLiftShap(g, refs, new DeepLiftOptions { Rule = rule }).Attribute(input, AttributionTarget.Task(0));
        DeepLiftResult plain = new DeepLiftShap(g, refs, new DeepLiftOptions { Rule = rule, Fusion = false }).Attribute(input, AttributionTarget.Task(0));
        Assert.False(folded.Audit!.Passed);
        Assert.Equal("broken", folded.Audit.CulpritNode);
        Assert.True(folded.Audit.CulpritGap > 0);
        Assert.Equal(plain.Audit!.CulpritNode, folded.Audit.CulpritNode);
        Assert.Equal(plain.Audit.FirstFailedSequence, folded.Audit.FirstFailedSequence);
        Assert.Equal(plain.Audit.FirstFailedReference, folded.Audit.FirstFailedReference);
        Assert.Equal(plain.Audit.CulpritGap, folded.Audit.CulpritGap, 6);
    }

    [Fact]
    public void Executor_FoldedPairRefusesItsOwnConservationAndDelta_FusedReluRefusesDeepLiftRules()
    {
        Graph g = Model(7);
        Tensor x = AttributionModels.RandomDna(2, Length, 17);
        var seed = new Tensor(2, 3);
        seed[1, 0] = 1f;
        var options = new BackwardOptions { NodeRules = DeepLiftRules.Resolve(g, DeepLiftRule.Rescale), Pairs = RowPairs.Shared(1, 1), InputGradients = true };
        var exec = new Executor(g) { FoldBatchNorm = true };
        exec.Forward(x);
        exec.Backward(seed, options);
        Assert.Throws<InvalidOperationException>(() => exec.Conservation(g["bn1"]));
        Assert.Throws<InvalidOperationException>(() => exec.Conservation(g["conv1"]));
        Assert.Throws<InvalidOperationException>(() => exec.Delta(g["conv2"]));
        NodeConservation relu = exec.Conservation(g["relu1"]);
        Assert.True(relu.Gap(1) <= 1e-5 * (1 + relu.Magnitude[1]));

        exec.FuseRelu = true;
        exec.Forward(x);
        Assert.Throws<InvalidOperationException>(() => exec.Backward(seed, options));
    }
}
