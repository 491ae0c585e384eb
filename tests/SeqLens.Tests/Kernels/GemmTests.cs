using SeqLens.Kernels;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Kernels;

public class GemmTests
{
    // NOTE: float sums of up to a few thousand terms against a double reference, relative to Σ|a·b|.
    private const double Rel = 1e-5;

    public static TheoryData<bool, bool, int, int, int> Shapes()
    {
        var data = new TheoryData<bool, bool, int, int, int>();
        int[][] shapes =
        [
            [1, 1, 1], [1, 17, 5], [19, 1, 7], [2, 3, 1], [13, 37, 29], [14, 32, 256], [15, 33, 257],
            [29, 65, 3], [171, 70, 20], [31, 2101, 9], [5, 7, 3001],
        ];
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                foreach (int[] s in shapes)
                {
                    data.Add(ta, tb, s[0], s[1], s[2]);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_AllTransposes_MatchDoubleReference(bool ta, bool tb, int m, int n, int k)
    {
        foreach (float beta in new[] { 0f, 1f })
        {
            CheckAgainstReference(ta, tb, m, n, k, extraLd: 0, beta, seed: (m * 1000) + n + k);
            CheckAgainstReference(ta, tb, m, n, k, extraLd: 3, beta, seed: (m * 1000) + n + k + 1);
        }
    }

    [Fact]
    public void Multiply_BetaHalf_ScalesThenAccumulates()
        => CheckAgainstReference(false, true, 23, 45, 67, extraLd: 1, beta: 0.5f, seed: 5);

    /// <summary>The micro-kernel paths this CPU can run (all three on AVX-512 machines).</summary>
    public static TheoryData<int> SupportedPaths()
    {
        var data = new TheoryData<int>();
        for (var p = GemmPath.Scalar; p <= GemmMicroKernel.Best; p++)
        {
            data.Add((int)p);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SupportedPaths))]
    public void Multiply_EveryMicroKernelPath_MatchesReference(int pathValue)
    {
        var path = (GemmPath)pathValue;
        KernelTestData.WithPath(path, () =>
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    CheckAgainstReference(ta, tb, 37, 53, 300, extraLd: 2, beta: 1f, seed: 77);
                    CheckAgainstReference(ta, tb, 3, 5, 7, extraLd: 0, beta: 0f, seed: 78);
                }
            }
        });
    }

    [Fact]
    public void Multiply_BetaZero_IgnoresNaNInC()
    {
        var a = KernelTestData.Uniform(6, 1);
        var b = KernelTestData.Uniform(6, 2);
        var c = new float[] { float.NaN, float.NaN, float.NaN, float.NaN };
        Gemm.Multiply(false, false, 2, 2, 3, a, 3, b, 2, c, 2);
        Assert.All(c, v => Assert.False(float.IsNaN(v)));
    }

    [Fact]
    public void Multiply_ZeroDepth_ScalesC()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Multiply(false, false, 2, 2, 0, [], 1, [], 2, c, 2, beta: 1f);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, c);
        Gemm.Multiply(false, false, 2, 2, 0, [], 1, [], 2, c, 2, beta: 0f);
        Assert.Equal(new float[] { 0, 0, 0, 0 }, c);
    }

    [Fact]
    public void Multiply_HandComputed_2x2()
    {
        float[] a = [1, 2, 3, 4];
        float[] b = [5, 6, 7, 8];
        var c = new float[4];
        Gemm.Multiply(false, false, 2, 2, 2, a, 2, b, 2, c, 2);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c);
        Gemm.Multiply(true, true, 2, 2, 2, a, 2, b, 2, c, 2);
        Assert.Equal(new float[] { 23, 31, 34, 46 }, c);
    }

    [Fact]
    public void Multiply_ShortSpanOrSmallLeadingDimension_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 3, 3, 3, new float[8], 3, new float[9], 3, new float[9], 3));
        Assert.Contains("A holds 8 floats", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, true, 3, 3, 3, new float[9], 3, new float[9], 2, new float[9], 3));
        Assert.Contains("leading dimension of B is 2", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, 300, 600)]
    [InlineData(400, 70, 300)]
    [InlineData(20, 17000, 20)]
    [InlineData(150, 2200, 270)]
    [InlineData(200, 1000, 76)]
    [InlineData(345, 260, 500)]
    [InlineData(1024, 96, 400)]
    public void Multiply_OneAndTwoThreads_BitIdentical(int m, int n, int k)
    {
        var a = KernelTestData.Uniform(m * k, 11);
        var b = KernelTestData.Uniform(k * n, 12);
        var c1 = KernelTestData.Uniform(m * n, 13);
        var c2 = (float[])c1.Clone();
        KernelTestData.WithThreads(1, () => Gemm.Multiply(false, false, m, n, k, a, k, b, n, c1, n, beta: 1f));
        KernelTestData.WithThreads(2, () => Gemm.Multiply(false, false, m, n, k, a, k, b, n, c2, n, beta: 1f));
        Assert.True(c1.AsSpan().SequenceEqual(c2), "1-thread and 2-thread GEMM results differ.");
    }

    [Theory]
    [InlineData(1024, 14, 2)]
    [InlineData(512, 14, 2)]
    [InlineData(20, 14, 2)]
    [InlineData(1000, 32, 8)]
    [InlineData(9600, 32, 8)]
    [InlineData(100, 6, 4)]
    [InlineData(7, 4, 3)]
    public void ChunkStart_WholeSliversCoveringTheExtentWithinHalfASliverOfEven(int extent, int unit, int chunks)
    {
        Assert.Equal(0, GemmDriver.ChunkStart(extent, unit, 0, chunks));
        Assert.Equal(extent, GemmDriver.ChunkStart(extent, unit, chunks, chunks));
        for (int c = 1; c < chunks; c++)
        {
            int start = GemmDriver.ChunkStart(extent, unit, c, chunks);
            Assert.True(start >= GemmDriver.ChunkStart(extent, unit, c - 1, chunks), $"chunk {c} starts before chunk {c - 1}");
            Assert.True(start == extent || start % unit == 0, $"chunk {c} starts at {start}, not a multiple of {unit}");
            double even = (double)extent * c / chunks;
            Assert.True(Math.Abs(start - even) <= (unit / 2.0) + 1e-9 || start == extent, $"chunk {c} starts at {start}, even split {even}");
        }
    }

    [Fact]
    public void ChunkStart_Square1024OnTwoThreads_CallerChunkNotSmaller()
    {
        // 73 row slivers of 14 (the last one 2 rows): the caller, which starts first, gets 518 rows and the helper 506.
        Assert.Equal(518, GemmDriver.ChunkStart(1024, 14, 1, 2));
    }

    [Fact]
    public void Multiply_ConcurrentCallersSharingTheWorkers_AllGetTheOneThreadResult()
    {
        const int m = 160, n = 300, k = 200;
        var a = KernelTestData.Uniform(m * k, 21);
        var b = KernelTestData.Uniform(k * n, 22);
        var expected = new float[m * n];
        KernelTestData.WithThreads(1, () => Gemm.Multiply(false, false, m, n, k, a, k, b, n, expected, n));
        var results = new float[6][];
        var threads = new Thread[results.Length];
        for (int t = 0; t < threads.Length; t++)
        {
            int slot = t;
            threads[t] = new Thread(() =>
            {
                var c = new float[m * n];
                KernelTestData.WithThreads(2, () =>
                {
                    for (int rep = 0; rep < 5; rep++)
                    {
                        Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n);
                    }
                });
                results[slot] = c;
            });
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.All(results, c => Assert.True(c.AsSpan().SequenceEqual(expected), "A concurrent GEMM differs from the 1-thread result."));
    }

    /// <summary>
    /// Every M tail (1..13 rows past whole 14-row tiles), alone, after one tile and after several A blocks
    /// (m > 336 splits into even blocks), at a shallow depth (one k block, row-sliver sweep) and a deep one
    /// (two k blocks), with a partial column sliver.
    /// </summary>
    public static TheoryData<int> TailRows()
    {
        var data = new TheoryData<int>();
        for (int r = 1; r <= 13; r++)
        {
            data.Add(r);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TailRows))]
    public void Multiply_EveryTailRowCount_MatchesDoubleReference(int tail)
    {
        foreach (int m in new[] { tail, 14 + tail, (14 * 24) + tail })
        {
            CheckAgainstReference(false, false, m, 45 + tail, 37, extraLd: 1, beta: 0f, seed: (m * 7) + 1);
            CheckAgainstReference(tail % 2 == 0, tail % 3 == 0, m, 70, 400 + tail, extraLd: 0, beta: 1f, seed: (m * 7) + 2);
        }
    }

    [Fact]
    public void Multiply_TailRows_BitIdenticalToTheSameRowsInAFullTile()
    {
        // A row's sum runs k in order from zero whichever kernel computes it: rows 0..r-1 of a 14-row product must
        // equal, bit for bit, the r-row product of the same rows.
        const int n = 96, k = 700;
        var a = KernelTestData.Uniform(14 * k, 31);
        var b = KernelTestData.Uniform(k * n, 32);
        var full = new float[14 * n];
        Gemm.Multiply(false, false, 14, n, k, a, k, b, n, full, n);
        for (int r = 1; r < 14; r++)
        {
            var part = new float[r * n];
            Gemm.Multiply(false, false, r, n, k, a, k, b, n, part, n);
            Assert.True(part.AsSpan().SequenceEqual(full.AsSpan(0, r * n)), $"{r}-row tail differs from the full tile's rows.");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(15)]
    public void Multiply_LargeWriteOnceC_StreamedStoresMatchReferenceAndAccumulatePath(int offset)
    {
        // C of 65 × 32768 floats (8.5 MB) written once is stored non-temporally from the first 64-byte boundary on;
        // the offset moves that boundary. beta = 1 on a zero C takes the ordinary store path: same bits.
        const int m = 65, n = 32768, k = 20;
        var a = KernelTestData.Uniform(m * k, 41);
        var b = KernelTestData.Uniform(k * n, 42);
        var storage = new float[(m * n) + 16];
        storage.AsSpan().Fill(float.NaN);
        var c = storage.AsSpan(offset, m * n);
        Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n);
        Assert.All(storage.AsSpan(0, offset).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.All(storage.AsSpan(offset + (m * n)).ToArray(), v => Assert.True(float.IsNaN(v)));

        var expected = new double[m * n];
        var scale = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, abs = 0;
                for (int p = 0; p < k; p++)
                {
                    double t = (double)a[(i * k) + p] * b[(p * n) + j];
                    sum += t;
                    abs += Math.Abs(t);
                }

                expected[(i * n) + j] = sum;
                scale[(i * n) + j] = abs + 1e-6;
            }
        }

        KernelTestData.AssertClose(expected, c, scale, Rel, $"streamed GEMM, C offset {offset}");
        var accumulated = new float[m * n];
        Gemm.Multiply(false, false, m, n, k, a, k, b, n, accumulated, n, beta: 1f);
        Assert.True(accumulated.AsSpan().SequenceEqual(c), "Streamed and ordinary stores give different values.");
        var twoThreads = new float[m * n];
        KernelTestData.WithThreads(2, () => Gemm.Multiply(false, false, m, n, k, a, k, b, n, twoThreads, n));
        Assert.True(twoThreads.AsSpan().SequenceEqual(c), "1-thread and 2-thread streamed GEMM results differ.");
    }

    private static void CheckAgainstReference(bool ta, bool tb, int m, int n, int k, int extraLd, float beta, long seed)
    {
        int lda = (ta ? m : k) + extraLd;
        int ldb = (tb ? k : n) + extraLd;
        int ldc = n + extraLd;
        var a = KernelTestData.Uniform((ta ? k : m) * lda, seed, 1);
        var b = KernelTestData.Uniform((tb ? n : k) * ldb, seed, 2);
        var c = KernelTestData.Uniform(m * ldc, seed, 3);
        var expectedC = (float[])c.Clone();
        ReferenceKernels.Gemm(ta, tb, m, n, k, a, lda, b, ldb, expectedC, ldc, beta);
        var scale = ReferenceKernels.GemmAbsScale(ta, tb, m, n, k, a, lda, b, ldb);
        var original = (float[])c.Clone();
        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, beta);

        var expected = new double[m * n];
        var actual = new float[m * n];
        var tol = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                expected[(i * n) + j] = expectedC[(i * ldc) + j];
                actual[(i * n) + j] = c[(i * ldc) + j];
                tol[(i * n) + j] = scale[(i * n) + j] + Math.Abs(beta * original[(i * ldc) + j]) + 1e-6;
            }

            for (int j = n; j < ldc; j++)
            {
                Assert.Equal(original[(i * ldc) + j], c[(i * ldc) + j]);
            }
        }

        KernelTestData.AssertClose(expected, actual, tol, Rel, $"GEMM ta={ta} tb={tb} {m}x{n}x{k} ld+{extraLd} beta={beta}");
    }
}
