namespace SeqLens.Tests.Import.Keras;

public sealed class AurocTests
{
    [Fact]
    public void Compute_HandExamples_MatchPairCounts()
    {
        Assert.Equal(1.0, Auroc.Compute([0.1, 0.2, 0.8, 0.9], [false, false, true, true]));
        Assert.Equal(0.0, Auroc.Compute([0.9, 0.8, 0.2, 0.1], [false, false, true, true]));

        // One tie between a positive and a negative counts one half: pairs (p, n) = 4, wins 3.5.
        Assert.Equal(3.5 / 4, Auroc.Compute([0.1, 0.5, 0.5, 0.9], [false, false, true, true]));
        Assert.Equal(0.5, Auroc.Compute([1, 1, 1, 1], [false, true, false, true]));
    }
}
