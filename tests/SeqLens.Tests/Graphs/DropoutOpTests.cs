using SeqLens.Graphs;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

public class DropoutOpTests
{
    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(3, 2, 7, true)]
    [InlineData(3, 2, 7, false)]
    public void Gradient_MatchesFiniteDifferences(int batch, int channels, int length, bool training)
        => OpHarness.Check([batch, channels, length], (b, x) => b.Dropout(b.Tanh(x), 0.3f), training: training);

    [Fact]
    public void Training_DropsAboutPAndScalesSurvivors()
    {
        Graph g = OpHarness.Single([4, 50, 50], (b, x) => b.Dropout(x, 0.3f));
        var x = Initializers.Constant(2f, 4, 50, 50);
        var y = OpHarness.Run(g, x, training: true, seed: 5);
        int zeros = y.Data.Count(v => v == 0f);
        Assert.InRange(zeros / 10000.0, 0.27, 0.33);
        Assert.All(y.Data, v => Assert.True(v == 0f || Math.Abs(v - (2f / 0.7f)) < 1e-6));
    }

    [Fact]
    public void Eval_IsIdentity()
    {
        Graph g = OpHarness.Single([2, 3, 5], (b, x) => b.Dropout(x, 0.5f));
        var x = GradientCheck.Random(new Rng(2), -1, 1, [2, 3, 5]);
        Assert.Equal(x.Data, OpHarness.Run(g, x).Data);
    }

    [Fact]
    public void Masks_AreSeededPerStep()
    {
        Graph g = OpHarness.Single([2, 3, 40], (b, x) => b.Dropout(x, 0.5f));
        var x = Initializers.Constant(1f, 2, 3, 40);
        var e1 = new Executor(g, seed: 9) { Training = true };
        var e2 = new Executor(g, seed: 9) { Training = true };
        var first = e1.Forward(x).Clone();
        Assert.Equal(first.Data, e2.Forward(x).Data);
        Assert.NotEqual(first.Data, e1.Forward(x).Data);
        Assert.NotEqual(first.Data, OpHarness.Run(g, x, training: true, seed: 10).Data);
    }

    [Fact]
    public void Probability_OutOfRange_Throws()
    {
        var b = new GraphBuilder();
        Node x = b.Input("x", 3);
        Assert.Throws<ArgumentException>(() => b.Dropout(x, 1f));
        Assert.Throws<ArgumentException>(() => b.Dropout(x, -0.1f));
    }
}
