using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

public class ExecutorTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(2, 13)]
    public void ConvReluDense_GradientsMatchFiniteDifferences(int batch, int length)
    {
        var b = new GraphBuilder(seed: 3);
        var x = b.Input("x", 4, length);
        var h = b.Conv1d(x, 5, 3, padding: Padding.Same, name: "conv");
        h = b.Relu(h, name: "relu");
        var y = b.Dense(b.Add(new Reshape2dForTest(), [h]), 2, name: "out");
        Graph g = b.Build(y);
        var input = GradientCheck.Random(new Rng(5), -1, 1, [batch, 4, length]);
        GradientCheck.Check(g, [input]);
    }

    [Fact]
    public void Forward_HandComputedConvDense()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 3);
        var c = b.Conv1d(x, 1, 2, name: "c");
        Graph g = b.Build(c);
        var conv = (Conv1dOp)g["c"].Op;
        conv.Weight.Value.Data[0] = 2f;
        conv.Weight.Value.Data[1] = -1f;
        conv.Bias!.Value.Data[0] = 0.5f;
        var y = new Executor(g).Forward(Tensor.FromValues([1f, 2f, 4f], 1, 1, 3));
        Assert.Equal(new[] { 1, 1, 2 }, y.Shape);
        Assert.Equal(new[] { (2f * 1) - 2 + 0.5f, (2f * 2) - 4 + 0.5f }, y.Data);
    }

    [Fact]
    public void Backward_OnlyInputGradients_LeavesParameterGradientsZero()
    {
        var b = new GraphBuilder(seed: 1);
        var x = b.Input("x", 4, 9);
        Graph g = b.Build(b.Conv1d(x, 3, 3));
        var exec = new Executor(g);
        var y = exec.Forward(GradientCheck.Random(new Rng(1), -1, 1, [2, 4, 9]));
        exec.Backward(Initializers.Constant(1f, y.Shape), BackwardOptions.InputOnly);
        Assert.All(g.Parameters, p => Assert.All(p.Grad.Data, v => Assert.Equal(0f, v)));
        Assert.Contains(exec.Gradient("x")!.Data, v => v != 0f);
    }

    [Fact]
    public void Forward_WrongInputShape_SaysExpectedAndGot()
    {
        var b = new GraphBuilder();
        var x = b.Input("dna", 4, 10);
        Graph g = b.Build(b.Conv1d(x, 2, 3));
        var ex = Assert.Throws<ArgumentException>(() => new Executor(g).Forward(new Tensor(2, 5, 10)));
        Assert.Contains("(batch, 4, 10)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(2, 5, 10)", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Flattens (B, C, L) to (B, C·L) so the test does not depend on the Flatten op.</summary>
    private sealed class Reshape2dForTest : Op
    {
        public override string Kind => "TestFlatten";

        public override int[] InferShape(IReadOnlyList<int[]> inputShapes) => [inputShapes[0][0], inputShapes[0][1] * inputShapes[0][2]];

        public override void Forward(ForwardContext context) => context.Input.Data.CopyTo(context.Output.Data, 0);

        public override void Backward(BackwardContext context)
        {
            if (context.InputGrad(0) is Tensor dx)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(dx.Data, context.OutputGrad.Data, dx.Data);
            }
        }
    }
}
