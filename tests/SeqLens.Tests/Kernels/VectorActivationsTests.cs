using System.Runtime.Intrinsics;
using SeqLens.Kernels;

namespace SeqLens.Tests.Kernels;

public class VectorActivationsTests
{
    /// <summary>Arguments from −120 to 120: dense near 0 (down to 1e−30), then coarse, plus ±0 and the clamp edges.</summary>
    private static float[] Arguments()
    {
        var xs = new List<float> { 0f, -0f, 87f, -87f, 88f, -88f, 100f, -100f, 1e-30f, -1e-30f };
        for (double m = 1e-8; m < 120; m *= 1.013)
        {
            xs.Add((float)m);
            xs.Add((float)-m);
        }

        while (xs.Count % 16 != 0)
        {
            xs.Add(0.5f);
        }

        return [.. xs];
    }

    private static float[] Apply(float[] xs, Func<Vector512<float>, Vector512<float>> f)
    {
        var ys = new float[xs.Length];
        for (int i = 0; i < xs.Length; i += 16)
        {
            f(Vector512.Create(xs, i)).CopyTo(ys, i);
        }

        return ys;
    }

    [VectorFact]
    public void SigmoidTanhExpm1_MatchDoubleWithinAFewUlp()
    {
        float[] xs = Arguments();
        float[] sig = Apply(xs, VectorActivations.Sigmoid);
        float[] tanh = Apply(xs, VectorActivations.Tanh);
        float[] expm1 = Apply(xs, VectorActivations.Expm1);
        for (int i = 0; i < xs.Length; i++)
        {
            double x = xs[i];
            double s = 1 / (1 + Math.Exp(-x));
            // Relative error ≤ 4 ulp (2^-23 ≈ 1.19e-7), or absolute 1e-38 where the clamp flushes the tail.
            Check("sigmoid", x, s, sig[i], 1e-38);
            Check("tanh", x, Math.Tanh(x), tanh[i], 0);
            if (x >= -87 && x <= 88)
            {
                double e = x == 0 ? 0 : Math.Exp(x) - 1;
                if (Math.Abs(x) < 1e-5)
                {
                    e = x + (x * x / 2);
                }

                Check("expm1", x, e, expm1[i], 0);
            }
        }

        Assert.True(double.IsPositive(tanh[0]) && double.IsNegative(tanh[1]), "tanh keeps the sign of zero");
        Assert.Equal(1f, sig[Array.IndexOf(xs, 100f)]);
        Assert.Equal(-1f, tanh[Array.IndexOf(xs, -100f)]);
    }

    private static void Check(string what, double x, double expected, float actual, double absolute)
    {
        double err = Math.Abs(actual - expected);
        double tol = Math.Max(4 * 1.1920929e-7 * Math.Abs(expected), absolute);
        Assert.True(err <= tol, $"{what}({x:R}) = {actual:R}, expected {expected:R} (error {err:E3} > {tol:E3}).");
    }
}

/// <summary>A fact skipped (with the reason) when the CPU lacks AVX-512F.</summary>
internal sealed class VectorFactAttribute : FactAttribute
{
    public VectorFactAttribute()
    {
        if (!VectorActivations.IsSupported)
        {
            Skip = "AVX-512F is not available on this CPU; the callers use their portable paths.";
        }
    }
}
