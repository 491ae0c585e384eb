using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

/// <summary>The checker itself must catch small gradient errors, or every gradient test above proves nothing.</summary>
public class GradientCheckTests
{
    [Theory]
    [InlineData(1.01f)]
    [InlineData(0.99f)]
    public void Check_CatchesAOnePercentInputGradientError(float factor)
    {
        var b = new GraphBuilder();
        Graph g = b.Build(b.Add(new ScaledTanh(factor), [b.Input("x", 3, 7)]), activation: OutputActivation.None);
        var x = GradientCheck.Random(new Rng(1), -1, 1, [2, 3, 7]);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GradientCheck.Check(g, [x]));
    }

    [Fact]
    public void Check_PassesTheExactGradient()
    {
        var b = new GraphBuilder();
        Graph g = b.Build(b.Add(new ScaledTanh(1f), [b.Input("x", 3, 7)]), activation: OutputActivation.None);
        GradientCheck.Check(g, [GradientCheck.Random(new Rng(1), -1, 1, [2, 3, 7])]);
    }

    [Fact]
    public void Check_CatchesAOnePercentParameterGradientError()
    {
        Graph g = OpHarness.Single([2, 3, 5], (b, x) => b.Add(new SkewedBatchNorm(3), [x]));
        var x = GradientCheck.Random(new Rng(1), -1, 1, [2, 3, 5]);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GradientCheck.Check(g, [x], training: true));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Check_CatchesAOnePercentError_InsideANoisyTrainingNetwork(bool skewed)
    {
        // Batch-norm in training makes the loss's rounding noise large; the noise allowance must not hide 1 %.
        var b = new GraphBuilder(seed: 22);
        Node x = b.Input("dna", 4, 7);
        Node h = skewed ? b.Add(new SkewedBatchNorm(4), [x]) : b.BatchNorm1d(x);
        h = b.Tanh(b.Conv1d(h, 5, 3, padding: Padding.Same));
        Graph g = b.Build(b.Dense(b.Flatten(h), 2), activation: OutputActivation.None);
        var input = OpHarness.Distinct(new Rng(9), [3, 4, 7], 0.1f);
        if (skewed)
        {
            Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GradientCheck.Check(g, [input], training: true));
        }
        else
        {
            GradientCheck.Check(g, [input], training: true);
        }
    }

    /// <summary>tanh whose backward is off by <c>factor</c>.</summary>
    private sealed class ScaledTanh(float factor) : ElementwiseOp
    {
        public override string Kind => "ScaledTanh";

        protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => System.Numerics.Tensors.TensorPrimitives.Tanh(x, y);

        protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
        {
            for (int i = 0; i < x.Length; i++)
            {
                dx[i] += factor * dy[i] * (1 - (y[i] * y[i]));
            }
        }
    }

    /// <summary>Batch-norm whose weight gradient is 1 % too large.</summary>
    private sealed class SkewedBatchNorm(int channels) : Op
    {
        private readonly BatchNorm1dOp _inner = new(channels);

        public override string Kind => "SkewedBatchNorm";

        public override IReadOnlyList<Parameter> Parameters => _inner.Parameters;

        public override int[] InferShape(IReadOnlyList<int[]> inputShapes) => _inner.InferShape(inputShapes);

        public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape) => _inner.CreateWorkspace(inputShapes, outputShape);

        public override void Forward(ForwardContext context) => _inner.Forward(context);

        public override void Backward(BackwardContext context)
        {
            var before = (float[])_inner.Weight!.Grad.Data.Clone();
            _inner.Backward(context);
            for (int i = 0; i < before.Length; i++)
            {
                _inner.Weight.Grad.Data[i] = before[i] + (1.01f * (_inner.Weight.Grad.Data[i] - before[i]));
            }
        }
    }
}
