using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Tests.Graphs;

public class ActivationOpTests
{
    public static TheoryData<string> Kinds => ["Relu", "LeakyRelu", "Elu", "Gelu", "Sigmoid", "Tanh", "Softplus", "Exp", "Log"];

    private static Node Layer(GraphBuilder b, Node x, string kind) => kind switch
    {
        "Relu" => b.Relu(x),
        "LeakyRelu" => b.LeakyRelu(x, 0.2f),
        "Elu" => b.Elu(x, 1.3f),
        "Gelu" => b.Gelu(x),
        "Sigmoid" => b.Sigmoid(x),
        "Tanh" => b.Tanh(x),
        "Softplus" => b.Softplus(x, beta: 1.5f, threshold: 2f),
        "Exp" => b.Exp(x),
        "Log" => b.Log(x),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Gradient_MatchesFiniteDifferences_OverOddShapes(string kind)
    {
        // Log needs positive inputs; Softplus with βx near its threshold (2) has a kink there, so keep |x| ≤ 1.2.
        float lo = kind == "Log" ? 0.2f : -1.2f;
        float hi = kind == "Log" ? 3f : 1.2f;
        float away = kind is "Relu" or "LeakyRelu" or "Elu" ? 0.05f : 0f;
        foreach (int[] shape in new[] { new[] { 1, 1, 1 }, [3, 2, 7], [2, 5] })
        {
            OpHarness.Check(shape, (b, x) => Layer(b, x, kind), lo, hi, away);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Op_IsElementwiseAndRoundTripsThroughRegistry(string kind)
    {
        Graph g = OpHarness.Single([1, 3], (b, x) => Layer(b, x, kind));
        Op op = g.Nodes[^1].Op;
        Assert.Equal(kind, op.Kind);
        Assert.Equal(AttributionClass.Elementwise, op.Attribution);
        var attrs = new System.Text.Json.Nodes.JsonObject();
        op.WriteAttributes(attrs);
        Op copy = OpRegistry.Create(kind, new OpAttributes("n", attrs), [[1, 3]], new Rng(1));
        var input = Tensor.FromValues([0.25f, 1.5f, 2.5f], 1, 3);
        var b2 = new GraphBuilder();
        Graph g2 = b2.Build(b2.Add(copy, [b2.Input("x", 3)]), activation: OutputActivation.None);
        Assert.Equal(OpHarness.Run(g, input).Data, OpHarness.Run(g2, input).Data);
    }

    [Fact]
    public void Forward_HandComputedValues()
    {
        var x = Tensor.FromValues([-2f, -1f, 0f, 1f, 3f, 25f], 1, 6);
        Tensor Run(Func<GraphBuilder, Node, Node> layer) => OpHarness.Run(OpHarness.Single([1, 6], layer), x);

        Assert.Equal(new[] { -0.02f, -0.01f, 0f, 1f, 3f, 25f }, Run((b, n) => b.LeakyRelu(n)).Data);
        OpHarness.Close([(float)(Math.Exp(-2) - 1), (float)(Math.Exp(-1) - 1), 0f, 1f, 3f, 25f], Run((b, n) => b.Elu(n)).Data);
        OpHarness.Close([-0.04550026389635842f, -0.15865525393145707f, 0f, 0.8413447460685429f, 2.99595030590511f, 25f], Run((b, n) => b.Gelu(n)).Data);
        OpHarness.Close([0.11920292202211755f, 0.2689414213699951f, 0.5f, 0.7310585786300049f, 0.9525741268224334f, 1f], Run((b, n) => b.Sigmoid(n)).Data);
        OpHarness.Close([-0.9640275800758169f, -0.7615941559557649f, 0f, 0.7615941559557649f, 0.9950547536867305f, 1f], Run((b, n) => b.Tanh(n)).Data);
        // Softplus: ln(1 + eˣ), and exactly x above the threshold 20.
        OpHarness.Close([0.1269280110429725f, 0.31326168751822286f, 0.6931471805599453f, 1.3132616875182228f, 3.048587351573742f, 25f], Run((b, n) => b.Softplus(n)).Data);
        OpHarness.Close([0.1353352832366127f, 0.36787944117144233f, 1f, 2.718281828459045f, 20.085536923187668f, 7.200489933738588e10f], Run((b, n) => b.Exp(n)).Data);
    }

    [Fact]
    public void Gelu_LeftTailKeepsRelativeAccuracy()
    {
        var y = OpHarness.Run(OpHarness.Single([1, 1], (b, n) => b.Gelu(n)), Tensor.FromValues([-5f], 1, 1));
        OpHarness.Close([-1.4332578593959731e-06f], y.Data, relative: 1e-6, absolute: 0);
    }

    [Fact]
    public void Log_OfZeroAndNegative_FollowsIeee()
    {
        var y = OpHarness.Run(OpHarness.Single([1, 2], (b, n) => b.Log(n)), Tensor.FromValues([0f, -1f], 1, 2));
        Assert.Equal(float.NegativeInfinity, y.Data[0]);
        Assert.True(float.IsNaN(y.Data[1]));
    }

    [Fact]
    public void Backward_NonGradientRule_IsNotSilentlyWrong()
    {
        Graph g = OpHarness.Single([1, 3], (b, n) => b.Tanh(n));
        var exec = new Executor(g);
        exec.Forward(Tensor.FromValues([0.1f, 0.2f, 0.3f], 1, 3));
        // DeepLIFT rules need row pairs; a rule the op does not implement (guided backprop) is refused, not approximated.
        Assert.Throws<ArgumentException>(() => exec.Backward(new Tensor(1, 3), new BackwardOptions { Rule = BackwardRule.Rescale }));
        Assert.Throws<NotSupportedException>(() => exec.Backward(new Tensor(1, 3), new BackwardOptions { Rule = BackwardRule.GuidedBackprop }));
    }

    [Fact]
    public void Constructors_RejectBadAttributes()
    {
        Assert.Throws<ArgumentException>(() => new SoftplusOp(beta: 0f));
        Assert.Throws<ArgumentException>(() => new EluOp(float.NaN));
        Assert.Throws<ArgumentException>(() => new LeakyReluOp(float.PositiveInfinity));
    }

    [Fact]
    public void GradientCheck_Softplus_AboveThresholdIsIdentity()
        => OpHarness.Check([2, 3, 5], (b, x) => b.Softplus(x, beta: 1f, threshold: 20f), 21f, 24f);
}
