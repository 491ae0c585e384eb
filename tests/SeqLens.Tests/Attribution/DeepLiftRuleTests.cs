using SeqLens.Attribution;
using SeqLens.Graphs;

namespace SeqLens.Tests.Attribution;

/// <summary>Exact, hand-computed DeepLIFT values on tiny models (the values are worked out in the comments).</summary>
public class DeepLiftRuleTests
{
    private static DeepLiftResult Run(Graph g, float[] x, float[] x0, DeepLiftRule rule, AttributionTarget? target = null, bool share = true)
    {
        int[] shape = [1, .. g.Inputs[0].SampleShape];
        var dl = new DeepLift(g, new DeepLiftOptions { Rule = rule, ShareInputRows = share });
        return dl.Attribute(new Tensor(x, shape), AttributionReferences.PerSequence(new Tensor(x0, shape)), target ?? AttributionTarget.Task(0));
    }

    [Fact]
    public void MinNet_Rescale_GivesThePapersRescaleNumbers()
    {
        // x = (3, 1), x0 = (0, 0): h = ReLU(x1 − x2) has Δ = 2, m = 1, so h gets 3 from x1 and −1 from x2;
        // y = x1 − h: x1 → 3 − 3 = 0, x2 → 0 − (−1) = 1 (Shrikumar et al. 2017, §3.5.3).
        DeepLiftResult r = Run(AttributionModels.MinNet(), [3, 1], [0, 0], DeepLiftRule.Rescale);
        Assert.Equal(0f, r.DifferenceContributions.Data[0], 6);
        Assert.Equal(1f, r.DifferenceContributions.Data[1], 6);
        Assert.Equal(1.0, r.TargetDeltas[0], 6);
        Assert.True(r.Audit!.Passed);
    }

    [Theory]
    [InlineData(DeepLiftRule.RevealCancel)]
    [InlineData(DeepLiftRule.Genomics)]
    public void MinNet_RevealCancel_GivesThePapersRevealCancelNumbers(DeepLiftRule rule)
    {
        // Δ⁺ = 3, Δ⁻ = −1 into h: Δh⁺ = ½(ReLU(3) − 0) + ½(ReLU(2) − ReLU(−1)) = 2.5, Δh⁻ = ½(ReLU(−1) − 0) + ½(ReLU(2) − ReLU(3)) = −0.5;
        // x1 → 3 − 2.5 = 0.5, x2 → 0.5 (both inputs share the minimum, as the paper argues). h is fed by a dense layer, so
        // the genomics default uses RevealCancel there too.
        DeepLiftResult r = Run(AttributionModels.MinNet(), [3, 1], [0, 0], rule);
        Assert.Equal(0.5f, r.DifferenceContributions.Data[0], 6);
        Assert.Equal(0.5f, r.DifferenceContributions.Data[1], 6);
        Assert.True(r.Audit!.Passed);
    }

    [Fact]
    public void MaxPool_PairedWindowRule_HandValues()
    {
        // Window 1: x = (1, 3) wins at 1, x0 = (2, 0) wins at 0; y − y0 = 1. φ1 = ½(max(3, 2) − 2) + ½(3 − max(0, 1)) = 1.5,
        // φ0 = ½(max(0, 1) − 2) + ½(3 − max(3, 2)) = −0.5. Window 2: x = (2, 0), x0 = (0, 1): φ2 = 1.5, φ3 = −0.5, times weight 2.
        DeepLiftResult r = Run(AttributionModels.MaxPoolNet(), [1, 3, 2, 0], [2, 0, 0, 1], DeepLiftRule.Rescale);
        float[] expected = [-0.5f, 1.5f, 3f, -1f];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], r.DifferenceContributions.Data[i], 6);
        }

        Assert.Equal(3.0, r.TargetDeltas[0], 6); // (3 + 2·2) − (2 + 2·1)
        Assert.True(Math.Abs(r.Deltas[0]) < 1e-6);
    }

    [Fact]
    public void MaxPool_SameWinner_IsTheGradient()
    {
        // Both windows won by the same positions in x and x0: multipliers are 1 and 2 at the winners only.
        DeepLiftResult r = Run(AttributionModels.MaxPoolNet(), [1, 3, 2, 0], [0, 2, 1, 0.5f], DeepLiftRule.Rescale);
        float[] expected = [0f, 1f, 2f, 0f]; // (3 − 2)·1 and (2 − 1)·2
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], r.DifferenceContributions.Data[i], 6);
        }
    }

    [Fact]
    public void Gate_ShapleyProductRule_HandValues()
    {
        // z = a·b, (a, b) = (2, 3) vs (1, 1): Δz = 5 = ((3 + 1)/2)·1 + ((2 + 1)/2)·2 = 2 + 3.
        foreach (DeepLiftRule rule in new[] { DeepLiftRule.Rescale, DeepLiftRule.RevealCancel })
        {
            DeepLiftResult r = Run(AttributionModels.GateNet(), [2, 3], [1, 1], rule);
            Assert.Equal(2f, r.DifferenceContributions.Data[0], 6);
            Assert.Equal(3f, r.DifferenceContributions.Data[1], 6);
            Assert.True(Math.Abs(r.Deltas[0]) < 1e-6);
        }
    }

    [Fact]
    public void Linear_DeepLiftIsDifferenceTimesWeights()
    {
        const int length = 7;
        Graph g = AttributionModels.Linear(length);
        Tensor x = AttributionModels.RandomDna(3, length, 9);
        var w = ((SeqLens.Graphs.Ops.DenseOp)g["out"].Op).Weight.Value.Data;
        foreach (AttributionReferences refs in new[] { AttributionReferences.Background(), AttributionReferences.DinucleotideShuffles(4, 2) })
        {
            foreach (DeepLiftRule rule in Enum.GetValues<DeepLiftRule>())
            {
                DeepLiftResult r = new DeepLift(g, new DeepLiftOptions { Rule = rule }).Attribute(x, refs, AttributionTarget.Task(1));
                int sample = 4 * length;
                for (int i = 0; i < 3; i++)
                {
                    for (int k = 0; k < sample; k++)
                    {
                        double expected = 0;
                        var x0 = new float[sample];
                        for (int j = 0; j < refs.Count; j++)
                        {
                            refs.Fill(x.Data.AsSpan(i * sample, sample), 4, i, j, x0);
                            expected += (x.Data[(i * sample) + k] - x0[k]) * w[sample + k] / refs.Count;
                        }

                        Assert.Equal(expected, r.DifferenceContributions.Data[(i * sample) + k], 5);
                    }
                }

                Assert.True(r.Audit!.Passed, $"{rule}: max delta {r.Audit.MaxDelta}");
            }
        }
    }

    [Fact]
    public void Linear_HypotheticalWithZeroReferenceIsTheWeights()
    {
        // tangermeme: hyp[c, l] = m[c, l] − Σ_c' m[c', l]·x0[c', l]; with x0 = 0 that is the weight itself.
        const int length = 5;
        Graph g = AttributionModels.Linear(length);
        Tensor x = AttributionModels.RandomDna(2, length, 4);
        var w = ((SeqLens.Graphs.Ops.DenseOp)g["out"].Op).Weight.Value.Data;
        DeepLiftResult r = new DeepLift(g).Attribute(x, AttributionReferences.Zeros(), AttributionTarget.Task(0));
        for (int i = 0; i < 2; i++)
        {
            for (int k = 0; k < 4 * length; k++)
            {
                Assert.Equal(w[k], r.Hypothetical!.Data[(i * 4 * length) + k], 6);
                Assert.Equal(w[k] * x.Data[(i * 4 * length) + k], r.Contributions.Data[(i * 4 * length) + k], 6);
            }
        }
    }

    [Fact]
    public void Hypothetical_MatchesTangermemeDefinitionWithBackground()
    {
        // With the GC background x0 = (0.3, 0.2, 0.2, 0.3) at every position: hyp[c, l] = w[c, l] − Σ_c' w[c', l]·x0[c'].
        const int length = 4;
        Graph g = AttributionModels.Linear(length);
        Tensor x = AttributionModels.RandomDna(1, length, 8);
        var w = ((SeqLens.Graphs.Ops.DenseOp)g["out"].Op).Weight.Value.Data;
        DeepLiftResult r = new DeepLift(g).Attribute(x, AttributionReferences.Background(), AttributionTarget.Task(0));
        float[] bg = [0.3f, 0.2f, 0.2f, 0.3f];
        for (int l = 0; l < length; l++)
        {
            double baseline = 0;
            for (int c = 0; c < 4; c++)
            {
                baseline += w[(c * length) + l] * bg[c];
            }

            for (int c = 0; c < 4; c++)
            {
                Assert.Equal(w[(c * length) + l] - baseline, r.Hypothetical!.Data[(c * length) + l], 5);
            }
        }
    }
}
