using SeqLens.Kernels;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Kernels;

public class Conv1dTests
{
    private const double Rel = 1e-5;

    public static TheoryData<int[], bool> Geometries()
    {
        var (sl, sr) = Conv1dGeometry.SamePadding(23, 5, 1, 1);
        var (s2l, s2r) = Conv1dGeometry.SamePadding(29, 4, 2, 1);
        var (s1l, s1r) = Conv1dGeometry.SamePadding(1, 3, 1, 1);
        return new TheoryData<int[], bool>
        {
            // batch, cin, cout, length, kernel, stride, dilation, padLeft, padRight, groups, bias
            { [1, 4, 5, 17, 3, 1, 1, 0, 0, 1], true },
            { [3, 4, 6, 23, 5, 1, 1, sl, sr, 1], true },
            { [3, 6, 4, 29, 4, 2, 1, s2l, s2r, 1], false },
            { [1, 3, 7, 31, 3, 3, 2, 1, 2, 1], false },
            { [3, 4, 6, 40, 3, 1, 4, 5, 3, 2], true },
            { [1, 2, 3, 1, 1, 1, 1, 0, 0, 1], true },
            { [3, 2, 4, 1, 3, 1, 1, s1l, s1r, 2], false },
            { [3, 8, 10, 37, 7, 2, 3, 4, 6, 2], true },
            { [3, 20, 30, 70, 15, 1, 1, 7, 7, 1], true },
            { [3, 4, 17, 700, 5, 1, 1, 2, 2, 1], true },
            { [3, 5, 3, 50, 2, 3, 1, 0, 0, 1], true },
            { [1, 4, 16, 64, 19, 1, 2, 0, 0, 1], false },
            { [3, 6, 4, 33, 3, 2, 4, 0, 9, 2], true },
            { [3, 32, 6, 41, 3, 2, 2, 1, 1, 2], true },
            { [1, 2, 3, 2100, 3, 1, 1, 1, 1, 1], false },
            { [2, 20, 5, 30, 3, 1, 1, 1, 1, 1], true },
        };
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void AllPasses_MatchDoubleReference(int[] sizes, bool withBias)
        => CheckAllPasses(new Conv1dGeometry(sizes[0], sizes[1], sizes[2], sizes[3], sizes[4], sizes[5], sizes[6], sizes[7], sizes[8], sizes[9]), withBias);

    [Theory]
    [MemberData(nameof(GemmTests.SupportedPaths), MemberType = typeof(GemmTests))]
    public void AllPasses_EveryMicroKernelPath_MatchDoubleReference(int pathValue)
        => KernelTestData.WithPath((GemmPath)pathValue, () =>
        {
            CheckAllPasses(new Conv1dGeometry(3, 4, 20, 45, 5, PadLeft: 2, PadRight: 2), withBias: true);
            CheckAllPasses(new Conv1dGeometry(2, 20, 17, 33, 4, Stride: 2, Dilation: 2, PadLeft: 1, Groups: 1), withBias: true);
        });

    private static void CheckAllPasses(Conv1dGeometry g, bool withBias)
    {
        var data = ConvData.Create(g, withBias, seed: g.Length + (31 * g.KernelSize) + g.Stride);
        string name = g.ToString();

        var y = new float[data.OutputGrad.Length];
        y.AsSpan().Fill(float.NaN);
        Conv1d.Forward(g, data.Input, data.Weight, data.Bias, y);
        var expected = ReferenceKernels.ConvForward(g, data.Input, data.Weight, data.Bias);
        var scale = ReferenceKernels.ConvForward(g, data.Input, data.Weight, data.Bias, absolute: true);
        KernelTestData.AssertClose(expected, y, scale, Rel, "forward " + name);

        var dx = (float[])data.InputGradStart.Clone();
        Conv1d.BackwardInput(g, data.OutputGrad, data.Weight, dx);
        expected = ReferenceKernels.ConvBackwardInput(g, data.OutputGrad, data.Weight, data.InputGradStart);
        scale = ReferenceKernels.ConvBackwardInput(g, data.OutputGrad, data.Weight, data.InputGradStart, absolute: true);
        KernelTestData.AssertClose(expected, dx, scale, Rel, "input gradient " + name);

        var dw = (float[])data.WeightGradStart.Clone();
        var db = (float[])data.BiasGradStart.Clone();
        Conv1d.BackwardWeight(g, data.Input, data.OutputGrad, dw, db);
        var (expectedW, expectedB) = ReferenceKernels.ConvBackwardWeight(g, data.Input, data.OutputGrad, data.WeightGradStart, data.BiasGradStart);
        var (scaleW, scaleB) = ReferenceKernels.ConvBackwardWeight(g, data.Input, data.OutputGrad, data.WeightGradStart, data.BiasGradStart, absolute: true);
        KernelTestData.AssertClose(expectedW, dw, scaleW, Rel, "weight gradient " + name);
        KernelTestData.AssertClose(expectedB, db, scaleB, Rel, "bias gradient " + name);
    }

    [Fact]
    public void Forward_HandComputed_StrideDilationPadding()
    {
        // x = [1 2 3 4 5], w = [1 10], stride 2, dilation 2, pad 1 each side: taps at (-1,1), (1,3), (3,5); -1 and 5 are padding.
        var g = new Conv1dGeometry(1, 1, 1, 5, 2, Stride: 2, Dilation: 2, PadLeft: 1, PadRight: 1);
        Assert.Equal(3, g.OutLength);
        var y = new float[3];
        Conv1d.Forward(g, [1, 2, 3, 4, 5], [1, 10], [0.5f], y);
        Assert.Equal(new float[] { 20.5f, 42.5f, 4.5f }, y);
    }

    [Fact]
    public void Forward_FusedRelu_EqualsReluOfForwardBitForBit()
    {
        var g = new Conv1dGeometry(3, 6, 20, 45, 5, PadLeft: 2, PadRight: 2);
        var data = ConvData.Create(g, withBias: true, seed: 3);
        var plain = new float[data.OutputGrad.Length];
        var fused = new float[plain.Length];
        Conv1d.Forward(g, data.Input, data.Weight, data.Bias, plain);
        Conv1d.Forward(g, data.Input, data.Weight, data.Bias, fused, relu: true);
        Assert.Contains(plain, v => v < 0);
        for (int i = 0; i < plain.Length; i++)
        {
            Assert.Equal(MathF.Max(plain[i], 0f), fused[i]);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(13)]
    [InlineData(18)]
    [InlineData(27)]
    [InlineData(200)]
    public void Forward_TailRowsWithBiasAndRelu_MatchDoubleReference(int cout)
    {
        // cout mod 14 is the M tail of the GEMM; bias and ReLU run in the tail kernel's store (length 45: tiles
        // straddle batch items too). Deep enough (20·15 = 300) for one k block, shallow (4·3) for the row sweep.
        foreach (var g in new[] { new Conv1dGeometry(3, 20, cout, 45, 15, PadLeft: 7, PadRight: 7), new Conv1dGeometry(3, 4, cout, 45, 3) })
        {
            var data = ConvData.Create(g, withBias: true, seed: cout);
            var y = new float[data.OutputGrad.Length];
            Conv1d.Forward(g, data.Input, data.Weight, data.Bias, y, relu: true);
            var expected = ReferenceKernels.ConvForward(g, data.Input, data.Weight, data.Bias);
            var scale = ReferenceKernels.ConvForward(g, data.Input, data.Weight, data.Bias, absolute: true);
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = Math.Max(expected[i], 0);
            }

            KernelTestData.AssertClose(expected, y, scale, Rel, $"forward+ReLU {g}");
        }
    }

    [Theory]
    [InlineData(8, 16, 32, 300, 9, 1, 1)]
    [InlineData(5, 12, 40, 211, 6, 2, 2)]
    [InlineData(4, 4, 300, 600, 19, 1, 1)]
    public void AllPasses_OneAndTwoThreads_BitIdentical(int batch, int cin, int cout, int length, int kernel, int stride, int groups)
    {
        var (left, right) = Conv1dGeometry.SamePadding(length, kernel, stride, 1);
        var g = new Conv1dGeometry(batch, cin, cout, length, kernel, stride, 1, left, right, groups);
        var data = ConvData.Create(g, withBias: true, seed: 9);
        float[][] Run(int threads)
        {
            var y = new float[data.OutputGrad.Length];
            var dx = (float[])data.InputGradStart.Clone();
            var dw = (float[])data.WeightGradStart.Clone();
            var db = (float[])data.BiasGradStart.Clone();
            KernelTestData.WithThreads(threads, () =>
            {
                Conv1d.Forward(g, data.Input, data.Weight, data.Bias, y, relu: true);
                Conv1d.BackwardInput(g, data.OutputGrad, data.Weight, dx);
                Conv1d.BackwardWeight(g, data.Input, data.OutputGrad, dw, db);
            });
            return [y, dx, dw, db];
        }

        var one = Run(1);
        var two = Run(2);
        string[] names = ["forward", "input gradient", "weight gradient", "bias gradient"];
        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(one[i].AsSpan().SequenceEqual(two[i]), $"{names[i]} differs between 1 and 2 threads.");
        }
    }

    [Fact]
    public void Forward_WrongSizes_ThrowWithExpectedAndGot()
    {
        var g = new Conv1dGeometry(2, 4, 3, 10, 3);
        var ex = Assert.Throws<ArgumentException>(() => Conv1d.Forward(g, new float[79], new float[36], [], new float[48]));
        Assert.Contains("input holds 79 floats", ex.Message, StringComparison.Ordinal);
        Assert.Contains("needs 80", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Conv1d.Forward(g, new float[80], new float[36], new float[2], new float[48]));
        Assert.Contains("bias holds 2", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Conv1d.BackwardWeight(g with { Groups = 2 }, new float[80], new float[48], new float[18], []));
    }

    private sealed record ConvData(float[] Input, float[] Weight, float[] Bias, float[] OutputGrad, float[] InputGradStart, float[] WeightGradStart, float[] BiasGradStart)
    {
        public static ConvData Create(in Conv1dGeometry g, bool withBias, long seed)
        {
            int weight = g.OutChannels * (g.InChannels / g.Groups) * g.KernelSize;
            int output = g.Batch * g.OutChannels * g.OutLength;
            int input = g.Batch * g.InChannels * g.Length;
            return new ConvData(
                KernelTestData.Uniform(input, seed, 1),
                KernelTestData.Uniform(weight, seed, 2),
                withBias ? KernelTestData.Uniform(g.OutChannels, seed, 3) : [],
                KernelTestData.Uniform(output, seed, 4),
                KernelTestData.Uniform(input, seed, 5),
                KernelTestData.Uniform(weight, seed, 6),
                withBias ? KernelTestData.Uniform(g.OutChannels, seed, 7) : []);
        }
    }
}
