using SeqLens.Kernels;

namespace SeqLens.Tests.Kernels;

public class QuasiRecurrentPoolTests
{
    /// <summary>The fo-pool in double with a plain loop: (h, c) and, for an output gradient dh, the gate gradients.</summary>
    internal static (double[] H, double[] C, double[] DGates) Reference(int batch, int hidden, int length, float[] gates, float[]? keep, float scale, float[] dh)
    {
        int n = batch * hidden * length;
        var h = new double[n];
        var c = new double[n];
        var dg = new double[gates.Length];
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < hidden; j++)
            {
                int row = (b * hidden) + j;
                int zi = ((b * 3 * hidden) + j) * length;
                int fi = zi + (hidden * length);
                int oi = zi + (2 * hidden * length);
                var z = new double[length];
                var sg = new double[length];
                var f = new double[length];
                var o = new double[length];
                var s = new double[length];
                double prev = 0;
                for (int t = 0; t < length; t++)
                {
                    z[t] = Math.Tanh(gates[zi + t]);
                    sg[t] = 1 / (1 + Math.Exp(-gates[fi + t]));
                    o[t] = 1 / (1 + Math.Exp(-gates[oi + t]));
                    s[t] = keep is null ? scale : keep[(row * length) + t];
                    f[t] = 1 - (s[t] * (1 - sg[t]));
                    prev = (f[t] * prev) + ((1 - f[t]) * z[t]);
                    c[(row * length) + t] = prev;
                    h[(row * length) + t] = o[t] * prev;
                }

                double carry = 0;
                for (int t = length - 1; t >= 0; t--)
                {
                    int k = (row * length) + t;
                    double g = (dh[k] * o[t]) + carry;
                    double cPrev = t > 0 ? c[k - 1] : 0;
                    dg[oi + t] = dh[k] * c[k] * o[t] * (1 - o[t]);
                    dg[zi + t] = g * (1 - f[t]) * (1 - (z[t] * z[t]));
                    dg[fi + t] = g * (cPrev - z[t]) * s[t] * sg[t] * (1 - sg[t]);
                    carry = g * f[t];
                }
            }
        }

        return (h, c, dg);
    }

    [Theory]
    [InlineData(1, 1, 1, 0f, false)]
    [InlineData(1, 3, 7, 0f, false)]
    [InlineData(3, 5, 13, 0f, false)]
    [InlineData(2, 4, 31, 0.25f, false)]
    [InlineData(3, 7, 64, 0f, false)]
    [InlineData(2, 3, 15, 0f, false)]
    [InlineData(1, 2, 16, 0.1f, false)]
    [InlineData(2, 3, 17, 0f, false)]
    [InlineData(1, 2, 33, 0f, false)]
    [InlineData(2, 2, 257, 0.5f, false)]
    [InlineData(1, 1, 1, 0f, true)]
    [InlineData(3, 5, 13, 0f, true)]
    [InlineData(2, 4, 31, 0.25f, true)]
    [InlineData(3, 7, 64, 0f, true)]
    public void ForwardAndBackward_MatchDoubleReference(int batch, int hidden, int length, float zoneout, bool portable)
        => WithPath(portable, () => CheckAgainstReference(batch, hidden, length, zoneout));

    /// <summary>Runs <paramref name="action"/> on the portable path (TensorPrimitives passes) or the default one.</summary>
    private static void WithPath(bool portable, Action action)
    {
        QuasiRecurrentPool.ForcePortable(portable);
        try
        {
            action();
        }
        finally
        {
            QuasiRecurrentPool.ForcePortable(false);
        }
    }

    private static void CheckAgainstReference(int batch, int hidden, int length, float zoneout)
    {
        float[] gates = KernelTestData.Uniform(batch * 3 * hidden * length, 1, 0).Select(v => v * 3f).ToArray();
        float[] dh = KernelTestData.Uniform(batch * hidden * length, 1, 1);
        float scale = 1f - zoneout;
        var (h, c, dg) = Reference(batch, hidden, length, gates, null, scale, dh);
        var hy = new float[h.Length];
        var cy = new float[c.Length];
        QuasiRecurrentPool.Forward(batch, hidden, length, gates, [], scale, hy, cy);
        var ones = Enumerable.Repeat(1.0, h.Length).ToArray();
        KernelTestData.AssertClose(h, hy, ones, 2e-6, "h");
        KernelTestData.AssertClose(c, cy, ones, 2e-6, "c");

        // Backward adds into the gradient buffer: start from 1 and subtract it again.
        var grad = Enumerable.Repeat(1f, gates.Length).ToArray();
        QuasiRecurrentPool.Backward(batch, hidden, length, gates, [], scale, cy, dh, grad);
        var expected = dg.Select(v => v + 1.0).ToArray();
        KernelTestData.AssertClose(expected, grad, Enumerable.Repeat(Math.Max(1.0, length / 4.0), grad.Length).ToArray(), 2e-6, "dgates");
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(9, true)]
    [InlineData(37, false)]
    public void KeepMask_MatchesDoubleReference(int length, bool portable)
        => WithPath(portable, () => CheckKeepMask(length));

    private static void CheckKeepMask(int length)
    {
        const int batch = 2, hidden = 5;
        float[] gates = KernelTestData.Uniform(batch * 3 * hidden * length, 2, 0);
        float[] dh = KernelTestData.Uniform(batch * hidden * length, 2, 1);
        var rng = new Rng(3);
        float[] keep = Enumerable.Range(0, dh.Length).Select(_ => rng.NextSingle() < 0.4f ? 0f : 1f).ToArray();
        var (h, c, dg) = Reference(batch, hidden, length, gates, keep, 1f, dh);
        var hy = new float[h.Length];
        var cy = new float[c.Length];
        QuasiRecurrentPool.Forward(batch, hidden, length, gates, keep, 1f, hy, cy);
        var ones = Enumerable.Repeat(1.0, h.Length).ToArray();
        KernelTestData.AssertClose(h, hy, ones, 2e-6, "h");
        var grad = new float[gates.Length];
        QuasiRecurrentPool.Backward(batch, hidden, length, gates, keep, 1f, cy, dh, grad);
        KernelTestData.AssertClose(dg, grad, Enumerable.Repeat(2.0, grad.Length).ToArray(), 2e-6, "dgates");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Results_AreBitIdenticalForAnyThreadCount(bool portable)
        => WithPath(portable, CheckThreads);

    [Fact]
    public void LargeGates_SaturateWithoutNaN()
    {
        // Pre-activations far outside the exp range: z = ±1, f ∈ {0, 1}, o ∈ {0, 1} exactly as in double.
        const int length = 21;
        float[] gates = new float[3 * length];
        for (int t = 0; t < length; t++)
        {
            gates[t] = t % 2 == 0 ? 500f : -500f;
            gates[length + t] = t % 3 == 0 ? -300f : 300f;
            gates[(2 * length) + t] = t % 5 == 0 ? -1000f : 1000f;
        }

        float[] dh = Enumerable.Repeat(1f, length).ToArray();
        var (h, c, dg) = Reference(1, 1, length, gates, null, 1f, dh);
        var hy = new float[length];
        var cy = new float[length];
        var grad = new float[gates.Length];
        QuasiRecurrentPool.Forward(1, 1, length, gates, [], 1f, hy, cy);
        QuasiRecurrentPool.Backward(1, 1, length, gates, [], 1f, cy, dh, grad);
        var ones = Enumerable.Repeat(1.0, length).ToArray();
        KernelTestData.AssertClose(h, hy, ones, 1e-6, "h");
        KernelTestData.AssertClose(c, cy, ones, 1e-6, "c");
        KernelTestData.AssertClose(dg, grad, Enumerable.Repeat(1.0, grad.Length).ToArray(), 1e-6, "dgates");
    }

    private static void CheckThreads()
    {
        const int batch = 5, hidden = 33, length = 257;
        float[] gates = KernelTestData.Uniform(batch * 3 * hidden * length, 4, 0);
        float[] dh = KernelTestData.Uniform(batch * hidden * length, 4, 1);
        (float[] H, float[] G) Run(int threads)
        {
            var h = new float[dh.Length];
            var c = new float[dh.Length];
            var g = new float[gates.Length];
            KernelTestData.WithThreads(threads, () =>
            {
                QuasiRecurrentPool.Forward(batch, hidden, length, gates, [], 1f, h, c);
                QuasiRecurrentPool.Backward(batch, hidden, length, gates, [], 1f, c, dh, g);
            });
            return (h, g);
        }

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.H, two.H);
        Assert.Equal(one.G, two.G);
    }

    [Fact]
    public void WrongSizes_ThrowSayingExpected()
    {
        var ex = Assert.Throws<ArgumentException>(() => QuasiRecurrentPool.Forward(1, 2, 3, new float[17], [], 1f, new float[6], new float[6]));
        Assert.Contains("need 18 elements; got 17", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => QuasiRecurrentPool.Forward(1, 2, 3, new float[18], new float[5], 1f, new float[6], new float[6]));
        Assert.Contains("zoneout mask needs 6", ex.Message, StringComparison.Ordinal);
    }
}
