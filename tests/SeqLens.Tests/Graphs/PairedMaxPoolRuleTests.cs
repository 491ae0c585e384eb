using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Kernels;

namespace SeqLens.Tests.Graphs;

/// <summary>The vectorised paired max-pool rule against the rule written out window by window.</summary>
public class PairedMaxPoolRuleTests
{
    [Theory]
    [InlineData(3, 3, 61)]
    [InlineData(4, 4, 40)]
    [InlineData(3, 2, 47)] // overlapping windows
    public void MatchesTheWindowByWindowRule(int kernel, int stride, int length)
    {
        const int channels = 5;
        const int refs = 3;
        int outLength = Pool1d.OutLength(length, kernel, stride);
        int rows = refs + 1;
        var rng = new Rng(21);
        var x = new float[rows * channels * length];
        for (int i = 0; i < x.Length; i++)
        {
            // Coarse values: ties inside windows, and x = x0 at some positions (the |Δx| < ε branches).
            x[i] = rng.NextInt(4) - 1.5f;
        }

        var y = new float[rows * channels * outLength];
        var argmax = new int[y.Length];
        Pool1d.MaxForward(rows * channels, length, kernel, stride, 0, outLength, x, y, argmax);
        var m = new float[y.Length];
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = (float)(rng.NextDouble() - 0.3);
        }

        RowPairs pairs = RowPairs.Shared(1, refs);
        var dx = new float[x.Length];
        MaxPool1dOp.PairedMaxBackward(pairs, channels, length, outLength, x, m, argmax, dx);
        double[] expected = Reference(pairs, channels, length, outLength, x, m, argmax);
        for (int i = 0; i < dx.Length; i++)
        {
            Assert.True(Math.Abs(dx[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"element {i}: {dx[i]} vs {expected[i]}");
        }

        Assert.Contains(dx, v => v != 0f);
    }

    [Theory]
    [InlineData(2, 50, false)]
    [InlineData(3, 61, false)]
    [InlineData(4, 43, false)]
    [InlineData(8, 80, false)]
    [InlineData(3, 61, true)]
    [InlineData(4, 43, true)]
    public void TiledDenseUpdate_BitIdenticalToTheScatter(int kernel, int length, bool throughRelu)
    {
        // Windows that tile the row (stride = kernel) take the dense vector update; it must add exactly what the scatter adds,
        // also through a ReLU (the fused rule), whose ratio it reads at contiguous positions instead of gathering it.
        const int channels = 3;
        const int refs = 4;
        int outLength = Pool1d.OutLength(length, kernel, kernel);
        int rows = refs + 1;
        var rng = new Rng(23);
        var z = new float[rows * channels * length];
        var x = new float[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = (rng.NextInt(6) - 2.5f) * (rng.NextInt(3) == 0 ? 1f : 0.37f);
            x[i] = throughRelu ? Math.Max(z[i], 0f) : z[i];
        }

        var y = new float[rows * channels * outLength];
        var argmax = new int[y.Length];
        Pool1d.MaxForward(rows * channels, length, kernel, kernel, 0, outLength, x, y, argmax);
        var m = new float[y.Length];
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = (float)(rng.NextDouble() - 0.3);
        }

        RowPairs pairs = RowPairs.Shared(1, refs);
        var scatter = new float[x.Length];
        var tiled = new float[x.Length];
        MaxPool1dOp.PairedMaxBackward(pairs, channels, length, outLength, x, m, argmax, scatter, throughRelu ? z : null, 0);
        MaxPool1dOp.PairedMaxBackward(pairs, channels, length, outLength, x, m, argmax, tiled, throughRelu ? z : null, kernel);
        Assert.Contains(scatter, v => v != 0f);
        Assert.Equal(scatter, tiled);

        // Reading the winners from the pool's outputs, and writing instead of adding (over garbage, unpaired row included).
        var written = Enumerable.Repeat(float.NaN, x.Length).ToArray();
        MaxPool1dOp.PairedMaxBackward(pairs, channels, length, outLength, x, m, argmax, written, throughRelu ? z : null, kernel, y, overwrite: true);
        Assert.Equal(scatter, written);
        var scatterWritten = Enumerable.Repeat(float.NaN, x.Length).ToArray();
        MaxPool1dOp.PairedMaxBackward(pairs, channels, length, outLength, x, m, argmax, scatterWritten, throughRelu ? z : null, 0, y, overwrite: true);
        Assert.Equal(scatter, scatterWritten);
    }

    private static double[] Reference(RowPairs pairs, int channels, int length, int outLength, float[] x, float[] m, int[] argmax)
    {
        var dx = new double[x.Length];
        for (int r = 0; r < pairs.BatchSize; r++)
        {
            if (!pairs.HasPair(r))
            {
                continue;
            }

            for (int c = 0; c < channels; c++)
            {
                int inRow = ((pairs.InputRow[r] * channels) + c) * length;
                int refRow = ((pairs.ReferenceRow[r] * channels) + c) * length;
                for (int t = 0; t < outLength; t++)
                {
                    int a = argmax[(((pairs.InputRow[r] * channels) + c) * outLength) + t];
                    int b = argmax[(((pairs.ReferenceRow[r] * channels) + c) * outLength) + t];
                    double mt = m[(((r * channels) + c) * outLength) + t];
                    int o = ((r * channels) + c) * length;
                    double xa = x[inRow + a], xb = x[inRow + b], x0a = x[refRow + a], x0b = x[refRow + b];
                    double phiA = (0.5 * (Math.Max(xa, x0b) - x0b)) + (0.5 * (xa - Math.Max(x0a, xb)));
                    double phiB = (0.5 * (Math.Max(x0a, xb) - x0b)) + (0.5 * (xa - Math.Max(xa, x0b)));
                    double da = xa - x0a, db = xb - x0b;
                    bool smallA = Math.Abs(da) < 1e-6, smallB = Math.Abs(db) < 1e-6;
                    if (a == b || (smallA && smallB))
                    {
                        dx[o + a] += mt;
                    }
                    else if (smallA)
                    {
                        dx[o + b] += mt * (phiA + phiB) / db;
                    }
                    else if (smallB)
                    {
                        dx[o + a] += mt * (phiA + phiB) / da;
                    }
                    else
                    {
                        dx[o + a] += mt * phiA / da;
                        dx[o + b] += mt * phiB / db;
                    }
                }
            }
        }

        return dx;
    }
}
