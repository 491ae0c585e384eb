namespace SeqLens.Tests.Support;

/// <summary>Pearson's chi-square goodness-of-fit test against a uniform distribution.</summary>
public static class ChiSquare
{
    /// <summary>Chi-square statistic of <paramref name="observed"/> against equal expected counts.</summary>
    public static double UniformStatistic(IReadOnlyList<long> observed)
    {
        double total = observed.Sum();
        double expected = total / observed.Count;
        return observed.Sum(o => (o - expected) * (o - expected) / expected);
    }

    /// <summary>Upper-tail p-value P(X >= <paramref name="statistic"/>) for <paramref name="degreesOfFreedom"/>.</summary>
    public static double PValue(double statistic, int degreesOfFreedom)
        => RegularizedGammaQ(degreesOfFreedom / 2.0, statistic / 2.0);

    /// <summary>Q(a, x) = Γ(a, x) / Γ(a) by series (x &lt; a + 1) or continued fraction (Numerical Recipes 6.2).</summary>
    public static double RegularizedGammaQ(double a, double x)
    {
        if (x <= 0)
        {
            return 1.0;
        }

        double lnGammaA = LogGamma(a);
        if (x < a + 1)
        {
            double sum = 1.0 / a, term = sum, ap = a;
            for (int n = 0; n < 10_000; n++)
            {
                ap += 1;
                term *= x / ap;
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * 1e-15)
                {
                    break;
                }
            }

            return 1.0 - (sum * Math.Exp((-x) + (a * Math.Log(x)) - lnGammaA));
        }

        double b = x + 1 - a, c = 1.0 / 1e-300, d = 1.0 / b, h = d;
        for (int i = 1; i < 10_000; i++)
        {
            double an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            d = Math.Abs(d) < 1e-300 ? 1e-300 : d;
            c = b + (an / c);
            c = Math.Abs(c) < 1e-300 ? 1e-300 : c;
            d = 1.0 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return Math.Exp((-x) + (a * Math.Log(x)) - lnGammaA) * h;
    }

    private static double LogGamma(double x)
    {
        // Lanczos approximation (g = 7, n = 9).
        double[] c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        double sum = c[0];
        for (int i = 1; i < 9; i++)
        {
            sum += c[i] / (x + i);
        }

        double t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
