namespace SeqLens.Attribution;

/// <summary>Quadrature points α_k ∈ [0, 1] and weights of an <see cref="IntegrationMethod"/> (weights sum to 1).</summary>
public static class IntegrationPoints
{
    /// <summary>The <paramref name="steps"/> points and weights of <paramref name="method"/>.</summary>
    public static (double[] Alphas, double[] Weights) Get(IntegrationMethod method, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        var a = new double[steps];
        var w = new double[steps];
        switch (method)
        {
            case IntegrationMethod.RiemannLeft:
            case IntegrationMethod.RiemannRight:
            case IntegrationMethod.RiemannMiddle:
                double shift = method switch { IntegrationMethod.RiemannLeft => 0, IntegrationMethod.RiemannRight => 1, _ => 0.5 };
                for (int k = 0; k < steps; k++)
                {
                    a[k] = (k + shift) / steps;
                    w[k] = 1.0 / steps;
                }

                break;
            case IntegrationMethod.RiemannTrapezoid:
                if (steps < 2)
                {
                    throw new ArgumentException("The trapezoid rule needs at least 2 steps.", nameof(steps));
                }

                for (int k = 0; k < steps; k++)
                {
                    a[k] = (double)k / (steps - 1);
                    w[k] = (k == 0 || k == steps - 1 ? 0.5 : 1.0) / (steps - 1);
                }

                break;
            case IntegrationMethod.GaussLegendre:
                GaussLegendre(steps, a, w);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown integration method.");
        }

        return (a, w);
    }

    // Newton iteration on the Legendre polynomial P_n from the Tricomi initial guess (Numerical Recipes gauleg), mapped to [0, 1].
    private static void GaussLegendre(int n, double[] alphas, double[] weights)
    {
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double pp;
            while (true)
            {
                double p1 = 1.0;
                double p2 = 0.0;
                for (int j = 0; j < n; j++)
                {
                    double p3 = p2;
                    p2 = p1;
                    p1 = (((2.0 * j) + 1.0) * z * p2 - (j * p3)) / (j + 1);
                }

                pp = n * ((z * p1) - p2) / ((z * z) - 1.0);
                double z1 = z;
                z = z1 - (p1 / pp);
                if (Math.Abs(z - z1) < 1e-15)
                {
                    break;
                }
            }

            double wt = 2.0 / ((1.0 - (z * z)) * pp * pp);
            alphas[i] = (1.0 - z) / 2.0;
            alphas[n - 1 - i] = (1.0 + z) / 2.0;
            weights[i] = wt / 2.0;
            weights[n - 1 - i] = wt / 2.0;
        }
    }
}
