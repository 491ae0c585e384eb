using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

/// <summary>Add, Sub, Mul, Sum and Mean.</summary>
public class ArithmeticOpTests
{
    private static void CheckTwoInputs(int[] shapeA, int[] shapeB, Func<GraphBuilder, Node, Node, Node> layer)
    {
        var b = new GraphBuilder(3);
        Node x = b.Input("a", shapeA[1..]);
        Node y = b.Input("b", shapeB[1..]);
        Graph g = b.Build(layer(b, x, y), activation: OutputActivation.None);
        GradientCheck.Check(g, [GradientCheck.Random(new Rng(1), -1, 1, shapeA), GradientCheck.Random(new Rng(2), -1, 1, shapeB)]);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 2, 7)]
    [InlineData(2, 3, 5)]
    public void Gradient_MatchesFiniteDifferences(int batch, int channels, int length)
    {
        int[] s = [batch, channels, length];
        CheckTwoInputs(s, s, (b, x, y) => b.Add(x, y));
        CheckTwoInputs(s, s, (b, x, y) => b.Add([x, y, b.Tanh(x)]));
        CheckTwoInputs(s, [batch, channels], (b, x, y) => b.Add(x, y));
        CheckTwoInputs([batch, channels, 1], s, (b, x, y) => b.Add(x, y));
        CheckTwoInputs(s, s, (b, x, y) => b.Sub(x, y));
        CheckTwoInputs(s, s, (b, x, y) => b.Mul(x, y));
        CheckTwoInputs(s, s, (b, x, y) => b.Mul(x, x));
    }

    [Theory]
    [InlineData(new[] { 1, 1, 1 }, new[] { 1 }, false)]
    [InlineData(new[] { 3, 2, 7 }, new[] { 2 }, false)]
    [InlineData(new[] { 3, 2, 7 }, new[] { -1, 1 }, true)]
    [InlineData(new[] { 2, 3, 5 }, new[] { 1 }, true)]
    [InlineData(new[] { 2, 3, 2, 5 }, new[] { 1, 3 }, false)]
    public void Reductions_Gradient_MatchesFiniteDifferences(int[] shape, int[] axes, bool keepDims)
    {
        OpHarness.Check(shape, (b, x) => b.Sum(x, axes, keepDims));
        OpHarness.Check(shape, (b, x) => b.Mean(x, axes, keepDims));
    }

    [Fact]
    public void HandComputed()
    {
        var b = new GraphBuilder();
        Node p = b.Input("p", 2, 3);
        Node c = b.Input("c", 2);
        Node add = b.Add(p, c, name: "add");
        Node sub = b.Sub(p, p, name: "sub");
        Node mul = b.Mul(p, p, name: "mul");
        Node sum = b.Sum(p, [2], name: "sum");
        Node mean = b.Mean(p, [1, 2], keepDims: true, name: "mean");
        Node meanC = b.Mean(p, [1], name: "meanc");
        Graph g = b.Build([.. new[] { add, sub, mul, sum, mean, meanC }.Select(n => GraphBuilder.MakeOutput(n, null, OutputActivation.None))]);
        var outs = new Executor(g).Forward([Tensor.FromValues([1f, 2f, 3f, 4f, 5f, 6f], 1, 2, 3), Tensor.FromValues([10f, 20f], 1, 2)]);
        Assert.Equal(new[] { 11f, 12f, 13f, 24f, 25f, 26f }, outs[0].Data);
        Assert.Equal(new float[6], outs[1].Data);
        Assert.Equal(new[] { 1f, 4f, 9f, 16f, 25f, 36f }, outs[2].Data);
        Assert.Equal(new[] { 6f, 15f }, outs[3].Data);
        Assert.Equal(new[] { 1, 1, 1 }, outs[4].Shape);
        Assert.Equal(new[] { 3.5f }, outs[4].Data);
        Assert.Equal(new[] { 2.5f, 3.5f, 4.5f }, outs[5].Data);
    }

    [Fact]
    public void ShapeMismatch_SaysExpectedAndGot()
    {
        var b = new GraphBuilder();
        Node p = b.Input("p", 2, 3);
        Node q = b.Input("q", 3, 3);
        Assert.Contains("Add expects inputs of shape (1, 3, 3), (1, 3) or (1, 3, 1); got (1, 2, 3) and (1, 3, 3)", Assert.Throws<ArgumentException>(() => b.Add(p, q)).Message, StringComparison.Ordinal);
        Assert.Contains("Sub expects two inputs of the same shape; got (1, 2, 3) and (1, 3, 3)", Assert.Throws<ArgumentException>(() => b.Sub(p, q)).Message, StringComparison.Ordinal);
        Assert.Contains("Mul expects two inputs of the same shape", Assert.Throws<ArgumentException>(() => b.Mul(p, q)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => b.Sum(p, [0]));
        Assert.Throws<ArgumentException>(() => b.Sum(p, [2, -1]));
        Assert.Throws<ArgumentException>(() => b.Mean(p, []));
    }

    [Fact]
    public void AttributionClasses()
    {
        Assert.Equal(AttributionClass.Linear, new AddOp().Attribution);
        Assert.Equal(AttributionClass.Linear, new SubOp().Attribution);
        Assert.Equal(AttributionClass.Product, new MulOp().Attribution);
        Assert.Equal(AttributionClass.Linear, new SumOp([1]).Attribution);
        Assert.Equal(AttributionClass.Linear, new MeanOp([1]).Attribution);
    }

    [Fact]
    public void Reductions_RoundTripThroughRegistry()
    {
        var json = new System.Text.Json.Nodes.JsonObject();
        new MeanOp([-1, 1], keepDims: true).WriteAttributes(json);
        var copy = (MeanOp)OpRegistry.Create("Mean", new OpAttributes("m", json), [[1, 2, 3]], new Rng(0));
        Assert.Equal(new[] { -1, 1 }, copy.Axes);
        Assert.True(copy.KeepDims);
    }
}
