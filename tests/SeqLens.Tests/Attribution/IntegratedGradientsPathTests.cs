using SeqLens.Attribution;
using SeqLens.Graphs;
using SeqLens.Kernels;

namespace SeqLens.Tests.Attribution;

/// <summary>The linear-first-layer path of integrated gradients against the plain path (same integral, other summation order).</summary>
public class IntegratedGradientsPathTests
{
    private static Graph SmallBasset(int length, bool firstBatchNorm = true)
    {
        var b = new GraphBuilder(11);
        Node x = b.Input("dna", 4, length);
        Node c = b.Conv1d(x, 16, 7, padding: Padding.Same, name: "conv1");
        Node h = b.MaxPool1d(b.Relu(firstBatchNorm ? b.BatchNorm1d(c, name: "bn1") : c), 3);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 12, 5, name: "conv2"), name: "bn2")), 2);
        Node f = b.Relu(b.Dense(b.Flatten(h), 10));
        Graph g = b.Build(b.Dense(f, 3), activation: OutputActivation.None);
        if (firstBatchNorm)
        {
            AttributionModels.RandomiseBatchNorm((SeqLens.Graphs.Ops.BatchNorm1dOp)g["bn1"].Op, 3);
        }

        return g;
    }

    [Theory]
    [InlineData(IntegrationMethod.GaussLegendre, 20, true)]
    [InlineData(IntegrationMethod.RiemannTrapezoid, 9, true)]
    [InlineData(IntegrationMethod.GaussLegendre, 20, false)]
    public void LinearFirstLayer_MatchesThePlainPath(IntegrationMethod method, int steps, bool firstBatchNorm)
    {
        Graph g = SmallBasset(60, firstBatchNorm);
        Tensor x = AttributionModels.RandomDna(3, 60, 4);
        AttributionReferences refs = AttributionReferences.DinucleotideShuffles(2, 9);
        AttributionResult fast = new IntegratedGradients(g) { Steps = steps, Method = method }.Attribute(x, refs, AttributionTarget.Task(1));
        AttributionResult plain = new IntegratedGradients(g) { Steps = steps, Method = method, LinearFirstLayer = false }.Attribute(x, refs, AttributionTarget.Task(1));
        AttributionAssert.SameIntegral(plain, fast);
    }

    [Fact]
    public void LinearFirstLayer_BitIdenticalAcrossBatchSizesAndThreads()
    {
        // The model continues with ReLU → max-pool → conv, so this also covers the piecewise second layer.
        Graph g = SmallBasset(600);
        Tensor x = AttributionModels.RandomDna(1, 600, 8);
        long breakpoints = 0;
        float[] Run(int batch, int threads)
        {
            int saved = KernelThreads.MaxDegree;
            try
            {
                KernelThreads.MaxDegree = threads;
                var ig = new IntegratedGradients(g) { Steps = 12, BatchSize = batch };
                float[] scores = ig.Attribute(x, AttributionReferences.Zeros(), AttributionTarget.Task(0)).Contributions.Data;
                breakpoints = ig.LastBreakpoints;
                return scores;
            }
            finally
            {
                KernelThreads.MaxDegree = saved;
            }
        }

        float[] reference = Run(12, 1);
        Assert.True(breakpoints > 0, "the second convolution ran piecewise, across breakpoints");
        Assert.Equal(reference, Run(5, 1));
        Assert.Equal(reference, Run(12, 2));
        Assert.Equal(reference, Run(1, 2));
    }
}
