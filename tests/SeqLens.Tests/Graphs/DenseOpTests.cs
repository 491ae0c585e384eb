using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Tests.Graphs;

public class DenseOpTests
{
    [Theory]
    [InlineData(new[] { 1, 1 }, 1)]
    [InlineData(new[] { 3, 7 }, 5)]
    [InlineData(new[] { 2, 3, 4 }, 2)]
    public void Gradient_MatchesFiniteDifferences(int[] shape, int outFeatures)
        => OpHarness.Check(shape, (b, x) => b.Dense(x, outFeatures));

    [Fact]
    public void HandComputed()
    {
        Graph g = OpHarness.Single([1, 2], (b, x) => b.Dense(x, 2));
        var d = (DenseOp)g.Nodes[^1].Op;
        new[] { 1f, 2f, -1f, 0.5f }.CopyTo(d.Weight.Value.Data, 0);
        new[] { 0.25f, -1f }.CopyTo(d.Bias!.Value.Data, 0);
        Assert.Equal(new[] { 1f + 6f + 0.25f, -1f + 1.5f - 1f }, OpHarness.Run(g, Tensor.FromValues([1f, 3f], 1, 2)).Data);
    }

    [Fact]
    public void WrongFeatures_SaysExpectedAndGot()
    {
        var b = new GraphBuilder();
        Node x = b.Input("x", 4, 10);
        var ex = Assert.Throws<ArgumentException>(() => b.Add(new DenseOp(3, 2, new Rng(0)), [x]));
        Assert.Contains("Dense expects (batch, ..., 3); got (1, 4, 10)", ex.Message, StringComparison.Ordinal);
    }
}
