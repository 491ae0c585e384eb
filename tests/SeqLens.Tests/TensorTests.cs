namespace SeqLens.Tests;

public class TensorTests
{
    [Fact]
    public void Reshape_InferredDimension_SharesStorage()
    {
        var t = new Tensor(2, 3, 4);
        var r = t.Reshape(6, -1);
        Assert.Equal(new[] { 6, 4 }, r.Shape);
        r.Data[5] = 7f;
        Assert.Equal(7f, t[0, 1, 1]);
    }

    [Fact]
    public void Constructor_DataOfWrongSize_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Tensor(new float[5], 2, 3));
        Assert.Contains("(2, 3)", ex.Message, StringComparison.Ordinal);
    }
}
