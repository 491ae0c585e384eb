using SeqLens.Regions;

namespace SeqLens.Tests.Regions;

public class MultipleTestingTests
{
    [Fact]
    public void BenjaminiHochberg_HandComputedExample()
    {
        // m = 5 non-NaN. Sorted: 0.005, 0.01, 0.03, 0.04, 0.5 -> m p / i = 0.025, 0.025, 0.05, 0.05, 0.5; running minimum from the top.
        double[] q = MultipleTesting.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005, double.NaN, 0.5]);
        Assert.Equal(0.025, q[0], 12);
        Assert.Equal(0.05, q[1], 12);
        Assert.Equal(0.05, q[2], 12);
        Assert.Equal(0.025, q[3], 12);
        Assert.True(double.IsNaN(q[4]));
        Assert.Equal(0.5, q[5], 12);
    }

    [Fact]
    public void BenjaminiHochberg_MonotoneStepUp_AsRPAdjust()
    {
        // R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "BH") = 0.05 0.05 0.05 0.05 0.05
        Assert.All(MultipleTesting.BenjaminiHochberg([0.01, 0.02, 0.03, 0.04, 0.05]), v => Assert.Equal(0.05, v, 12));

        // R: p.adjust(c(0.001, 0.2, 0.9), "BH") = 0.003 0.3 0.9
        Assert.Equal([0.003, 0.3, 0.9], MultipleTesting.BenjaminiHochberg([0.001, 0.2, 0.9]).Select(v => Math.Round(v, 12)));
        Assert.Throws<ArgumentException>(() => MultipleTesting.BenjaminiHochberg([1.5]));
    }
}
