using SeqLens.Graphs;
using SeqLens.Kernels;

namespace SeqLens.Tests.Graphs;

public class SparseConvBackwardTests
{
    [Theory]
    [InlineData(1, 0, 0, 0.2)] // sparse rows
    [InlineData(2, 3, 4, 0.1)] // stride, padding
    [InlineData(1, 5, 5, 0.15)] // "same"-like padding
    [InlineData(1, 0, 0, 0.9)] // dense rows: the dense kernel
    public void MatchesTheDenseKernel(int stride, int padLeft, int padRight, double density)
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            return; // the sparse path is AVX-512 only; elsewhere the executor keeps the dense kernel
        }

        foreach (int dilation in new[] { 1, 2 })
        {
            var g = new Conv1dGeometry(3, 40, 70, 130, 11, stride, dilation, padLeft, padRight);
            Assert.True(SparseConvBackward.Supported(g));
            var rng = new Rng(17);
            float[] w = Enumerable.Range(0, 70 * 40 * 11).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
            float[] dy = Enumerable.Range(0, 3 * 70 * g.OutLength).Select(_ => rng.NextDouble() < density ? (float)(rng.NextDouble() - 0.5) : 0f).ToArray();
            float[] start = Enumerable.Range(0, 3 * 40 * 130).Select(_ => (float)rng.NextDouble()).ToArray();
            float[] dense = (float[])start.Clone();
            float[] sparse = (float[])start.Clone();
            Conv1d.BackwardInput(g, dy, w, dense);
            SparseConvBackward.BackwardInput(g, dy, w, sparse);
            for (int i = 0; i < dense.Length; i++)
            {
                Assert.True(Math.Abs(dense[i] - sparse[i]) <= 1e-5 * (1 + Math.Abs(dense[i])), $"dilation {dilation}, element {i}: {sparse[i]} vs {dense[i]}");
            }

            // Row by row (any batch size) gives the same bits.
            float[] single = (float[])start.Clone();
            int rowY = 70 * g.OutLength;
            int rowX = 40 * 130;
            for (int r = 0; r < 3; r++)
            {
                float[] dx = single[(r * rowX)..((r + 1) * rowX)];
                SparseConvBackward.BackwardInput(g with { Batch = 1 }, dy[(r * rowY)..((r + 1) * rowY)], w, dx);
                dx.CopyTo(single, r * rowX);
            }

            Assert.Equal(sparse, single);
        }
    }

    [Fact]
    public void AllZeroRows_AreLeftUntouched_OtherRowsAsAlone()
    {
        // The shared input row of DeepLIFT-SHAP carries no multiplier: an all-zero dy row adds nothing (and is skipped).
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            return; // the sparse path is AVX-512 only
        }

        var g = new Conv1dGeometry(4, 40, 70, 130, 11);
        var rng = new Rng(19);
        float[] w = Enumerable.Range(0, 70 * 40 * 11).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        int rowY = 70 * g.OutLength;
        int rowX = 40 * 130;
        double[] density = [0, 0.1, 0, 0.6];
        float[] dy = Enumerable.Range(0, 4 * rowY).Select(i => rng.NextDouble() < density[i / rowY] ? (float)(rng.NextDouble() - 0.5) : 0f).ToArray();
        float[] start = Enumerable.Range(0, 4 * rowX).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] dx = (float[])start.Clone();
        SparseConvBackward.BackwardInput(g, dy, w, dx);
        Assert.Equal(start[..rowX], dx[..rowX]);
        Assert.Equal(start[(2 * rowX)..(3 * rowX)], dx[(2 * rowX)..(3 * rowX)]);
        foreach (int r in new[] { 1, 3 })
        {
            float[] alone = start[(r * rowX)..((r + 1) * rowX)];
            SparseConvBackward.BackwardInput(g with { Batch = 1 }, dy[(r * rowY)..((r + 1) * rowY)], w, alone);
            Assert.Equal(alone, dx[(r * rowX)..((r + 1) * rowX)]);
            Assert.NotEqual(start[(r * rowX)..((r + 1) * rowX)], alone);
        }
    }

    /// <summary>The sparse path runs dense rows through the dense kernel in runs, which relies on this.</summary>
    [Fact]
    public void DenseKernel_RowByRowEqualsBatched()
    {
        var g = new Conv1dGeometry(5, 300, 200, 200, 11);
        var rng = new Rng(3);
        float[] w = Enumerable.Range(0, 200 * 300 * 11).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] dy = Enumerable.Range(0, 5 * 200 * g.OutLength).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] a = new float[5 * 300 * 200];
        float[] b = new float[5 * 300 * 200];
        Conv1d.BackwardInput(g, dy, w, a);
        int rowY = 200 * g.OutLength;
        for (int r = 0; r < 5; r++)
        {
            float[] dx = new float[300 * 200];
            Conv1d.BackwardInput(g with { Batch = 1 }, dy.AsSpan(r * rowY, rowY), w, dx);
            dx.CopyTo(b, r * 300 * 200);
        }

        Assert.Equal(a, b);
    }
}
