using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

public class PoolingOpTests
{
    private static void CheckDistinct(int[] shape, Func<GraphBuilder, Node, Node> layer)
    {
        Graph g = OpHarness.Single(shape, layer);
        GradientCheck.Check(g, [OpHarness.Distinct(new Rng(3), shape)]);
    }

    [Theory]
    [InlineData(1, 1, 1, 1, null, 0)]
    [InlineData(3, 2, 7, 2, null, 0)]
    [InlineData(1, 3, 13, 3, 2, 1)]
    [InlineData(3, 2, 11, 4, 3, 2)]
    [InlineData(2, 2, 5, 5, 1, 0)]
    public void MaxPool_Gradient_MatchesFiniteDifferences(int batch, int channels, int length, int kernel, int? stride, int pad)
        => CheckDistinct([batch, channels, length], (b, x) => b.MaxPool1d(x, kernel, stride, Padding.Symmetric(pad)));

    [Theory]
    [InlineData(1, 1, 1, 1, null, 0, true)]
    [InlineData(3, 2, 7, 2, null, 0, true)]
    [InlineData(1, 3, 13, 3, 2, 1, true)]
    [InlineData(1, 3, 13, 3, 2, 1, false)]
    [InlineData(3, 2, 11, 4, 3, 2, false)]
    public void AvgPool_Gradient_MatchesFiniteDifferences(int batch, int channels, int length, int kernel, int? stride, int pad, bool countPad)
        => OpHarness.Check([batch, channels, length], (b, x) => b.AvgPool1d(x, kernel, stride, Padding.Symmetric(pad), countPad));

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 4, 7)]
    [InlineData(2, 3, 13)]
    public void GlobalPools_Gradient_MatchesFiniteDifferences(int batch, int channels, int length)
    {
        CheckDistinct([batch, channels, length], (b, x) => b.GlobalMaxPool(x));
        OpHarness.Check([batch, channels, length], (b, x) => b.GlobalAvgPool(x));
    }

    [Fact]
    public void Pools_HandComputed_WithPadding()
    {
        var x = Tensor.FromValues([1f, 3f, 2f, 5f, 4f], 1, 1, 5);
        Tensor Run(Func<GraphBuilder, Node, Node> layer) => OpHarness.Run(OpHarness.Single([1, 1, 5], layer), x);

        Assert.Equal(new[] { 3f, 5f }, Run((b, n) => b.MaxPool1d(n, 2)).Data);
        Assert.Equal(new[] { 1f, 3f, 5f }, Run((b, n) => b.MaxPool1d(n, 2, padding: Padding.Symmetric(1))).Data);
        Assert.Equal(new[] { 0.5f, 2.5f, 4.5f }, Run((b, n) => b.AvgPool1d(n, 2, padding: Padding.Symmetric(1))).Data);
        Assert.Equal(new[] { 1f, 2.5f, 4.5f }, Run((b, n) => b.AvgPool1d(n, 2, padding: Padding.Symmetric(1), countIncludePad: false)).Data);
        Assert.Equal(new[] { 2f, 11f / 3f }, Run((b, n) => b.AvgPool1d(n, 3, 2)).Data);
        Assert.Equal(new[] { 5f }, Run((b, n) => b.GlobalMaxPool(n)).Data);
        Assert.Equal(new[] { 3f }, Run((b, n) => b.GlobalAvgPool(n)).Data);
        // Keras' "same": ceil(5 / 2) = 3 outputs, the extra pad on the right, padding never counted.
        Assert.Equal(new[] { 3f, 5f, 4f }, Run((b, n) => b.MaxPool1d(n, 2, padding: Padding.Same)).Data);
    }

    [Fact]
    public void MaxPool_Backward_RoutesToTheWinner()
    {
        Graph g = OpHarness.Single([1, 1, 5], (b, n) => b.MaxPool1d(n, 2, 1));
        var exec = new Executor(g);
        exec.Forward(Tensor.FromValues([1f, 3f, 2f, 5f, 4f], 1, 1, 5));
        exec.Backward(Tensor.FromValues([1f, 10f, 100f, 1000f], 1, 1, 4));
        Assert.Equal(new[] { 0f, 11f, 0f, 1100f, 0f }, exec.Gradient("x")!.Data);
    }

    [Fact]
    public void AttributionClasses()
    {
        Assert.Equal(AttributionClass.MaxPool, new MaxPool1dOp(2).Attribution);
        Assert.Equal(AttributionClass.MaxPool, new GlobalMaxPoolOp().Attribution);
        Assert.Equal(AttributionClass.Linear, new AvgPool1dOp(2).Attribution);
        Assert.Equal(AttributionClass.Linear, new GlobalAvgPoolOp().Attribution);
    }

    [Fact]
    public void WrongRankOrTooShort_SaysExpectedAndGot()
    {
        var b = new GraphBuilder();
        Node flat = b.Input("flat", 8);
        Node shortSeq = b.Input("short", 4, 2);
        var ex = Assert.Throws<ArgumentException>(() => b.MaxPool1d(flat, 2));
        Assert.Contains("MaxPool1d expects (batch, channels, length); got (1, 8)", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => b.AvgPool1d(shortSeq, 3));
        Assert.Contains("AvgPool1d expects (batch, channels, length ≥ 3); got (1, 4, 2)", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => b.GlobalMaxPool(flat));
        Assert.Contains("GlobalMaxPool expects (batch, channels, length); got (1, 8)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MaxPool1dOp(2, padding: Padding.Symmetric(2)));
    }

    [Fact]
    public void Attributes_RoundTripThroughRegistry()
    {
        var op = new AvgPool1dOp(4, 3, Padding.Symmetric(1), countIncludePad: false);
        var json = new System.Text.Json.Nodes.JsonObject();
        op.WriteAttributes(json);
        var copy = (AvgPool1dOp)OpRegistry.Create("AvgPool1d", new OpAttributes("p", json), [[1, 2, 9]], new Rng(0));
        Assert.Equal((op.KernelSize, op.Stride, op.Padding, op.CountIncludePad), (copy.KernelSize, copy.Stride, copy.Padding, copy.CountIncludePad));
        var max = (MaxPool1dOp)OpRegistry.Create("MaxPool1d", new OpAttributes("m", new System.Text.Json.Nodes.JsonObject { ["kernel_size"] = 3 }), [[1, 2, 9]], new Rng(0));
        Assert.Equal(3, max.Stride);
    }
}
