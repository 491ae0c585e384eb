using SeqLens.Kernels;

namespace SeqLens.Tests.Kernels;

/// <summary>Seeded random inputs and tolerance checks for kernel tests.</summary>
public static class KernelTestData
{
    /// <summary>Uniform values in [-1, 1) from a seeded stream.</summary>
    public static float[] Uniform(int count, long seed, long stream = 0)
    {
        var rng = Rng.For(seed, stream);
        var data = new float[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = (rng.NextSingle() * 2f) - 1f;
        }

        return data;
    }

    /// <summary>
    /// Asserts <c>|actual − expected| ≤ rel · scale + 1e-30</c> element-wise, where scale is the sum of absolute
    /// terms (so cancellation does not make a relative test meaningless). Reports the first offender.
    /// </summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, ReadOnlySpan<double> scale, double rel, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            double tol = (rel * scale[i]) + 1e-30;
            if (!(err <= tol))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} (error {err:E3} > tolerance {tol:E3}).");
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> with a per-thread kernel degree override.</summary>
    public static void WithThreads(int degree, Action action)
    {
        KernelThreads.OverrideForThread(degree);
        try
        {
            action();
        }
        finally
        {
            KernelThreads.OverrideForThread(0);
        }
    }

    /// <summary>Runs <paramref name="action"/> with a forced GEMM micro-kernel path on this thread.</summary>
    internal static void WithPath(GemmPath path, Action action)
    {
        GemmMicroKernel.Force(path);
        try
        {
            action();
        }
        finally
        {
            GemmMicroKernel.Force(null);
        }
    }
}
