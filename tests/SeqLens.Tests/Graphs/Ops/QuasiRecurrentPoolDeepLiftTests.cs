using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Kernels;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs.Ops;

/// <summary>The DeepLIFT rule of <see cref="QuasiRecurrentPoolOp"/> (Rescale at the activations, Shapley at the products).</summary>
public class QuasiRecurrentPoolDeepLiftTests
{
    [Fact]
    public void Rescale_HandComputed_H1L2()
    {
        // x: z̃ = (atanh ½, atanh −½), f̃ = (0, ln 3), õ = (ln 3, 0) → z = (½, −½), f = (½, ¾), o = (¾, ½).
        // x0 = 0 → z0 = 0, f0 = ½, o0 = ½, so c0 = h0 = 0.
        // c = (½·½, ¾·¼ + ¼·(−½)) = (¼, 1/16), h = (3/16, 1/32); with m(h) = 1: Δf = 3/16 + 1/32 = 7/32.
        // Pair averages: f̄ = (½, 5/8), ō = (5/8, ½), c̄ = (1/8, 1/32), z̄ = (¼, −¼).
        // m(o) = c̄ = (1/8, 1/32); G1 = ō1 = ½; G0 = ō0 + f̄1·G1 = 5/8 + 5/16 = 15/16.
        // m(z) = G·(1 − f̄) = (15/32, 3/16); m(f) = G·(c̄_{t−1} − z̄) = (15/16·(0 − ¼), ½·(1/8 + ¼)) = (−15/64, 3/16).
        // Rescale: Δz/Δz̃ = ½/atanh ½ at both steps; Δσ/Δf̃ = (¾ − ½)/ln 3 at t1, Δo/Δõ = ¼/ln 3 at t0; where Δ = 0
        // (f̃ at t0, õ at t1) the derivative at x: σ'(0) = ¼.
        float za = MathF.Atanh(0.5f), l3 = MathF.Log(3f);
        var batch = new Tensor(2, 3, 2);
        float[] x = [za, -za, 0f, l3, l3, 0f];
        x.CopyTo(batch.Data, 0);
        var (exec, _) = Run(1, 0f, batch, RowPairs.Stacked(1));
        float[] m = exec.Gradient("x")!.Data;
        float rz = 0.5f / za, rs = 0.25f / l3;
        float[] expected = [15f / 32 * rz, 3f / 16 * rz, -15f / 64 * 0.25f, 3f / 16 * rs, 1f / 8 * rs, 1f / 32 * 0.25f];
        OpHarness.Close(expected, m.AsSpan(0, 6), 1e-5, 1e-7, "m(gates)");
        Assert.All(m.AsSpan(6).ToArray(), v => Assert.Equal(0f, v)); // the reference row carries nothing

        // Contributions m·Δ per gate: z̃ (15/64, −3/32), f̃ (0, 3/64), õ (1/32, 0); they sum to Δh = 7/32.
        float[] contrib = [.. Enumerable.Range(0, 6).Select(k => m[k] * x[k])];
        OpHarness.Close([15f / 64, -3f / 32, 0f, 3f / 64, 1f / 32, 0f], contrib, 1e-5, 1e-7, "m·Δ");
        Assert.Equal(7.0 / 32, contrib.Sum(v => (double)v), 6);
    }

    [Fact]
    public void Rescale_SharedLayout_EqualsStacked()
    {
        // Shared: row 0 is x, rows 1..2 its references and the pair multipliers live there; stacked: [x, x; r1, r2].
        const int hidden = 2, length = 5;
        Tensor x = GradientCheck.Random(new Rng(3), -2f, 2f, [1, 3 * hidden, length]);
        Tensor refs = GradientCheck.Random(new Rng(4), -2f, 2f, [2, 3 * hidden, length]);
        int n = 3 * hidden * length;
        var shared = new Tensor(3, 3 * hidden, length);
        var stacked = new Tensor(4, 3 * hidden, length);
        x.Data.CopyTo(shared.Data, 0);
        refs.Data.CopyTo(shared.Data, n);
        x.Data.CopyTo(stacked.Data, 0);
        x.Data.CopyTo(stacked.Data, n);
        refs.Data.CopyTo(stacked.Data, 2 * n);
        float[] ms = Run(hidden, 0f, shared, RowPairs.Shared(1, 2)).Exec.Gradient("x")!.Data;
        float[] mt = Run(hidden, 0f, stacked, RowPairs.Stacked(2)).Exec.Gradient("x")!.Data;
        Assert.Equal(mt.AsSpan(0, 2 * n).ToArray(), ms.AsSpan(n, 2 * n).ToArray());
        Assert.All(ms.AsSpan(0, n).ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(1, 1, 1, 0f)]
    [InlineData(3, 3, 7, 0f)]
    [InlineData(2, 5, 13, 0.3f)]
    [InlineData(4, 4, 40, 0f)]
    public void Rescale_MatchesADoubleReference_AndConserves(int pairs, int hidden, int length, float zoneout)
    {
        // Stacked pairs [x_0..x_{n-1}; x0_0..]: the multipliers against a direct double-precision evaluation of the rule,
        // and per pair Σ m(gates)·Δgates = Σ m(h)·Δh. NOTE: the float32 ratio Δσ/Δf̃ loses ~1e-7/|Δf̃| relative, hence 1e-3.
        var rng = new Rng((ulong)(pairs + (7 * hidden) + (31 * length)));
        Tensor batch = GradientCheck.Random(rng, -2.5f, 2.5f, [2 * pairs, 3 * hidden, length]);
        Tensor mh = GradientCheck.Random(rng, -1f, 1f, [2 * pairs, hidden, length]);
        var (exec, h) = Run(hidden, zoneout, batch, RowPairs.Stacked(pairs), mh);
        float[] m = exec.Gradient("x")!.Data;
        int gateRow = 3 * hidden * length, outRow = hidden * length;
        for (int r = 0; r < pairs; r++)
        {
            double[] expected = Reference(hidden, length, 1 - zoneout, batch.Data.AsSpan(r * gateRow, gateRow), batch.Data.AsSpan((pairs + r) * gateRow, gateRow), mh.Data.AsSpan(r * outRow, outRow));
            OpHarness.Close([.. expected.Select(v => (float)v)], m.AsSpan(r * gateRow, gateRow), 1e-3, 1e-5, $"pair {r} m(gates)");
            double incoming = 0, outgoing = 0, magnitude = 0;
            for (int k = 0; k < gateRow; k++)
            {
                double c = (double)m[(r * gateRow) + k] * (batch.Data[(r * gateRow) + k] - batch.Data[((pairs + r) * gateRow) + k]);
                incoming += c;
                magnitude += Math.Abs(c);
            }

            for (int k = 0; k < outRow; k++)
            {
                outgoing += (double)mh.Data[(r * outRow) + k] * (h.Data[(r * outRow) + k] - h.Data[((pairs + r) * outRow) + k]);
            }

            Assert.True(Math.Abs(incoming - outgoing) <= 1e-5 * (magnitude + 1e-3), $"pair {r}: Σ m·Δgates {incoming} vs Σ m·Δh {outgoing}");
            Assert.All(m.AsSpan((pairs + r) * gateRow, gateRow).ToArray(), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void Rescale_TendsToTheGradient_AsTheReferenceApproachesTheInput()
    {
        const int hidden = 3, length = 9;
        Tensor x = GradientCheck.Random(new Rng(8), -2f, 2f, [1, 3 * hidden, length]);
        Tensor noise = GradientCheck.Random(new Rng(9), -1f, 1f, [1, 3 * hidden, length]);
        int n = x.Length;
        var batch = new Tensor(2, 3 * hidden, length);
        x.Data.CopyTo(batch.Data, 0);
        for (int k = 0; k < n; k++)
        {
            batch.Data[n + k] = x.Data[k] + (1e-3f * noise.Data[k]);
        }

        Tensor mh = GradientCheck.Random(new Rng(10), -1f, 1f, [2, hidden, length]);
        mh.Data.AsSpan(hidden * length).Clear();
        float[] deepLift = Run(hidden, 0f, batch, RowPairs.Stacked(1), mh).Exec.Gradient("x")!.Data;
        var exec = new Executor(Build(hidden, length, 0f));
        exec.Forward(batch);
        exec.Backward(mh, new BackwardOptions { Rule = BackwardRule.Gradient });
        float[] gradient = exec.Gradient("x")!.Data;
        OpHarness.Close(gradient.AsSpan(0, n), deepLift.AsSpan(0, n), 1e-2, 1e-3, "DeepLIFT vs gradient");
        Assert.NotEqual(gradient.AsSpan(0, n).ToArray(), deepLift.AsSpan(0, n).ToArray());
    }

    [Fact]
    public void DeepLiftRule_AfterATrainingForwardWithZoneout_IsRefused()
    {
        var batch = GradientCheck.Random(new Rng(1), -1f, 1f, [2, 6, 4]);
        var exec = new Executor(Build(2, 4, 0.25f)) { Training = true };
        Tensor y = exec.Forward(batch);
        var ex = Assert.Throws<InvalidOperationException>(() => exec.Backward(new Tensor(y.Shape), new BackwardOptions { Rule = BackwardRule.Rescale, Pairs = RowPairs.Stacked(1) }));
        Assert.Contains("evaluation-mode", ex.Message, StringComparison.Ordinal);
        var guided = new Executor(Build(2, 4, 0f));
        guided.Forward(batch);
        Assert.Throws<NotSupportedException>(() => guided.Backward(new Tensor(y.Shape), new BackwardOptions { Rule = BackwardRule.GuidedBackprop }));
    }

    [Fact]
    public void Kernel_BadArguments_SayWhatWasExpected()
    {
        var ex = Assert.Throws<ArgumentException>(() => QuasiRecurrentDeepLift.Backward(1, 2, [0, -1], [1, -1], new float[11], 1f, new float[4], new float[4], new float[11]));
        Assert.Contains("need 12 elements, c and m(h) 4; got 11", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => QuasiRecurrentDeepLift.Backward(1, 2, [0, -1], [-1, -1], new float[12], 1f, new float[4], new float[4], new float[12]));
        Assert.Contains("row 0", ex.Message, StringComparison.Ordinal);
    }

    private static Graph Build(int hidden, int length, float zoneout) => OpHarness.Single([1, 3 * hidden, length], (b, x) => b.Add(new QuasiRecurrentPoolOp(hidden, zoneout), [x]));

    /// <summary>Forward on <paramref name="batch"/> (evaluation), then the Rescale backward from m(h) (default: 1 in pair rows).</summary>
    private static (Executor Exec, Tensor H) Run(int hidden, float zoneout, Tensor batch, RowPairs pairs, Tensor? mh = null)
    {
        int length = batch.Shape[2];
        var exec = new Executor(Build(hidden, length, zoneout));
        Tensor h = exec.Forward(batch).Clone();
        if (mh is null)
        {
            mh = new Tensor(h.Shape);
            int row = hidden * length;
            for (int r = 0; r < pairs.BatchSize; r++)
            {
                mh.Data.AsSpan(r * row, row).Fill(pairs.HasPair(r) ? 1f : 0f);
            }
        }

        exec.Backward(mh, new BackwardOptions { Rule = BackwardRule.Rescale, Pairs = pairs });
        return (exec, h);
    }

    /// <summary>The rule evaluated directly in double for one pair (x, x0) and output multipliers m(h) of one row.</summary>
    private static double[] Reference(int hidden, int length, double keep, ReadOnlySpan<float> x, ReadOnlySpan<float> x0, ReadOnlySpan<float> mh)
    {
        var result = new double[3 * hidden * length];
        int block = hidden * length;
        for (int j = 0; j < hidden; j++)
        {
            var (z, s, o, c) = Values(x, j);
            var (z0, s0, o0, c0) = Values(x0, j);
            var g = new double[length + 1];
            for (int t = length - 1; t >= 0; t--)
            {
                double fNext = t + 1 < length ? 0.5 * (F(s[t + 1]) + F(s0[t + 1])) : 0;
                g[t] = (mh[(j * length) + t] * 0.5 * (o[t] + o0[t])) + (fNext * g[t + 1]);
            }

            for (int t = 0; t < length; t++)
            {
                int k = (j * length) + t;
                double cPrev = t > 0 ? 0.5 * (c[t - 1] + c0[t - 1]) : 0;
                double mz = g[t] * (1 - (0.5 * (F(s[t]) + F(s0[t]))));
                double mf = g[t] * (cPrev - (0.5 * (z[t] + z0[t])));
                double mo = mh[k] * 0.5 * (c[t] + c0[t]);
                result[k] = mz * (z[t] - z0[t]) / ((double)x[k] - x0[k]);
                result[block + k] = mf * (F(s[t]) - F(s0[t])) / ((double)x[block + k] - x0[block + k]);
                result[(2 * block) + k] = mo * (o[t] - o0[t]) / ((double)x[(2 * block) + k] - x0[(2 * block) + k]);
            }
        }

        return result;

        double F(double sigma) => 1 - (keep * (1 - sigma));

        (double[] Z, double[] S, double[] O, double[] C) Values(ReadOnlySpan<float> gates, int j)
        {
            var z = new double[length];
            var s = new double[length];
            var o = new double[length];
            var c = new double[length];
            double prev = 0;
            for (int t = 0; t < length; t++)
            {
                int k = (j * length) + t;
                z[t] = Math.Tanh(gates[k]);
                s[t] = 1 / (1 + Math.Exp(-gates[block + k]));
                o[t] = 1 / (1 + Math.Exp(-gates[(2 * block) + k]));
                prev = (F(s[t]) * prev) + ((1 - F(s[t])) * z[t]);
                c[t] = prev;
            }

            return (z, s, o, c);
        }
    }
}
