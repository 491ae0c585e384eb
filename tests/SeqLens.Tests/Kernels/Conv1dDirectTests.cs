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

    [Fact]
    public void Forward_OneAndTwoThreads_BitIdentical()
    {
        var g = new Conv1dGeometry(5, 4, 131, 301, 2, PadLeft: 1);
        float[] x = KernelTestData.Uniform(g.Batch * g.InChannels * g.Length, 12, 1);
        float[] w = KernelTestData.Uniform(g.OutChannels * g.InChannels * g.KernelSize, 12, 2);
        float[] b = KernelTestData.Uniform(g.OutChannels, 12, 3);
        float[] Run(int threads)
        {
            var y = new float[g.Batch * g.OutChannels * g.OutLength];
            KernelTestData.WithThreads(threads, () => Conv1d.Forward(g, x, w, b, y, relu: true));
            return y;
        }

        Assert.True(Run(1).AsSpan().SequenceEqual(Run(2)), "the direct forward differs between 1 and 2 threads.");
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
