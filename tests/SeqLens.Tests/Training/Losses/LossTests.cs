using SeqLens.Graphs;
using SeqLens.Training.Losses;

namespace SeqLens.Tests.Training.Losses;

public class LossTests
{
    public static TheoryData<string> Names => new() { "bce", "cross-entropy", "mse", "poisson" };

    [Fact]
    public void BinaryCrossEntropy_MatchesPyTorch()
    {
        var x = Tensor.FromValues([0f, 2f, -3f, 0.5f, -1f, 4f], 2, 3);
        var y = Tensor.FromValues([1f, 0f, 1f, 0f, 1f, 1f], 2, 3);
        // torch.nn.functional.binary_cross_entropy_with_logits(x, y) = 1.3623584508895874
        Assert.Equal(1.3623584508895874, new BinaryCrossEntropyWithLogitsLoss().Compute(x, y), 1e-6);
    }

    [Fact]
    public void BinaryCrossEntropy_MaskedLabels_AreIgnoredAndGetZeroGradient()
    {
        var x = Tensor.FromValues([0f, 2f, -3f, 0.5f, -1f, 4f], 2, 3);
        var y = Tensor.FromValues([1f, -1f, 1f, 0f, -1f, 1f], 2, 3);
        var g = Initializers.Constant(99f, 2, 3);
        double loss = new BinaryCrossEntropyWithLogitsLoss().Compute(x, y, g);
        // torch BCE-with-logits over the unmasked (0, -3, 0.5, 4) with labels (1, 1, 0, 1) = 1.1834903955459595
        Assert.Equal(1.1834903955459595, loss, 1e-6);
        Assert.Equal(0f, g.Data[1]);
        Assert.Equal(0f, g.Data[4]);
        // (sigmoid(0) - 1) / 4 = -0.125
        Assert.Equal(-0.125f, g.Data[0], 6);
    }

    [Fact]
    public void BinaryCrossEntropy_AllMasked_ZeroLossAndGradient()
    {
        var g = Initializers.Constant(5f, 1, 2);
        double loss = new BinaryCrossEntropyWithLogitsLoss().Compute(Tensor.FromValues([3f, -2f], 1, 2), Tensor.FromValues([-1f, -1f], 1, 2), g);
        Assert.Equal(0, loss);
        Assert.All(g.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void BinaryCrossEntropy_HugeLogits_StayFinite()
    {
        var g = new Tensor(1, 4);
        double loss = new BinaryCrossEntropyWithLogitsLoss().Compute(Tensor.FromValues([1000f, -1000f, 1000f, -1000f], 1, 4), Tensor.FromValues([1f, 0f, 0f, 1f], 1, 4), g);
        // Two confident right answers (loss 0) and two confident wrong ones (loss 1000 each): mean 500.
        Assert.Equal(500, loss, 9);
        Assert.Equal(new[] { 0f, 0f, 0.25f, -0.25f }, g.Data);
    }

    [Fact]
    public void CrossEntropy_MatchesPyTorch()
    {
        var x = Tensor.FromValues([1f, 2f, 3f, 1f, 1f, 1f, -2f, 0.5f, 0f], 3, 3);
        // torch.nn.functional.cross_entropy(x, [2, 0, 1]) = 0.6767091155052185
        Assert.Equal(0.6767091155052185, new CrossEntropyLoss().Compute(x, Tensor.FromValues([2f, 0f, 1f], 3)), 1e-6);
    }

    [Fact]
    public void CrossEntropy_BadLabel_NamesSampleAndRange()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Compute(new Tensor(2, 3), Tensor.FromValues([0f, 3f], 2)));
        Assert.Contains("sample 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("0..2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MeanSquaredError_MatchesPyTorch()
    {
        var x = Tensor.FromValues([0f, 2f, -3f, 0.5f, -1f, 4f], 2, 3);
        var y = Tensor.FromValues([1f, 0f, 1f, 0f, 1f, 1f], 2, 3);
        Assert.Equal(5.708333492279053, new MeanSquaredErrorLoss().Compute(x, y), 1e-6);
    }

    [Fact]
    public void PoissonNll_MatchesPyTorch()
    {
        var x = Tensor.FromValues([0f, 2f, -3f, 0.5f, -1f, 4f], 2, 3);
        var y = Tensor.FromValues([0f, 3f, 1f, 2f, 0f, 5f], 2, 3);
        // torch.nn.functional.poisson_nll_loss(x, y) (log_input=True, full=False) = 6.842265605926514
        Assert.Equal(6.842265605926514, new PoissonNllLoss().Compute(x, y), 1e-6);
    }

    [Fact]
    public void Compute_ShapeMismatch_SaysExpectedAndGot()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MeanSquaredErrorLoss().Compute(new Tensor(2, 3), new Tensor(3, 2)));
        Assert.Contains("(2, 3)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(3, 2)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_MatchesFiniteDifferences(string name)
    {
        Loss loss = Loss.FromName(name);
        var rng = new Rng(17);
        const int n = 5, t = 3;
        var x = new Tensor(n, t);
        for (int i = 0; i < x.Length; i++)
        {
            x.Data[i] = (float)((rng.NextDouble() * 6) - 3);
        }

        Tensor y = name switch
        {
            "cross-entropy" => Tensor.FromValues([0f, 2f, -1f, 1f, 2f], n),
            "poisson" => Tensor.FromValues(Enumerable.Range(0, n * t).Select(i => (float)(i % 4)).ToArray(), n, t),
            "mse" => Tensor.FromValues(Enumerable.Range(0, n * t).Select(i => (float)(rng.NextDouble() - 0.5)).ToArray(), n, t),
            _ => Tensor.FromValues(Enumerable.Range(0, n * t).Select(i => (float)((i % 3) - 1)).ToArray(), n, t),
        };

        var g = new Tensor(n, t);
        loss.Compute(x, y, g);
        for (int i = 0; i < x.Length; i++)
        {
            float original = x.Data[i];
            float up = original + 1e-2f, down = original - 1e-2f;
            x.Data[i] = up;
            double plus = loss.Compute(x, y);
            x.Data[i] = down;
            double minus = loss.Compute(x, y);
            x.Data[i] = original;
            double numeric = (plus - minus) / ((double)up - down);
            Assert.True(Math.Abs(numeric - g.Data[i]) <= 2e-5 + (1e-4 * Math.Abs(numeric)), $"{name} element {i}: analytic {g.Data[i]}, numeric {numeric}");
        }
    }

    [Fact]
    public void FromName_Unknown_ListsKnown()
    {
        var ex = Assert.Throws<ArgumentException>(() => Loss.FromName("hinge"));
        Assert.Contains("bce, cross-entropy, mse, poisson", ex.Message, StringComparison.Ordinal);
    }
}
