using SeqLens.Attribution;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using Xunit.Abstractions;

namespace SeqLens.Tests.Attribution;

/// <summary>DeepLIFT and DeepLIFT-SHAP through QRNN layers: completeness (issue 5 acceptance) and the audit.</summary>
public class QrnnDeepLiftTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false, false, DeepLiftRule.Rescale)]
    [InlineData(false, true, DeepLiftRule.Genomics)]
    [InlineData(true, false, DeepLiftRule.Genomics)]
    [InlineData(true, true, DeepLiftRule.Rescale)]
    [InlineData(true, true, DeepLiftRule.RevealCancel)]
    public void DeepLiftShap_ShuffledReferences_EveryPairWithinTolerance(bool bidirectional, bool maxPool, DeepLiftRule rule)
    {
        const int length = 30;
        Graph g = Model(length, bidirectional, maxPool);
        Tensor x = AttributionModels.RandomDna(3, length, 21);
        DeepLiftResult r = new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(4, 8), new DeepLiftOptions { Rule = rule })
            .Attribute(x, AttributionTarget.Task(1));
        Assert.Equal(12, r.Deltas.Length);
        double worst = 0;
        for (int p = 0; p < r.Deltas.Length; p++)
        {
            // NOTE: + 1e-7: a pair whose Δf nearly cancels (|Δf| ~ 2e-5 here, Σ|m·Δ| ~ 0.08 per node) keeps float32 rounding of ~1e-9.
            Assert.True(Math.Abs(r.Deltas[p]) <= (1e-4 * Math.Abs(r.TargetDeltas[p])) + 1e-7, $"pair {p}: delta {r.Deltas[p]} vs Δf {r.TargetDeltas[p]}");
            worst = Math.Max(worst, Math.Abs(r.Deltas[p] / r.TargetDeltas[p]));
        }

        Assert.True(r.Audit!.Passed);
        Assert.Contains(r.TargetDeltas, d => Math.Abs(d) > 1e-2);
        output.WriteLine($"bidirectional {bidirectional}, {(maxPool ? "max" : "avg")} pool, {rule}: worst |delta|/|Δf| {worst:G3}, max |Δf| {r.TargetDeltas.Max(Math.Abs):G3}");
    }

    [Fact]
    public void DeepLift_StackedLayoutAndGenomicsSplitPass_Conserve_AndGenomicsDiffersFromRescale()
    {
        const int length = 20;
        Graph g = Model(length, bidirectional: true, maxPool: false);
        Tensor x = AttributionModels.RandomDna(2, length, 5);
        var refs = AttributionReferences.DinucleotideShuffles(3, 2);
        DeepLiftResult a = new DeepLiftShap(g, refs, new DeepLiftOptions { Rule = DeepLiftRule.Rescale, ShareInputRows = false }).Attribute(x, AttributionTarget.Task(0));
        DeepLiftResult b = new DeepLiftShap(g, refs, new DeepLiftOptions { Rule = DeepLiftRule.Genomics }).Attribute(x, AttributionTarget.Task(0));
        DeepLiftResult shared = new DeepLiftShap(g, refs, new DeepLiftOptions { Rule = DeepLiftRule.Rescale }).Attribute(x, AttributionTarget.Task(0));
        Assert.True(a.Audit!.Passed && b.Audit!.Passed);
        for (int k = 0; k < a.Hypothetical!.Length; k++)
        {
            Assert.Equal(a.Hypothetical.Data[k], shared.Hypothetical!.Data[k], 4);
        }

        double diff = a.DifferenceContributions.Data.Zip(b.DifferenceContributions.Data, (p, q) => Math.Abs(p - q)).Max();
        Assert.True(diff > 1e-5, $"genomics vs rescale: max difference {diff}");
    }

    [Fact]
    public void Conservation_HoldsAtEveryQrnnNode_UnderTheGenomicsSplitPass()
    {
        const int length = 16;
        Graph g = Model(length, bidirectional: true, maxPool: true);
        var batch = new Tensor([2, 4, length]);
        AttributionModels.RandomDna(1, length, 2).Data.CopyTo(batch.Data, 0);
        AttributionModels.RandomDna(1, length, 3).Data.CopyTo(batch.Data, 4 * length);
        var exec = new Executor(g);
        exec.Forward(batch);
        var seed = new Tensor(2, 2);
        seed.Data[0] = 1f;
        exec.Backward(seed, new BackwardOptions { NodeRules = DeepLiftRules.Resolve(g, DeepLiftRule.Genomics), Pairs = RowPairs.Stacked(1) });
        Assert.True(exec.LastBackwardSplit);
        Node[] pools = [.. g.Nodes.Where(n => n.Op is QuasiRecurrentPoolOp)];
        Assert.Equal(4, pools.Length);
        foreach (Node node in g.Nodes.Where(n => !n.IsInput))
        {
            NodeConservation c = exec.Conservation(node);
            Assert.True(c.Gap(0) <= 1e-5 * (1 + c.Magnitude[0]), $"{node.Name}: in {c.Incoming[0]} out {c.Outgoing[0]}");
        }

        Assert.All(pools, p => Assert.True(exec.Conservation(p).Magnitude[0] > 1e-3, p.Name));
    }

    [Fact]
    public void GradientAtTheQrnnNode_BreaksSummationToDelta_TheRuleKeepsIt()
    {
        // Why the rule is needed: the same backward with the QRNN pools on the gradient (as a DeepLIFT that does not know
        // the op would do) misses Δh by a visible margin at those nodes.
        const int length = 24;
        Graph g = Model(length, bidirectional: false, maxPool: false);
        var batch = new Tensor([2, 4, length]);
        AttributionModels.RandomDna(1, length, 30).Data.CopyTo(batch.Data, 0);
        AttributionModels.RandomDna(1, length, 31).Data.CopyTo(batch.Data, 4 * length);
        (double Node, double Total) Gaps(bool gradientAtPools)
        {
            BackwardRule[] rules = DeepLiftRules.Resolve(g, DeepLiftRule.Rescale);
            Node pool = g["qrnn"]; // the last layer's pool carries the stack's name
            if (gradientAtPools)
            {
                rules[g["qrnn.l0.pool"].Index] = BackwardRule.Gradient;
                rules[pool.Index] = BackwardRule.Gradient;
            }

            var exec = new Executor(g);
            Tensor o = exec.Forward(batch);
            var seed = new Tensor(o.Shape);
            seed.Data[0] = 1f;
            double expected = o.Data[0] - o.Data[2];
            exec.Backward(seed, new BackwardOptions { NodeRules = rules, Pairs = RowPairs.Stacked(1) });
            float[] m = exec.Gradient("dna")!.Data;
            double sum = 0;
            for (int k = 0; k < 4 * length; k++)
            {
                sum += m[k] * (double)(batch.Data[k] - batch.Data[(4 * length) + k]);
            }

            NodeConservation c = exec.Conservation(pool);
            return (c.Gap(0) / c.Magnitude[0], Math.Abs(sum - expected) / Math.Abs(expected));
        }

        (double ruleNode, double ruleTotal) = Gaps(false);
        (double gradNode, double gradTotal) = Gaps(true);
        output.WriteLine($"rule: node gap {ruleNode:G3}, total {ruleTotal:G3}; gradient: node gap {gradNode:G3}, total {gradTotal:G3}");
        Assert.True(ruleNode < 1e-5 && ruleTotal < 1e-4, $"rule: node {ruleNode}, total {ruleTotal}");
        Assert.True(gradNode > 1e-3 && gradTotal > 1e-3, $"gradient: node {gradNode}, total {gradTotal}");
    }

    [Fact]
    public void Audit_NamesTheQrnnNode_WhenItsRuleIsBroken()
    {
        const int length = 14;
        var b = new GraphBuilder(3);
        Node x = b.Input("dna", 4, length);
        Node h = b.Relu(b.Conv1d(x, 5, 3, padding: Padding.Same, name: "conv"), name: "relu");
        Node gates = b.Conv1d(h, 3 * 4, 2, padding: Padding.Explicit(1, 0), name: "gates");
        Node q = b.Add(new BrokenPoolOp(4), [gates], "qpool");
        Node o = b.Dense(b.Relu(b.Dense(b.GlobalAvgPool(q, name: "gap"), 6, name: "fc"), name: "relu2"), 2, name: "out");
        Graph g = b.Build(o, activation: OutputActivation.None);
        foreach (DeepLiftRule rule in new[] { DeepLiftRule.Rescale, DeepLiftRule.Genomics })
        {
            DeepLiftResult r = new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(3, 4), new DeepLiftOptions { Rule = rule })
                .Attribute(AttributionModels.RandomDna(2, length, 6), AttributionTarget.Task(0));
            Assert.False(r.Audit!.Passed);
            Assert.Equal("qpool", r.Audit.CulpritNode);
            Assert.True(r.Audit.CulpritGap > 0);
        }
    }

    /// <summary>conv → ReLU → QRNN (hidden 4, 2 layers) → global max/avg pool → dense → ReLU → dense to 2 tasks.</summary>
    internal static Graph Model(int length, bool bidirectional, bool maxPool, long seed = 13)
    {
        var b = new GraphBuilder(seed);
        Node x = b.Input("dna", 4, length);
        Node h = b.Relu(b.Conv1d(x, 6, 5, padding: Padding.Same, name: "conv"), name: "relu1");
        Node q = b.Qrnn(h, 4, layers: 2, bidirectional: bidirectional, name: "qrnn");
        Node p = maxPool ? b.GlobalMaxPool(q, name: "gpool") : b.GlobalAvgPool(q, name: "gpool");
        Node f = b.Relu(b.Dense(p, 8, name: "fc"), name: "relu2");
        return b.Build(b.Dense(f, 2, name: "out"), activation: OutputActivation.None);
    }

    /// <summary>
    /// The real QRNN pooling, except that under DeepLIFT rules it back-propagates the plain gradient (what a DeepLIFT that
    /// does not know the op would do): its own summation-to-delta fails.
    /// </summary>
    private sealed class BrokenPoolOp(int hidden) : Op
    {
        private readonly QuasiRecurrentPoolOp _inner = new(hidden);

        public override string Kind => "BrokenQuasiRecurrentPool";

        public override AttributionClass Attribution => _inner.Attribution;

        public override bool SupportsRule(BackwardRule rule) => _inner.SupportsRule(rule);

        public override int[] InferShape(IReadOnlyList<int[]> inputShapes) => _inner.InferShape(inputShapes);

        public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape) => _inner.CreateWorkspace(inputShapes, outputShape);

        public override void Forward(ForwardContext context) => _inner.Forward(context);

        public override void Backward(BackwardContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            BackwardRule rule = context.Rule;
            context.Rule = BackwardRule.Gradient;
            try
            {
                _inner.Backward(context);
            }
            finally
            {
                context.Rule = rule;
            }
        }
    }
}
