using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Tests.Graphs;

public class SoftmaxOpTests
{
    [Theory]
    [InlineData(new[] { 1, 1 }, -1)]
    [InlineData(new[] { 3, 7 }, -1)]
    [InlineData(new[] { 3, 2, 7 }, 1)]
    [InlineData(new[] { 2, 5, 3 }, -1)]
    [InlineData(new[] { 1, 3, 1 }, 1)]
    public void Gradient_MatchesFiniteDifferences(int[] shape, int axis)
    {
        OpHarness.Check(shape, (b, x) => b.Softmax(x, axis), -3, 3);
        OpHarness.Check(shape, (b, x) => b.LogSoftmax(x, axis), -3, 3);
    }

    [Fact]
    public void HandComputed_AndStableForLargeLogits()
    {
        var x = Tensor.FromValues([1f, 2f, 3f, 1000f, 1001f, 1002f], 2, 3);
        var s = OpHarness.Run(OpHarness.Single([2, 3], (b, n) => b.Softmax(n)), x);
        var l = OpHarness.Run(OpHarness.Single([2, 3], (b, n) => b.LogSoftmax(n)), x);
        float[] p = [0.09003057317038046f, 0.24472847105479764f, 0.6652409557748219f];
        OpHarness.Close([.. p, .. p], s.Data);
        float[] lp = [-2.4076059644443806f, -1.4076059644443804f, -0.4076059644443803f];
        OpHarness.Close([.. lp, .. lp], l.Data, relative: 1e-6, absolute: 1e-6);
    }

    [Fact]
    public void Axis1_NormalisesChannels()
    {
        var x = Tensor.FromValues([0f, 5f, 0f, -5f], 1, 2, 2);
        var s = OpHarness.Run(OpHarness.Single([1, 2, 2], (b, n) => b.Softmax(n, 1)), x);
        OpHarness.Close([0.5f, 0.9999546f, 0.5f, 4.5397868e-05f], s.Data, relative: 1e-5);
    }

    [Fact]
    public void AttributionIsSoftmax_AndBatchAxisRejected()
    {
        Assert.Equal(AttributionClass.Softmax, new SoftmaxOp().Attribution);
        Assert.Equal(AttributionClass.Softmax, new LogSoftmaxOp().Attribution);
        var b = new GraphBuilder();
        Node x = b.Input("x", 3);
        Assert.Throws<ArgumentException>(() => b.Softmax(x, 0));
        Assert.Throws<ArgumentException>(() => b.LogSoftmax(x, 2));
    }
}
