using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

public class BatchNorm1dOpTests
{
    private static BatchNorm1dOp Randomise(Graph g, int seed)
    {
        var op = (BatchNorm1dOp)g.Nodes[^1].Op;
        var r = new Rng((ulong)seed);
        for (int c = 0; c < op.Channels; c++)
        {
            op.Weight!.Value.Data[c] = 0.5f + r.NextSingle();
            op.Bias!.Value.Data[c] = r.NextSingle() - 0.5f;
            op.RunningMean.Value.Data[c] = r.NextSingle() - 0.5f;
            op.RunningVar.Value.Data[c] = 0.5f + r.NextSingle();
        }

        return op;
    }

    [Theory]
    // NOTE: in training, two values per channel normalise to ±1 whatever they are (a near-constant, badly curved
    // function), so training cases use at least three values per channel.
    [InlineData(1, 3, 5, true)]
    [InlineData(3, 2, 7, true)]
    [InlineData(3, 4, 1, true)]
    [InlineData(3, 5, 0, true)]
    [InlineData(1, 3, 1, false)]
    [InlineData(3, 2, 7, false)]
    [InlineData(3, 5, 0, false)]
    public void Gradient_MatchesFiniteDifferences(int batch, int channels, int length, bool training)
    {
        int[] shape = length == 0 ? [batch, channels] : [batch, channels, length];
        Graph g = OpHarness.Single(shape, (b, x) => b.BatchNorm1d(x));
        Randomise(g, 3);
        Tensor x = GradientCheck.Random(new Rng(4), -2, 2, shape);
        GradientCheck.Check(g, [x], training: training);
    }

    [Fact]
    public void Training_HandComputed_UsesBiasedVarianceForOutputAndUnbiasedForRunningVar()
    {
        Graph g = OpHarness.Single([2, 1, 2], (b, x) => b.BatchNorm1d(x));
        var op = (BatchNorm1dOp)g.Nodes[^1].Op;
        var y = OpHarness.Run(g, Tensor.FromValues([1f, 2f, 3f, 6f], 2, 1, 2), training: true);
        // mean 3, biased variance 14/4 = 3.5, unbiased 14/3.
        double inv = 1 / Math.Sqrt(3.5 + 1e-5);
        OpHarness.Close([(float)(-2 * inv), (float)(-1 * inv), 0f, (float)(3 * inv)], y.Data);
        OpHarness.Close([0.3f], op.RunningMean.Value.Data);
        OpHarness.Close([(float)(0.9 + (0.1 * 14.0 / 3.0))], op.RunningVar.Value.Data);
    }

    [Fact]
    public void Eval_UsesRunningStatistics_AndLeavesThemAlone()
    {
        Graph g = OpHarness.Single([1, 2, 1], (b, x) => b.BatchNorm1d(x));
        var op = (BatchNorm1dOp)g.Nodes[^1].Op;
        op.RunningMean.Value.Data[0] = 1f;
        op.RunningVar.Value.Data[0] = 4f;
        op.Weight!.Value.Data[1] = 2f;
        op.Bias!.Value.Data[1] = 0.5f;
        var y = OpHarness.Run(g, Tensor.FromValues([3f, 3f], 1, 2, 1));
        OpHarness.Close([(float)(2 / Math.Sqrt(4 + 1e-5)), (float)((2 * 3 / Math.Sqrt(1 + 1e-5)) + 0.5)], y.Data);
        Assert.Equal(new[] { 1f, 0f }, op.RunningMean.Value.Data);
        Assert.Equal(AttributionClass.Linear, op.Attribution);
    }

    [Fact]
    public void Parameters_AreNamedLikePyTorch_RunningStatsNotTrainable()
    {
        Graph g = OpHarness.Single([1, 3, 5], (b, x) => b.BatchNorm1d(x, name: "bn"));
        Assert.Equal(new[] { "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var" }, g.Parameters.Select(p => p.Name));
        Assert.Equal(new[] { "bn.weight", "bn.bias" }, g.TrainableParameters.Select(p => p.Name));
    }

    [Fact]
    public void WrongChannels_SaysExpectedAndGot()
    {
        var b = new GraphBuilder();
        Node x = b.Input("x", 4, 10);
        var ex = Assert.Throws<ArgumentException>(() => b.Add(new BatchNorm1dOp(3), [x]));
        Assert.Contains("BatchNorm1d expects (batch, 3, length) or (batch, 3); got (1, 4, 10)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_OneValuePerChannel_Throws()
    {
        Graph g = OpHarness.Single([1, 2, 1], (b, x) => b.BatchNorm1d(x));
        Assert.Throws<ArgumentException>(() => OpHarness.Run(g, new Tensor(1, 2, 1), training: true));
    }

    [Fact]
    public void Training_NonGradientRule_IsRejected()
    {
        Graph g = OpHarness.Single([2, 2, 3], (b, x) => b.BatchNorm1d(x));
        var exec = new Executor(g) { Training = true };
        exec.Forward(GradientCheck.Random(new Rng(1), -1, 1, [2, 2, 3]));
        Assert.Throws<NotSupportedException>(() => exec.Backward(new Tensor(2, 2, 3), new BackwardOptions { Rule = BackwardRule.Rescale, Pairs = RowPairs.Stacked(1) }));
    }
}
