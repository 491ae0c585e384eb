using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

public class Conv1dOpTests
{
    [Theory]
    [InlineData(1, 4, 1, 3, 1, 1, "same", 1)]
    [InlineData(3, 4, 7, 3, 1, 1, "valid", 1)]
    [InlineData(1, 2, 13, 5, 2, 1, "valid", 1)]
    [InlineData(3, 3, 11, 3, 1, 2, "same", 1)]
    [InlineData(2, 4, 13, 4, 3, 2, "explicit", 1)]
    [InlineData(3, 4, 7, 3, 1, 1, "same", 2)]
    [InlineData(1, 6, 5, 2, 2, 1, "explicit", 3)]
    [InlineData(2, 2, 6, 4, 2, 1, "same", 1)]
    public void Gradient_MatchesFiniteDifferences(int batch, int inChannels, int length, int kernel, int stride, int dilation, string padding, int groups)
    {
        Padding pad = padding switch
        {
            "same" => Padding.Same,
            "valid" => Padding.Valid,
            _ => Padding.Explicit(2, 1),
        };
        Graph g = OpHarness.Single([batch, inChannels, length], (b, x) => b.Conv1d(x, 2 * groups, kernel, stride, dilation, pad, groups));
        // Non-zero bias so its gradient path is exercised with values, not just structure.
        var conv = (Conv1dOp)g.Nodes[^1].Op;
        for (int i = 0; i < conv.Bias!.Value.Length; i++)
        {
            conv.Bias.Value.Data[i] = 0.1f * (i + 1);
        }

        GradientCheck.Check(g, [GradientCheck.Random(new Rng(8), -1, 1, [batch, inChannels, length])]);
    }

    [Fact]
    public void NoBias_HasOnlyWeight()
    {
        Graph g = OpHarness.Single([2, 3, 5], (b, x) => b.Conv1d(x, 2, 3, bias: false, name: "c"));
        Assert.Equal(new[] { "c.weight" }, g.Parameters.Select(p => p.Name));
        GradientCheck.Check(g, [GradientCheck.Random(new Rng(2), -1, 1, [2, 3, 5])]);
    }

    [Fact]
    public void HandComputed_StrideDilationPadding()
    {
        // x = [1 2 3 4 5], w = [1, -1] dilation 2, stride 2, padding 1 each side:
        // padded [0 1 2 3 4 5 0]; windows at 0, 2, 4: (0 − 2), (2 − 4), (4 − 0).
        Graph g = OpHarness.Single([1, 1, 5], (b, x) => b.Conv1d(x, 1, 2, stride: 2, dilation: 2, padding: Padding.Symmetric(1), bias: false));
        var conv = (Conv1dOp)g.Nodes[^1].Op;
        conv.Weight.Value.Data[0] = 1f;
        conv.Weight.Value.Data[1] = -1f;
        var y = OpHarness.Run(g, Tensor.FromValues([1f, 2f, 3f, 4f, 5f], 1, 1, 5));
        Assert.Equal(new[] { -2f, -2f, 4f }, y.Data);
    }

    [Fact]
    public void WrongChannels_SaysExpectedAndGot()
    {
        var b = new GraphBuilder();
        Node x = b.Input("x", 4, 10);
        var ex = Assert.Throws<ArgumentException>(() => b.Add(new Conv1dOp(3, 2, 3, new Rng(0)), [x]));
        Assert.Contains("Conv1d expects (batch, 3, length); got (1, 4, 10)", ex.Message, StringComparison.Ordinal);
    }
}
