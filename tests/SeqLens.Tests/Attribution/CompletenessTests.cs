using SeqLens.Attribution;
using SeqLens.Graphs;

namespace SeqLens.Tests.Attribution;

/// <summary>Summation-to-delta on networks with every rule-bearing op, and the audit naming a broken node.</summary>
public class CompletenessTests
{
    [Theory]
    [InlineData(DeepLiftRule.Rescale)]
    [InlineData(DeepLiftRule.RevealCancel)]
    [InlineData(DeepLiftRule.Genomics)]
    public void Mixed_EveryPairWithinTolerance(DeepLiftRule rule)
    {
        const int length = 24;
        Graph g = AttributionModels.Mixed(length);
        Tensor x = AttributionModels.RandomDna(3, length, 11);
        foreach (int task in new[] { 0, 2 })
        {
            DeepLiftResult r = new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(5, 7), new DeepLiftOptions { Rule = rule })
                .Attribute(x, AttributionTarget.Task(task));
            Assert.Equal(15, r.Deltas.Length);
            for (int p = 0; p < r.Deltas.Length; p++)
            {
                Assert.True(Math.Abs(r.Deltas[p]) <= (1e-4 * Math.Abs(r.TargetDeltas[p])) + 1e-6, $"{rule} task {task} pair {p}: delta {r.Deltas[p]} vs Δf {r.TargetDeltas[p]}");
            }

            Assert.True(r.Audit!.Passed);
            Assert.Null(r.Audit.CulpritNode);

            // Contributions (hyp × one-hot) sum per pair-average to the mean Δf.
            double total = 0;
            double expected = 0;
            for (int i = 0; i < 3; i++)
            {
                for (int k = 0; k < 4 * length; k++)
                {
                    total += r.Contributions.Data[(i * 4 * length) + k];
                }

                for (int j = 0; j < 5; j++)
                {
                    expected += r.TargetDeltas[(i * 5) + j] / 5;
                }
            }

            Assert.Equal(expected, total, 3);
        }
    }

    [Fact]
    public void Mixed_RevealCancelDiffersFromRescale()
    {
        // A rule that changed nothing would make the RevealCancel tests vacuous on this model.
        const int length = 24;
        Graph g = AttributionModels.Mixed(length);
        Tensor x = AttributionModels.RandomDna(2, length, 12);
        var refs = AttributionReferences.DinucleotideShuffles(3, 1);
        DeepLiftResult a = new DeepLiftShap(g, refs, new DeepLiftOptions { Rule = DeepLiftRule.Rescale }).Attribute(x, AttributionTarget.Task(1));
        DeepLiftResult b = new DeepLiftShap(g, refs, new DeepLiftOptions { Rule = DeepLiftRule.Genomics }).Attribute(x, AttributionTarget.Task(1));
        double diff = a.DifferenceContributions.Data.Zip(b.DifferenceContributions.Data, (p, q) => Math.Abs(p - q)).Max();
        Assert.True(diff > 1e-4, $"max difference {diff}");
    }

    [Fact]
    public void SharedAndStackedLayouts_AgreeAndDoNotDependOnBatchSize()
    {
        const int length = 18;
        Graph g = AttributionModels.Mixed(length);
        Tensor x = AttributionModels.RandomDna(5, length, 13);
        var refs = AttributionReferences.DinucleotideShuffles(4, 3);
        DeepLiftResult a = new DeepLiftShap(g, refs, new DeepLiftOptions { Rule = DeepLiftRule.Genomics, BatchSize = 2 }).Attribute(x, AttributionTarget.Task(0));
        DeepLiftResult b = new DeepLiftShap(g, refs, new DeepLiftOptions { Rule = DeepLiftRule.Genomics, BatchSize = 5, ShareInputRows = false }).Attribute(x, AttributionTarget.Task(0));
        DeepLiftResult c = new DeepLiftShap(g, refs, new DeepLiftOptions { Rule = DeepLiftRule.Genomics, BatchSize = 2 }).Attribute(x, AttributionTarget.Task(0));
        for (int k = 0; k < a.Hypothetical!.Length; k++)
        {
            Assert.Equal(a.Hypothetical.Data[k], b.Hypothetical!.Data[k], 4);
        }

        Assert.Equal(a.Hypothetical.Data, c.Hypothetical!.Data); // same seed, same bytes
    }

    [Fact]
    public void Audit_NamesTheFirstNodeWithABrokenRule()
    {
        const int length = 12;
        var b = new GraphBuilder(2);
        Node x = b.Input("dna", 4, length);
        Node h = b.Relu(b.Conv1d(x, 4, 3, padding: Padding.Same, name: "conv1"), name: "relu1");
        Node broken = b.Add(new BrokenRescaleOp(), [b.Conv1d(h, 4, 3, padding: Padding.Same, name: "conv2")], "broken");
        Node o = b.Dense(b.Flatten(b.Relu(broken, name: "relu3")), 2, name: "out");
        Graph g = b.Build(o, activation: OutputActivation.None);
        DeepLiftResult r = new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(3, 5)).Attribute(AttributionModels.RandomDna(2, length, 1), AttributionTarget.Task(0));
        Assert.False(r.Audit!.Passed);
        Assert.Equal("broken", r.Audit.CulpritNode);
        Assert.True(r.Audit.CulpritGap > 0);
        Assert.Equal(0, r.Audit.FirstFailedSequence);
    }

    [Fact]
    public void Conservation_HoldsAtEveryNodeOfAGoodNetwork()
    {
        const int length = 15;
        Graph g = AttributionModels.Mixed(length);
        Tensor x = AttributionModels.RandomDna(1, length, 2);
        var refs = AttributionModels.RandomDna(1, length, 3);
        var batch = new Tensor([2, 4, length]);
        x.Data.CopyTo(batch.Data, 0);
        refs.Data.CopyTo(batch.Data, 4 * length);
        var exec = new Executor(g);
        exec.Forward(batch);
        var seed = new Tensor(2, 3);
        seed.Data[1] = 1f;
        exec.Backward(seed, new BackwardOptions { NodeRules = DeepLiftRules.Resolve(g, DeepLiftRule.Genomics), Pairs = RowPairs.Stacked(1) });
        Assert.True(exec.LastBackwardSplit);
        foreach (Node node in g.Nodes.Where(n => !n.IsInput))
        {
            NodeConservation c = exec.Conservation(node);
            Assert.True(c.Gap(0) <= 1e-5 * (1 + c.Magnitude[0]), $"{node.Name}: in {c.Incoming[0]} out {c.Outgoing[0]}");
            Assert.Equal(0, c.Outgoing[1]); // the reference row carries nothing
        }
    }

    [Fact]
    public void MaxPool_PlainGradientRuleBreaksSummationToDelta_PairedRuleKeepsIt()
    {
        // The same backward with the max-pool nodes on the gradient rule (everything else Rescale): windows whose winner
        // differs between x and x0 lose Δy − Δx[a], so completeness fails by a visible margin.
        const int length = 30;
        Graph g = AttributionModels.Mixed(length);
        Tensor x = AttributionModels.RandomDna(1, length, 40);
        Tensor x0 = AttributionModels.RandomDna(1, length, 41);
        var batch = new Tensor([2, 4, length]);
        x.Data.CopyTo(batch.Data, 0);
        x0.Data.CopyTo(batch.Data, 4 * length);
        double Delta(bool gradientAtPools)
        {
            BackwardRule[] rules = DeepLiftRules.Resolve(g, DeepLiftRule.Rescale);
            if (gradientAtPools)
            {
                rules[g["pool"].Index] = BackwardRule.Gradient;
            }

            var exec = new Executor(g);
            Tensor o = exec.Forward(batch);
            var seed = new Tensor(o.Shape);
            seed.Data[0] = 1f;
            double expected = o.Data[0] - o.Data[3];
            exec.Backward(seed, new BackwardOptions { NodeRules = rules, Pairs = RowPairs.Stacked(1) });
            float[] m = exec.Gradient("dna")!.Data;
            double sum = 0;
            for (int k = 0; k < 4 * length; k++)
            {
                sum += m[k] * (double)(batch.Data[k] - batch.Data[(4 * length) + k]);
            }

            return Math.Abs(sum - expected) / Math.Abs(expected);
        }

        Assert.True(Delta(false) < 1e-5, $"paired rule: relative delta {Delta(false)}");
        Assert.True(Delta(true) > 1e-3, $"gradient rule: relative delta {Delta(true)}");
    }
}
