using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Tests.Graphs;

/// <summary>The constant affine map <c>x·scale + shift</c> with broadcast scale and shift.</summary>
public class AffineOpTests
{
    public static TheoryData<int[], int[], int[]> Shapes() => new()
    {
        { [1, 1, 1], [], [] },
        { [3, 2, 7], [2, 1], [7] },
        { [2, 3, 5], [3, 5], [1] },
        { [3, 4], [4], [] },
        { [2, 2, 3, 5], [3, 1], [2, 1, 5] },
    };

    private static Tensor Values(Rng rng, int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++)
        {
            t.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        return t;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gradient_MatchesFiniteDifferences(int[] input, int[] scale, int[] shift)
    {
        var rng = new Rng(5);
        Tensor s = Values(rng, scale);
        Tensor h = Values(rng, shift);
        OpHarness.Check(input, (b, x) => b.Add(new AffineOp(s, h), [x]));
    }

    [Fact]
    public void HandComputed_BroadcastsPerChannelAndPerPosition()
    {
        // x (1, 2, 3); scale per channel (2, 1); shift per position (3).
        Graph g = OpHarness.Single([1, 2, 3], (b, x) => b.Add(new AffineOp(Tensor.FromValues([2f, -1f], 2, 1), Tensor.FromValues([0f, 10f, 100f], 3)), [x], "affine"));
        Tensor y = OpHarness.Run(g, Tensor.FromValues([1f, 2f, 3f, 4f, 5f, 6f], 1, 2, 3));
        Assert.Equal([2f, 14f, 106f, -4f, 5f, 94f], y.Data);
        Assert.Equal(["affine.scale", "affine.shift"], g.Parameters.Select(p => p.Name));
        Assert.Empty(g.TrainableParameters);
        Assert.Equal(AttributionClass.Linear, g["affine"].Op.Attribution);
    }

    [Fact]
    public void InferShape_RefusesAShapeThatDoesNotBroadcast()
    {
        var b = new GraphBuilder();
        Node x = b.Input("x", 3, 5);
        var ex = Assert.Throws<ArgumentException>(() => b.Add(new AffineOp(Tensor.FromValues([1f, 2f], 2), new Tensor(1)), [x]));
        Assert.Contains("does not broadcast", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new AffineOp(Tensor.FromValues([float.NaN], 1), new Tensor(1)));
    }

    [Fact]
    public void Registry_RoundTripsTheAttributes()
    {
        var op = new AffineOp(Tensor.FromValues([1f, 2f, 3f], 3, 1), Tensor.FromValues([4f], 1));
        var json = new System.Text.Json.Nodes.JsonObject();
        op.WriteAttributes(json);
        var created = (AffineOp)OpRegistry.Create("Affine", new OpAttributes("a", json), [[1, 3, 4]], new Rng(1));
        Assert.Equal([3, 1], created.Scale.Value.Shape);
        Assert.Equal([1], created.Shift.Value.Shape);
        Assert.All(created.Scale.Value.Data, v => Assert.Equal(1f, v));
    }
}
