using SeqLens.Attribution;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Tests.Attribution;

/// <summary>Saliency, gradient × input, SmoothGrad, integrated gradients and the quadratures.</summary>
public class GradientMethodTests
{
    [Fact]
    public void GaussLegendre_ThreePoints_KnownNodesAndWeights()
    {
        (double[] a, double[] w) = IntegrationPoints.Get(IntegrationMethod.GaussLegendre, 3);
        double h = Math.Sqrt(0.6) / 2;
        Assert.Equal(0.5 - h, a[0], 12);
        Assert.Equal(0.5, a[1], 12);
        Assert.Equal(0.5 + h, a[2], 12);
        Assert.Equal(5.0 / 18, w[0], 12);
        Assert.Equal(8.0 / 18, w[1], 12);
    }

    [Theory]
    [InlineData(IntegrationMethod.RiemannLeft, 4)]
    [InlineData(IntegrationMethod.RiemannRight, 4)]
    [InlineData(IntegrationMethod.RiemannMiddle, 5)]
    [InlineData(IntegrationMethod.RiemannTrapezoid, 6)]
    [InlineData(IntegrationMethod.GaussLegendre, 7)]
    public void Quadratures_WeightsSumToOneAndIntegrateLinearExactly(IntegrationMethod method, int steps)
    {
        (double[] a, double[] w) = IntegrationPoints.Get(method, steps);
        Assert.Equal(1.0, w.Sum(), 12);
        double linear = a.Zip(w, (x, v) => x * v).Sum();
        if (method is IntegrationMethod.RiemannLeft or IntegrationMethod.RiemannRight)
        {
            Assert.Equal(method == IntegrationMethod.RiemannLeft ? (steps - 1) / (2.0 * steps) : (steps + 1) / (2.0 * steps), linear, 12);
        }
        else
        {
            Assert.Equal(0.5, linear, 12);
        }
    }

    [Fact]
    public void Linear_AllGradientMethodsReduceToTheWeights()
    {
        const int length = 6;
        Graph g = AttributionModels.Linear(length);
        Tensor x = AttributionModels.RandomDna(3, length, 21);
        float[] w = ((DenseOp)g["out"].Op).Weight.Value.Data;
        AttributionResult sal = new Saliency(g, batchSize: 2).Attribute(x, AttributionTarget.Task(0));
        AttributionResult gxi = new Saliency(g).GradientTimesInput(x, AttributionTarget.Task(0));
        AttributionResult ig = new IntegratedGradients(g) { Steps = 5, Method = IntegrationMethod.RiemannMiddle }.Attribute(x, AttributionReferences.Zeros(), AttributionTarget.Task(0));
        AttributionResult sg = new SmoothGrad(g) { Samples = 4, Seed = 3 }.Attribute(x, AttributionTarget.Task(0));
        int sample = 4 * length;
        for (int i = 0; i < 3; i++)
        {
            for (int k = 0; k < sample; k++)
            {
                float xv = x.Data[(i * sample) + k];
                Assert.Equal(w[k], sal.Contributions.Data[(i * sample) + k], 6);
                Assert.Equal(w[k] * xv, gxi.Contributions.Data[(i * sample) + k], 6);
                Assert.Equal(w[k] * xv, ig.Contributions.Data[(i * sample) + k], 5);
                Assert.Equal(w[k], sg.Contributions.Data[(i * sample) + k], 5);
            }

            Assert.True(Math.Abs(ig.Deltas[i]) < 1e-4);
        }
    }

    [Fact]
    public void IntegratedGradients_DeltaShrinksWithSteps()
    {
        const int length = 12;
        Graph g = AttributionModels.Mixed(length);
        Tensor x = AttributionModels.RandomDna(2, length, 5);
        double Worst(IntegrationMethod m, int steps)
            => new IntegratedGradients(g) { Steps = steps, Method = m }.Attribute(x, AttributionReferences.Background(), AttributionTarget.Contrast(0, 1)).Deltas.Max(Math.Abs);
        double coarse = Worst(IntegrationMethod.RiemannTrapezoid, 3);
        double fine = Worst(IntegrationMethod.RiemannTrapezoid, 200);
        double gauss = Worst(IntegrationMethod.GaussLegendre, 50);
        Assert.True(fine < 0.2 * coarse, $"trapezoid 3 steps {coarse}, 200 steps {fine}");
        Assert.True(gauss < 0.2 * coarse, $"Gauss-Legendre 50 steps {gauss}");
    }

    [Fact]
    public void SmoothGrad_SameSeedSameBytes_DifferentSeedDifferent()
    {
        const int length = 10;
        Graph g = AttributionModels.Mixed(length);
        Tensor x = AttributionModels.RandomDna(2, length, 6);
        float[] a = new SmoothGrad(g) { Samples = 5, Seed = 1, BatchSize = 3 }.Attribute(x, AttributionTarget.Task(0)).Contributions.Data;
        float[] b = new SmoothGrad(g) { Samples = 5, Seed = 1, BatchSize = 7 }.Attribute(x, AttributionTarget.Task(0)).Contributions.Data;
        float[] c = new SmoothGrad(g) { Samples = 5, Seed = 2 }.Attribute(x, AttributionTarget.Task(0)).Contributions.Data;
        for (int k = 0; k < a.Length; k++)
        {
            Assert.Equal(a[k], b[k], 5);
        }

        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(64)]
    public void IntegratedGradients_DoesNotDependOnBatchSize(int batchSize)
    {
        const int length = 9;
        Graph g = AttributionModels.Mixed(length);
        Tensor x = AttributionModels.RandomDna(2, length, 7);
        AttributionResult a = new IntegratedGradients(g) { Steps = 7, BatchSize = batchSize }.Attribute(x, AttributionReferences.Background(), AttributionTarget.Task(2));
        AttributionResult b = new IntegratedGradients(g) { Steps = 7, BatchSize = 9 }.Attribute(x, AttributionReferences.Background(), AttributionTarget.Task(2));
        for (int k = 0; k < a.Contributions.Length; k++)
        {
            Assert.Equal(b.Contributions.Data[k], a.Contributions.Data[k], 5);
        }

        for (int p = 0; p < 2; p++)
        {
            Assert.Equal(b.TargetDeltas[p], a.TargetDeltas[p], 5);
            Assert.NotEqual(0, a.TargetDeltas[p]);
        }
    }
}
