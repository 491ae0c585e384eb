using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Tests.Graphs;

/// <summary>Transpose, Pad, Slice and Concat: gradient checks, hand cases and messages.</summary>
public class LayoutOpTests
{
    private static Tensor Iota(params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++)
        {
            t.Data[i] = i;
        }

        return t;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 2, 7)]
    [InlineData(2, 5, 3)]
    public void Gradient_MatchesFiniteDifferences(int batch, int channels, int length)
    {
        int[] shape = [batch, channels, length];
        OpHarness.Check(shape, (b, x) => b.Transpose(x, [0, 2, 1]));
        OpHarness.Check(shape, (b, x) => b.Pad(x, 2, 1, 0.5f));
        OpHarness.Check(shape, (b, x) => b.Slice(x, -1, -length, null, 2));
        OpHarness.Check(shape, (b, x) => b.Slice(x, 1, 0, 1));
        OpHarness.Check(shape, (b, x) => b.Concat([x, b.Tanh(x), x], axis: 1));
        OpHarness.Check(shape, (b, x) => b.Concat([b.Sigmoid(x), x], axis: -1));
    }

    [Fact]
    public void Transpose_Rank4_GradientAndValues()
    {
        OpHarness.Check([2, 3, 1, 4], (b, x) => b.Transpose(x, [0, 3, 1, 2]));
        var y = OpHarness.Run(OpHarness.Single([1, 2, 3], (b, x) => b.Transpose(x, [0, 2, 1])), Iota(1, 2, 3));
        Assert.Equal(new[] { 1, 3, 2 }, y.Shape);
        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, y.Data);
    }

    [Fact]
    public void Pad_HandComputed()
    {
        var y = OpHarness.Run(OpHarness.Single([1, 2, 2], (b, x) => b.Pad(x, 1, 2, -1f)), Iota(1, 2, 2));
        Assert.Equal(new[] { 1, 2, 5 }, y.Shape);
        Assert.Equal(new[] { -1f, 0f, 1f, -1f, -1f, -1f, 2f, 3f, -1f, -1f }, y.Data);
    }

    [Theory]
    [InlineData(1, null, 1, new[] { 1f, 2f, 3f, 4f, 5f, 6f })]
    [InlineData(-3, null, 1, new[] { 4f, 5f, 6f })]
    [InlineData(0, -2, 2, new[] { 0f, 2f, 4f })]
    [InlineData(-100, 100, 3, new[] { 0f, 3f, 6f })]
    [InlineData(5, 3, 1, null)]
    public void Slice_FollowsPythonRules(int start, int? end, int step, float[]? expected)
    {
        int[] shape = [1, 1, 7];
        if (expected is null)
        {
            var ex = Assert.Throws<ArgumentException>(() => OpHarness.Single(shape, (b, x) => b.Slice(x, 2, start, end, step)));
            Assert.Contains("selects nothing", ex.Message, StringComparison.Ordinal);
            return;
        }

        var y = OpHarness.Run(OpHarness.Single(shape, (b, x) => b.Slice(x, 2, start, end, step)), Iota(shape));
        Assert.Equal(expected, y.Data);
    }

    [Fact]
    public void Slice_MiddleAxis()
    {
        var y = OpHarness.Run(OpHarness.Single([2, 3, 2], (b, x) => b.Slice(x, 1, 1)), Iota(2, 3, 2));
        Assert.Equal(new[] { 2, 2, 2 }, y.Shape);
        Assert.Equal(new[] { 2f, 3f, 4f, 5f, 8f, 9f, 10f, 11f }, y.Data);
    }

    [Fact]
    public void Concat_HandComputed_AndMismatchMessage()
    {
        var b = new GraphBuilder();
        Node a = b.Input("a", 1, 2);
        Node c = b.Input("c", 2, 2);
        Graph g = b.Build(b.Concat([a, c]), activation: OutputActivation.None);
        var y = new Executor(g).Forward([Tensor.FromValues([1f, 2f], 1, 1, 2), Tensor.FromValues([3f, 4f, 5f, 6f], 1, 2, 2)])[0];
        Assert.Equal(new[] { 1, 3, 2 }, y.Shape);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, y.Data);

        var b2 = new GraphBuilder();
        Node p = b2.Input("p", 2, 3);
        Node q = b2.Input("q", 2, 4);
        var ex = Assert.Throws<ArgumentException>(() => b2.Concat([p, q], axis: 1));
        Assert.Contains("Concat expects inputs of shape (1, *, 3) along axis 1; got (1, 2, 3) and (1, 2, 4)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { 2, 7 }, b2.Concat([p, q], axis: 2).SampleShape);
    }

    [Fact]
    public void Axes_BatchAxisIsRejected()
    {
        var b = new GraphBuilder();
        Node x = b.Input("x", 2, 3);
        Assert.Contains("batch", Assert.Throws<ArgumentException>(() => b.Slice(x, 0, 1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => b.Slice(x, 3, 1));
        Assert.Throws<ArgumentException>(() => b.Transpose(x, [1, 0, 2]));
        Assert.Throws<ArgumentException>(() => b.Transpose(x, [0, 1]));
        Assert.Throws<ArgumentException>(() => b.Pad(x, -1, 0));
    }

    [Fact]
    public void Attributes_RoundTripThroughRegistry()
    {
        Op[] ops = [new TransposeOp(0, 2, 1), new PadOp(1, 3, 0.25f), new SliceOp(-1, -3, null, 2), new SliceOp(2, 0, 2), new ConcatOp(2)];
        var input = Iota(1, 2, 5);
        foreach (Op op in ops)
        {
            var json = new System.Text.Json.Nodes.JsonObject();
            op.WriteAttributes(json);
            Op copy = OpRegistry.Create(op.Kind, new OpAttributes("n", json), [[1, 2, 5]], new Rng(0));
            Tensor Run(Op o)
            {
                var b = new GraphBuilder();
                return OpHarness.Run(b.Build(b.Add(o, [b.Input("x", 2, 5)]), activation: OutputActivation.None), input);
            }

            Assert.Equal(Run(op).Data, Run(copy).Data);
        }
    }
}
