using SeqLens.Graphs.Ops;

namespace SeqLens.Tests.Graphs;

public class SpecialFunctionsTests
{
    // Reference values: CPython's math.erf / math.erfc (correctly rounded to ~1 ulp).
    [Theory]
    [InlineData(1e-3, 0.0011283787909692365)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(2.4999, 0.9995928300996666)]
    [InlineData(2.5, 0.999593047982555)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(4.0, 0.9999999845827421)]
    public void Erf_MatchesReferenceValues_AndIsOdd(double x, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.Erf(x), 1e-14 * expected);
        Assert.Equal(-expected, SpecialFunctions.Erf(-x), 1e-14 * expected);
    }

    [Theory]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(2.5, 0.0004069520174449589)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(4.0, 1.541725790028002e-08)]
    [InlineData(5.0, 1.5374597944280351e-12)]
    [InlineData(10.0, 2.088487583762545e-45)]
    public void Erfc_KeepsRelativeAccuracyInTheTail(double x, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.ErfcReference(x), 1e-13 * expected);
        Assert.Equal(expected, SpecialFunctions.Erfc(x), 1e-10 * expected);
    }

    [Fact]
    public void Erfc_FastPathMatchesReferenceOverTheLine()
    {
        double worst = 0;
        for (double x = -6; x <= 12; x += 0.001237)
        {
            double reference = SpecialFunctions.ErfcReference(x);
            worst = Math.Max(worst, Math.Abs(SpecialFunctions.Erfc(x) - reference) / reference);
        }

        Assert.InRange(worst, 0, 1e-10);
        Assert.Equal(2.0, SpecialFunctions.Erfc(double.NegativeInfinity));
        Assert.Equal(0.0, SpecialFunctions.Erfc(double.PositiveInfinity));
    }

    [Fact]
    public void Erf_LimitsAndNaN()
    {
        Assert.Equal(0.0, SpecialFunctions.Erf(0.0));
        Assert.Equal(1.0, SpecialFunctions.Erf(40.0));
        Assert.Equal(-1.0, SpecialFunctions.Erf(double.NegativeInfinity));
        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
    }

    [Fact]
    public void ExpM1_SmallArgumentsKeepRelativeAccuracy()
    {
        Assert.Equal(1.0000005000001667e-6, SpecialFunctions.ExpM1(1e-6), 1e-21);
        Assert.Equal(Math.E - 1, SpecialFunctions.ExpM1(1.0), 1e-15);
    }
}
