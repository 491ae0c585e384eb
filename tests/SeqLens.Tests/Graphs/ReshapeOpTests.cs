using SeqLens.Graphs;

namespace SeqLens.Tests.Graphs;

public class ReshapeOpTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 2, 7)]
    public void FlattenAndReshape_Gradient_MatchesFiniteDifferences(int batch, int channels, int length)
    {
        OpHarness.Check([batch, channels, length], (b, x) => b.Dense(b.Flatten(x), 3));
        OpHarness.Check([batch, channels, length], (b, x) => b.Dense(b.Reshape(x, [length, -1]), 2));
    }

    [Fact]
    public void Flatten_IsRowMajorPerSample()
    {
        var x = Tensor.FromValues([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f], 2, 2, 3);
        Graph g = OpHarness.Single([2, 2, 3], (b, n) => b.Flatten(n));
        var y = OpHarness.Run(g, x);
        Assert.Equal(new[] { 2, 6 }, y.Shape);
        Assert.Equal(x.Data, y.Data);
        Assert.Equal(new[] { 6 }, g.Nodes[^1].SampleShape);
    }

    [Fact]
    public void Reshape_InfersMinusOne_AndRejectsMismatch()
    {
        var b = new GraphBuilder();
        Node x = b.Input("x", 4, 6);
        Assert.Equal(new[] { 3, 8 }, b.Reshape(x, [3, -1]).SampleShape);
        Assert.Equal(new[] { 2, 2, 6 }, b.Reshape(x, [2, 2, 6]).SampleShape);
        var ex = Assert.Throws<ArgumentException>(() => b.Reshape(x, [5, -1]));
        Assert.Contains("got (1, 4, 6)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => b.Reshape(x, [-1, -1]));
        Assert.Throws<ArgumentException>(() => b.Reshape(x, [7, 3]));
    }
}
