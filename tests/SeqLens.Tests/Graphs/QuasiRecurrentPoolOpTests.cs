using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

public class QuasiRecurrentPoolOpTests
{
    [Theory]
    [InlineData(1, 1, 1, 0f, false)]
    [InlineData(1, 2, 5, 0f, false)]
    [InlineData(3, 5, 7, 0f, false)]
    [InlineData(3, 3, 11, 0.3f, false)]
    [InlineData(3, 3, 11, 0.3f, true)]
    [InlineData(2, 4, 13, 0.5f, true)]
    public void Gradient_MatchesFiniteDifferences(int batch, int hidden, int length, float zoneout, bool training)
        => OpHarness.Check([batch, 3 * hidden, length], (b, x) => b.Add(new QuasiRecurrentPoolOp(hidden, zoneout), [x]), lo: -2f, hi: 2f, training: training);

    [Fact]
    public void Forward_HandComputed()
    {
        // One row: z̃ = atanh(0.5), f̃ = 0 (f = ½), õ = ln 3 (o = ¾), two steps.
        // c0 = ½·0 + ½·0.5 = 0.25, h0 = 0.1875; c1 = ½·0.25 + ½·0.5 = 0.375, h1 = 0.28125.
        Graph g = OpHarness.Single([1, 3, 2], (b, x) => b.Add(new QuasiRecurrentPoolOp(1), [x]));
        float za = MathF.Atanh(0.5f), oa = MathF.Log(3f);
        var x = Tensor.FromValues([za, za, 0f, 0f, oa, oa], 1, 3, 2);
        Tensor y = OpHarness.Run(g, x);
        OpHarness.Close([0.1875f, 0.28125f], y.Data, 1e-6, 1e-7);
    }

    [Fact]
    public void Zoneout_CarriesTheStateForAboutPOfTheSteps_AndIsSeeded()
    {
        // f̃ = −30 (f ≈ 0: c_t = z_t unless zoned out, then c_t = c_{t−1}), õ = 30 (h = c), z̃ distinct per step.
        const int length = 4000;
        Graph g = OpHarness.Single([1, 3, length], (b, x) => b.Add(new QuasiRecurrentPoolOp(1, 0.3f), [x]));
        var x = new Tensor(1, 3, length);
        for (int t = 0; t < length; t++)
        {
            x.Data[t] = -1f + (2f * t / length);
            x.Data[length + t] = -30f;
            x.Data[(2 * length) + t] = 30f;
        }

        Tensor y = OpHarness.Run(g, x, training: true, seed: 4);
        int carried = Enumerable.Range(1, length - 1).Count(t => y.Data[t] == y.Data[t - 1]);
        Assert.InRange(carried / (double)(length - 1), 0.27, 0.33);
        Assert.Equal(y.Data, OpHarness.Run(g, x, training: true, seed: 4).Data);
        Assert.NotEqual(y.Data, OpHarness.Run(g, x, training: true, seed: 5).Data);

        // Evaluation uses the expectation f = 1 − 0.7·(1 − σ(f̃)) ≈ 0.3.
        Tensor e = OpHarness.Run(g, x);
        float f = 1f - (0.7f * (1f - (1f / (1f + MathF.Exp(30f)))));
        float c0 = (1f - f) * MathF.Tanh(x.Data[0]);
        float c1 = (f * c0) + ((1f - f) * MathF.Tanh(x.Data[1]));
        OpHarness.Close([c0, c1], e.Data.AsSpan(0, 2), 1e-5, 1e-7);
    }

    [Fact]
    public void WrongChannels_ThrowSayingExpected()
    {
        var b = new GraphBuilder();
        Node x = b.Input("x", 5, 10);
        var ex = Assert.Throws<ArgumentException>(() => b.Add(new QuasiRecurrentPoolOp(2), [x]));
        Assert.Contains("expects (batch, 6, length)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new QuasiRecurrentPoolOp(2, 1f));
    }

    [Fact]
    public void Rules_DeepLiftSupported_GuidedRefused()
    {
        var op = new QuasiRecurrentPoolOp(2);
        Assert.True(op.SupportsRule(BackwardRule.Gradient));
        Assert.True(op.SupportsRule(BackwardRule.Rescale));
        Assert.True(op.SupportsRule(BackwardRule.RevealCancel));
        Assert.False(op.SupportsRule(BackwardRule.GuidedBackprop));
        Assert.Equal(AttributionClass.Product, op.Attribution);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 2, 7)]
    public void Reverse_GradientAndValues(int batch, int channels, int length)
    {
        OpHarness.Check([batch, channels, length], (b, x) => b.Tanh(b.Reverse(x)));
        Graph g = OpHarness.Single([batch, channels, length], (b, x) => b.Reverse(x));
        var x = GradientCheck.Random(new Rng(1), -1, 1, [batch, channels, length]);
        Tensor y = OpHarness.Run(g, x);
        for (int r = 0; r < batch * channels; r++)
        {
            for (int t = 0; t < length; t++)
            {
                Assert.Equal(x.Data[(r * length) + length - 1 - t], y.Data[(r * length) + t]);
            }
        }
    }
}
