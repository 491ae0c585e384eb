namespace SeqLens.Tests;

public class RngTests
{
    [Fact]
    public void For_SameIndices_SameStream_DifferentIndices_DifferentStream()
    {
        Assert.Equal(Rng.For(7, 3, 1).NextUInt64(), Rng.For(7, 3, 1).NextUInt64());
        Assert.NotEqual(Rng.For(7, 3, 1).NextUInt64(), Rng.For(7, 3, 2).NextUInt64());
        Assert.NotEqual(Rng.For(7, 3, 1).NextUInt64(), Rng.For(8, 3, 1).NextUInt64());
    }

    [Fact]
    public void NextInt_IsUniform_ChiSquare()
    {
        var rng = new Rng(42);
        var counts = new int[10];
        const int n = 100_000;
        for (int i = 0; i < n; i++)
        {
            counts[rng.NextInt(10)]++;
        }

        double chi2 = counts.Sum(c => Math.Pow(c - (n / 10.0), 2) / (n / 10.0));
        Assert.True(chi2 < 27.88, $"chi-square {chi2} exceeds the 0.999 quantile for 9 degrees of freedom");
    }
}
