using SeqLens.Attribution;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Import.Keras;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Attribution;

/// <summary>
/// Integrated gradients with the second convolution in closed form between breakpoints (<see cref="PiecewiseSecondLayer"/>)
/// against the step-by-step path: the same integral up to float rounding, the same routing, any batch size and thread count.
/// </summary>
public class PiecewiseSecondLayerTests
{
    /// <summary>The shapes the piecewise layer handles: pools with and without overlap or padding, no pool, no ReLU, dilation.</summary>
    public enum Shape
    {
        BassetLike,
        OverlappingPaddedPool,
        NoPoolDilated,
        NoRelu,
        NoBatchNormValidConv,
        DropoutAfterPool,
    }

    private static Graph Model(Shape shape, int length)
    {
        var b = new GraphBuilder(21);
        Node x = b.Input("dna", 4, length);
        Node h = b.Conv1d(x, 12, 7, padding: Padding.Same, name: "conv1");
        if (shape != Shape.NoBatchNormValidConv)
        {
            h = b.BatchNorm1d(h, name: "bn1");
        }

        if (shape != Shape.NoRelu)
        {
            h = b.Relu(h);
        }

        h = shape switch
        {
            Shape.OverlappingPaddedPool => b.MaxPool1d(h, 4, 2, Padding.Symmetric(1)),
            Shape.NoPoolDilated => h,
            Shape.DropoutAfterPool => b.Dropout(b.MaxPool1d(h, 3), 0.2f),
            _ => b.MaxPool1d(h, 3),
        };
        h = shape switch
        {
            Shape.NoPoolDilated => b.Conv1d(h, 10, 5, dilation: 2, padding: Padding.Same, name: "conv2"),
            Shape.NoBatchNormValidConv => b.Conv1d(h, 10, 5, name: "conv2"),
            _ => b.Conv1d(h, 10, 5, padding: Padding.Same, name: "conv2"),
        };
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(h, name: "bn2")), 2);
        Node f = b.Relu(b.Dense(b.Flatten(h), 8));
        Graph g = b.Build(b.Dense(f, 3), activation: OutputActivation.None);
        // Nonzero biases and batch-norm shifts, as in a trained model: with zero biases and a zero baseline every ReLU and
        // max-pool is homogeneous along the path and there would be no breakpoints to test.
        var rng = new Rng(5);
        foreach (Node node in g.Nodes)
        {
            if (node.Op is Conv1dOp c && c.Bias is not null)
            {
                for (int i = 0; i < c.Bias.Value.Length; i++)
                {
                    c.Bias.Value.Data[i] = (float)((rng.NextDouble() * 0.6) - 0.3);
                }
            }

            if (node.Op is BatchNorm1dOp bn)
            {
                AttributionModels.RandomiseBatchNorm(bn, rng.NextInt(1000));
            }
        }

        return g;
    }

    [Theory]
    [InlineData(Shape.BassetLike, IntegrationMethod.GaussLegendre, 24)]
    [InlineData(Shape.BassetLike, IntegrationMethod.RiemannTrapezoid, 17)]
    [InlineData(Shape.OverlappingPaddedPool, IntegrationMethod.GaussLegendre, 24)]
    [InlineData(Shape.NoPoolDilated, IntegrationMethod.RiemannMiddle, 20)]
    [InlineData(Shape.NoRelu, IntegrationMethod.GaussLegendre, 24)]
    [InlineData(Shape.NoBatchNormValidConv, IntegrationMethod.GaussLegendre, 24)]
    [InlineData(Shape.DropoutAfterPool, IntegrationMethod.GaussLegendre, 24)]
    public void Piecewise_MatchesTheStepByStepPath(Shape shape, IntegrationMethod method, int steps)
    {
        Graph g = Model(shape, 90);
        Tensor x = AttributionModels.RandomDna(3, 90, 4);
        AttributionReferences refs = AttributionReferences.DinucleotideShuffles(2, 9);
        var piecewise = new IntegratedGradients(g) { Steps = steps, Method = method, BatchSize = 10 };
        AttributionResult fast = piecewise.Attribute(x, refs, AttributionTarget.Task(1));
        AttributionResult plain = new IntegratedGradients(g) { Steps = steps, Method = method, PiecewiseSecondConvolution = false }.Attribute(x, refs, AttributionTarget.Task(1));
        Assert.Equal(0, piecewise.LastFallbacks);
        Assert.True(piecewise.LastBreakpoints > 0, "the path crosses breakpoints (otherwise this test shows little)");
        AttributionAssert.SameIntegral(plain, fast);
    }

    [Fact]
    public void Fallback_WhenOverBudget_GivesTheSameScores()
    {
        Graph g = Model(Shape.BassetLike, 90);
        Tensor x = AttributionModels.RandomDna(2, 90, 5);
        var none = new IntegratedGradients(g) { Steps = 16, BreakpointBudget = 0 };
        AttributionResult fallen = none.Attribute(x, AttributionReferences.Zeros(), AttributionTarget.Task(0));
        AttributionResult plain = new IntegratedGradients(g) { Steps = 16, PiecewiseSecondConvolution = false }.Attribute(x, AttributionReferences.Zeros(), AttributionTarget.Task(0));
        Assert.Equal(2, none.LastFallbacks);
        Assert.Equal(0, none.LastBreakpoints);
        AttributionAssert.SameIntegral(plain, fallen); // not bit-equal: the second convolution is not folded with its batch-norm there
    }

    [Fact]
    public void Breakpoints_EqualABruteForceCountOfPieceChanges()
    {
        // Run the blended input through the model step by step and count, per pooled element, how often the selected
        // window member (or "closed" when the ReLU output is zero) changes between consecutive steps.
        Graph g = Model(Shape.OverlappingPaddedPool, 90);
        Tensor x = AttributionModels.RandomDna(1, 90, 6);
        const int steps = 30;
        var ig = new IntegratedGradients(g) { Steps = steps, Method = IntegrationMethod.RiemannLeft };
        ig.Attribute(x, AttributionReferences.Zeros(), AttributionTarget.Task(2));

        // The path's endpoints ride along as α = 0 (first) and α = 1 (last), with weight 0.
        (double[] points, _) = IntegrationPoints.Get(IntegrationMethod.RiemannLeft, steps);
        double[] alphas = [0.0, .. points, 1.0];
        var exec = new Executor(g);
        var pool = (MaxPool1dOp)g.Nodes.First(n => n.Op is MaxPool1dOp).Op;
        var ends = new Tensor(2, 4, 90);
        x.Data.CopyTo(ends.Data, 0);
        exec.Forward(ends);
        float[] z = exec.Value(g["bn1"]).Data;
        int n = 12 * 90;
        int pooled = g.Nodes.First(nd => nd.Op is Conv1dOp && nd.Name == "conv2").Inputs[0].SampleShape[1];
        int[]? previous = null;
        long changes = 0;
        for (int step = 0; step < alphas.Length; step++)
        {
            double alpha = alphas[step];
            bool start = step == 0;
            var pieces = new int[12 * pooled];
            for (int c = 0; c < 12; c++)
            {
                for (int l = 0; l < pooled; l++)
                {
                    float best = float.NegativeInfinity;
                    float bestSlope = 0f;
                    int at = -1;
                    for (int j = 0; j < pool.KernelSize; j++)
                    {
                        int m = (l * pool.Stride) - 1 + j; // symmetric padding 1
                        if (m < 0 || m >= 90)
                        {
                            continue;
                        }

                        float z0 = z[n + (c * 90) + m];
                        float slope = z[(c * 90) + m] - z0;
                        float v = z0 + ((float)alpha * slope);
                        if (start)
                        {
                            // The start row (α = 0, weight 0) takes its pieces just after 0: the greatest line there (ties:
                            // the greater slope); the Riemann-left point α = 0 that follows routes as the nodes do.
                            if (at < 0 || v > best || (v == best && slope > bestSlope))
                            {
                                best = v;
                                bestSlope = slope;
                                at = j;
                            }

                            continue;
                        }

                        v = v > 0f ? v : 0f;
                        if (at < 0 || v > best)
                        {
                            best = v;
                            at = j;
                        }
                    }

                    bool open = start ? best > 0f || (best == 0f && bestSlope > 0f) : best > 0f;
                    pieces[(c * pooled) + l] = open ? at : -1;
                }
            }

            if (previous is not null)
            {
                changes += pieces.Zip(previous).Count(p => p.First != p.Second);
            }

            previous = pieces;
        }

        Assert.True(changes > 10, $"only {changes} changes: the model is too tame for this test");
        Assert.Equal(changes, ig.LastBreakpoints);
    }

    [Fact]
    public void RepeatedCalls_ReuseBuffers_AndFollowChangedWeights()
    {
        Graph g = Model(Shape.BassetLike, 90);
        Tensor x = AttributionModels.RandomDna(1, 90, 9);
        var ig = new IntegratedGradients(g) { Steps = 16 };
        float[] first = ig.Attribute(x, AttributionReferences.Zeros(), AttributionTarget.Task(0)).Contributions.Data;
        Assert.Equal(first, ig.Attribute(x, AttributionReferences.Zeros(), AttributionTarget.Task(0)).Contributions.Data);

        // Weights changed in place (e.g. more training) must be seen by the cached path.
        var conv2 = (Conv1dOp)g["conv2"].Op;
        for (int i = 0; i < conv2.Weight.Value.Length; i++)
        {
            conv2.Weight.Value.Data[i] *= -0.5f;
        }

        AttributionResult changed = ig.Attribute(x, AttributionReferences.Zeros(), AttributionTarget.Task(0));
        AttributionResult fresh = new IntegratedGradients(g) { Steps = 16 }.Attribute(x, AttributionReferences.Zeros(), AttributionTarget.Task(0));
        Assert.NotEqual(first, changed.Contributions.Data);
        Assert.Equal(fresh.Contributions.Data, changed.Contributions.Data);
        Assert.Equal(fresh.ModelHash, changed.ModelHash);
    }

    [SharedDataFact("talgata/keras2_conv1d_record_5_model_PQzyq_modelJson.json", "talgata/keras2_conv1d_record_5_model_PQzyq_modelWeights.h5")]
    public void TrainedModel_DeepLiftPaperSimulation_MatchesTheStepByStepPath()
    {
        // The DeepLIFT paper's own trained model (conv → ReLU → conv → ReLU → max-pool → dense): real weights and biases,
        // so real breakpoint structure, against a GC-background baseline as in docs/benchmarks.md.
        Graph g = KerasImporter.Import(
            SharedData.Require("talgata/keras2_conv1d_record_5_model_PQzyq_modelJson.json"),
            SharedData.Require("talgata/keras2_conv1d_record_5_model_PQzyq_modelWeights.h5"));
        int length = g.Inputs[0].SampleShape[1];
        Tensor x = AttributionModels.RandomDna(4, length, 12);
        var piecewise = new IntegratedGradients(g) { Steps = 50 };
        AttributionResult fast = piecewise.Attribute(x, AttributionReferences.Background(), AttributionTarget.Task(1));
        AttributionResult plain = new IntegratedGradients(g) { Steps = 50, PiecewiseSecondConvolution = false }.Attribute(x, AttributionReferences.Background(), AttributionTarget.Task(1));
        Assert.Equal(0, piecewise.LastFallbacks);
        Assert.True(piecewise.LastBreakpoints > 100, $"{piecewise.LastBreakpoints} breakpoints");
        AttributionAssert.SameIntegral(plain, fast);
    }
}
