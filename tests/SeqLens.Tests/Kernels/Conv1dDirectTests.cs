using SeqLens.Kernels;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Kernels;

public class Conv1dDirectTests
{
    public static TheoryData<int[], bool, bool> Geometries() => new()
    {
        // batch, cin, cout, length, kernel, dilation, padLeft, padRight; bias, relu
        { [1, 4, 384, 1000, 2, 1, 1, 0], true, false },
        { [3, 4, 67, 131, 2, 1, 1, 0], true, false },
        { [1, 4, 5, 17, 3, 1, 0, 0], false, false },
        { [2, 3, 130, 64, 5, 1, 2, 2], true, true },
        { [3, 1, 9, 1, 1, 1, 0, 0], true, false },
        { [2, 2, 7, 15, 3, 2, 4, 0], false, true },
        { [1, 8, 4, 200, 2, 3, 3, 0], true, false },
        { [2, 16, 6, 79, 1, 1, 0, 0], true, true },
        { [1, 4, 3, 2, 4, 1, 3, 3], true, false },
        { [2, 5, 65, 257, 3, 2, 0, 5], true, false },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_MatchesDoubleReference(int[] s, bool withBias, bool relu)
    {
        var g = new Conv1dGeometry(s[0], s[1], s[2], s[3], s[4], 1, s[5], s[6], s[7]);
        Assert.True(Conv1dDirect.Handles(g) || !Conv1dDirect.IsSupported, $"{g} should take the direct path.");
        float[] x = KernelTestData.Uniform(g.Batch * g.InChannels * g.Length, 11, 1);
        float[] w = KernelTestData.Uniform(g.OutChannels * g.InChannels * g.KernelSize, 11, 2);
        float[] b = withBias ? KernelTestData.Uniform(g.OutChannels, 11, 3) : [];
        var y = new float[g.Batch * g.OutChannels * g.OutLength];
        y.AsSpan().Fill(float.NaN);
        Conv1d.Forward(g, x, w, b, y, relu);
        double[] expected = ReferenceKernels.ConvForward(g, x, w, b);
        double[] scale = ReferenceKernels.ConvForward(g, x, w, b, absolute: true);
        if (relu)
        {
            expected = expected.Select(v => Math.Max(v, 0)).ToArray();
        }

        KernelTestData.AssertClose(expected, y, scale.Select(v => v + 1e-3).ToArray(), 1e-5, "direct forward " + g);
    }

    public static TheoryData<int[]> BackwardGeometries() => new()
    {
        // batch, cin, cout, length, kernel, dilation, padLeft, padRight
        { [1, 4, 384, 1000, 2, 1, 1, 0] },
        { [3, 4, 67, 131, 2, 1, 1, 0] },
        { [2, 4, 21, 600, 19, 1, 9, 9] },
        { [3, 4, 9, 40, 8, 1, 0, 0] },
        { [2, 3, 37, 101, 3, 2, 1, 4] },
        { [3, 1, 5, 1, 1, 1, 0, 0] },
        { [1, 2, 6, 3, 4, 1, 3, 3] },
        { [2, 4, 130, 77, 5, 3, 12, 0] },
    };

    [Theory]
    [MemberData(nameof(BackwardGeometries))]
    public void BackwardInput_MatchesDoubleReference(int[] s)
    {
        var g = new Conv1dGeometry(s[0], s[1], s[2], s[3], s[4], 1, s[5], s[6], s[7]);
        Assert.True(Conv1dDirect.HandlesBackwardInput(g) || !Conv1dDirect.IsSupported, $"{g} should take the direct path.");
        float[] dy = KernelTestData.Uniform(g.Batch * g.OutChannels * g.OutLength, 13, 1);
        float[] w = KernelTestData.Uniform(g.OutChannels * g.InChannels * g.KernelSize, 13, 2);
        float[] start = KernelTestData.Uniform(g.Batch * g.InChannels * g.Length, 13, 3);
        var dx = (float[])start.Clone();
        Conv1d.BackwardInput(g, dy, w, dx);
        double[] expected = ReferenceKernels.ConvBackwardInput(g, dy, w, start);
        double[] scale = ReferenceKernels.ConvBackwardInput(g, dy, w, start, absolute: true);
        KernelTestData.AssertClose(expected, dx, scale, 1e-5, "direct input gradient " + g);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void BackwardWeight_MatchesDoubleReference(int[] s, bool withBias, bool relu)
    {
        _ = relu;
        var g = new Conv1dGeometry(s[0], s[1], s[2], s[3], s[4], 1, s[5], s[6], s[7]);
        float[] x = KernelTestData.Uniform(g.Batch * g.InChannels * g.Length, 14, 1);
        float[] dy = KernelTestData.Uniform(g.Batch * g.OutChannels * g.OutLength, 14, 2);
        float[] w0 = KernelTestData.Uniform(g.OutChannels * g.InChannels * g.KernelSize, 14, 3);
        float[] b0 = withBias ? KernelTestData.Uniform(g.OutChannels, 14, 4) : [];
        var dw = (float[])w0.Clone();
        var db = (float[])b0.Clone();
        Conv1d.BackwardWeight(g, x, dy, dw, db);
        var (expectedW, expectedB) = ReferenceKernels.ConvBackwardWeight(g, x, dy, w0, b0);
        var (scaleW, scaleB) = ReferenceKernels.ConvBackwardWeight(g, x, dy, w0, b0, absolute: true);
        KernelTestData.AssertClose(expectedW, dw, scaleW, 1e-5, "direct weight gradient " + g);
        KernelTestData.AssertClose(expectedB, db, scaleB, 1e-5, "bias gradient " + g);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(5, 0)]
    [InlineData(1, 3)]
    public void HandlesBackwardInput_OnlyFewChannelsAndPaddingWithinReach(int inChannels, int extraPad)
    {
        var g = new Conv1dGeometry(2, inChannels, 8, 50, 3, PadLeft: 2 + extraPad);
        Assert.Equal(inChannels <= 4 && extraPad == 0 && Conv1dDirect.IsSupported, Conv1dDirect.HandlesBackwardInput(g));
    }

    [Fact]
    public void AllDirectPasses_OneAndTwoThreads_BitIdentical()
    {
        var g = new Conv1dGeometry(5, 4, 131, 301, 2, PadLeft: 1);
        float[] x = KernelTestData.Uniform(g.Batch * g.InChannels * g.Length, 12, 1);
        float[] w = KernelTestData.Uniform(g.OutChannels * g.InChannels * g.KernelSize, 12, 2);
        float[] b = KernelTestData.Uniform(g.OutChannels, 12, 3);
        float[] Run(int threads)
        {
            var y = new float[g.Batch * g.OutChannels * g.OutLength];
            var dx = new float[x.Length];
            var dw = new float[w.Length];
            KernelTestData.WithThreads(threads, () =>
            {
                Conv1d.Forward(g, x, w, b, y, relu: true);
                Conv1d.BackwardInput(g, y, w, dx);
                Conv1d.BackwardWeight(g, x, y, dw, []);
            });
            return [.. y, .. dx, .. dw];
        }

        Assert.True(Run(1).AsSpan().SequenceEqual(Run(2)), "a direct pass differs between 1 and 2 threads.");
    }

    [Fact]
    public void Handles_NotRowsBeyondTheScratchCap()
    {
        // 16 channels × 300 000 positions padded is above 4 M floats: the GEMM path, which never copies rows, keeps it.
        Assert.False(Conv1dDirect.Handles(new Conv1dGeometry(1, 16, 8, 300_000, 1)));
        Assert.False(Conv1dDirect.HandlesBackwardInput(new Conv1dGeometry(1, 4, 512, 10_000, 3, PadLeft: 1, PadRight: 1)));
        Assert.Equal(Conv1dDirect.IsSupported, Conv1dDirect.HandlesBackwardInput(new Conv1dGeometry(1, 4, 384, 1000, 2, PadLeft: 1)));
    }

    [Theory]
    [InlineData(1, 1, 4, true)]
    [InlineData(2, 1, 4, false)]
    [InlineData(1, 2, 4, false)]
    [InlineData(1, 1, 5, false)]
    public void Handles_OnlyStrideOneSingleGroupDepthUpTo16(int stride, int groups, int kernel, bool expected)
    {
        var g = new Conv1dGeometry(2, 4, 8, 50, kernel, Stride: stride, Groups: groups);
        Assert.Equal(expected && Conv1dDirect.IsSupported, Conv1dDirect.Handles(g));
    }
}
