using SeqLens.Kernels;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Kernels;

public class Pool1dTests
{
    public static TheoryData<int, int, int, int, int> Windows() => new()
    {
        // rows, length, kernel, stride, padLeft (padRight = padLeft)
        { 3, 600, 3, 3, 0 },
        { 2, 190, 4, 4, 0 },
        { 5, 1, 1, 1, 0 },
        { 3, 1, 3, 1, 1 },
        { 2, 37, 5, 2, 2 },
        { 4, 53, 2, 1, 1 },
        { 1, 100, 7, 3, 3 },
        { 2, 9, 4, 4, 0 },
        { 3, 101, 2, 2, 1 },
        { 2, 250, 4, 4, 3 },
        { 2, 67, 3, 3, 2 },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void MaxForwardAndBackward_MatchReferenceExactly(int rows, int length, int kernel, int stride, int pad)
    {
        int outLength = Pool1d.OutLength(length, kernel, stride, pad, pad);
        var x = KernelTestData.Uniform(rows * length, length + kernel, 1);
        // Ties and NaNs: repeat values and sprinkle NaNs so first-max-wins and NaN propagation are exercised.
        for (int i = 0; i < x.Length; i += 7)
        {
            x[i] = x[Math.Max(i - 1, 0)];
        }

        for (int i = 5; i < x.Length; i += 23)
        {
            x[i] = float.NaN;
        }

        var y = new float[rows * outLength];
        var idx = new int[y.Length];
        var yRef = new float[y.Length];
        var idxRef = new int[y.Length];
        Pool1d.MaxForward(rows, length, kernel, stride, pad, outLength, x, y, idx);
        ReferenceKernels.MaxPoolForward(rows, length, kernel, stride, pad, outLength, x, yRef, idxRef);
        Assert.Equal(idxRef, idx);
        Assert.Equal(yRef, y);

        var dy = KernelTestData.Uniform(y.Length, 3, 2);
        var dx = KernelTestData.Uniform(x.Length, 3, 3);
        var dxRef = (float[])dx.Clone();
        Pool1d.MaxBackward(rows, length, outLength, dy, idx, dx);
        ReferenceKernels.MaxPoolBackward(rows, length, outLength, dy, idxRef, dxRef);
        Assert.Equal(dxRef, dx);
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void AvgForwardAndBackward_MatchReference(int rows, int length, int kernel, int stride, int pad)
    {
        int outLength = Pool1d.OutLength(length, kernel, stride, pad, pad);
        var x = KernelTestData.Uniform(rows * length, length + kernel, 1);
        foreach (bool countPadding in new[] { true, false })
        {
            var y = new float[rows * outLength];
            Pool1d.AvgForward(rows, length, kernel, stride, pad, outLength, countPadding, x, y);
            var expected = ReferenceKernels.AvgPoolForward(rows, length, kernel, stride, pad, outLength, countPadding, x);
            var scale = ReferenceKernels.AvgPoolForward(rows, length, kernel, stride, pad, outLength, countPadding, x.Select(Math.Abs).ToArray());
            KernelTestData.AssertClose(expected, y, scale, 1e-6, "avg forward");

            var dy = KernelTestData.Uniform(y.Length, 4, 2);
            var dx = KernelTestData.Uniform(x.Length, 4, 3);
            var expectedDx = ReferenceKernels.AvgPoolBackward(rows, length, kernel, stride, pad, outLength, countPadding, dy, dx);
            var scaleDx = ReferenceKernels.AvgPoolBackward(rows, length, kernel, stride, pad, outLength, countPadding, dy.Select(Math.Abs).ToArray(), dx.Select(Math.Abs).ToArray());
            Pool1d.AvgBackward(rows, length, kernel, stride, pad, outLength, countPadding, dy, dx);
            KernelTestData.AssertClose(expectedDx, dx, scaleDx, 1e-6, "avg backward");
        }
    }

    [Fact]
    public void MaxForward_HandComputed_TiesNaNAndPadding()
    {
        float[] x = [1, 3, 3, 2, float.NaN, 5, 0];
        var y = new float[4];
        var idx = new int[4];
        // kernel 2, stride 2, pad 1: windows (-1,0), (1,2), (3,4), (5,6).
        Pool1d.MaxForward(1, 7, 2, 2, 1, 4, x, y, idx);
        Assert.Equal(new[] { 0, 1, 4, 5 }, idx);
        Assert.Equal(1f, y[0]);
        Assert.Equal(3f, y[1]);
        Assert.True(float.IsNaN(y[2]));
        Assert.Equal(5f, y[3]);
    }

    [Fact]
    public void AvgForward_HandComputed_CountPaddingOrNot()
    {
        float[] x = [2, 4, 6];
        var y = new float[2];
        // kernel 2, stride 2, pad 1: windows (-1,0), (1,2).
        Pool1d.AvgForward(1, 3, 2, 2, 1, 2, countPadding: true, x, y);
        Assert.Equal(new[] { 1f, 5f }, y);
        Pool1d.AvgForward(1, 3, 2, 2, 1, 2, countPadding: false, x, y);
        Assert.Equal(new[] { 2f, 5f }, y);
    }

    [Fact]
    public void MaxForward_WrongSizes_Throw()
    {
        var ex = Assert.Throws<ArgumentException>(() => Pool1d.MaxForward(2, 10, 2, 2, 0, 5, new float[19], new float[10], new int[10]));
        Assert.Contains("needs 20 inputs", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Pool1d.MaxForward(2, 10, 2, 2, 0, 5, new float[20], new float[10], new int[9]));
        Assert.Contains("argmax holds 9", ex.Message, StringComparison.Ordinal);
    }
}
