using SeqLens.Graphs;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

public class QrnnLayerTests
{
    [Theory]
    [InlineData(1, 2, 1, 3, 2, 1, false)]
    [InlineData(3, 3, 7, 4, 2, 1, false)]
    [InlineData(3, 4, 5, 3, 3, 1, true)]
    [InlineData(1, 4, 11, 2, 2, 2, false)]
    [InlineData(3, 2, 6, 2, 2, 2, true)]
    public void Gradient_MatchesFiniteDifferences(int batch, int channels, int length, int hidden, int width, int layers, bool bidirectional)
        => OpHarness.Check([batch, channels, length], (b, x) => b.Qrnn(x, hidden, width, layers, bidirectional));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gradient_WithZoneoutInTraining_MatchesFiniteDifferences(bool bidirectional)
        => OpHarness.Check([3, 4, 9], (b, x) => b.Qrnn(x, 3, 2, 2, bidirectional, zoneout: 0.25f), training: true);

    [Fact]
    public void Shapes_AndNodeNames()
    {
        var b = new GraphBuilder(1);
        Node x = b.Input("x", 4, 20);
        Node q = b.Qrnn(x, 8, layers: 2, bidirectional: true, name: "rnn");
        Assert.Equal([16, 20], q.SampleShape);
        Assert.Equal("rnn", q.Name);
        Graph g = b.Build(b.Dense(b.Flatten(q), 1));
        Assert.True(g.TryGetNode("rnn.l0.fwd.pool", out _));
        Assert.True(g.TryGetNode("rnn.l1.bwd.conv", out _));
        Assert.Equal([24, 16, 2], g["rnn.l1.fwd.conv"].Op.Parameters[0].Value.Shape);
    }

    [Fact]
    public void ModelFile_RoundTrip_GivesTheSameOutputs()
    {
        var b = new GraphBuilder(4);
        Node x = b.Input("x", 4, 15);
        Node q = b.Qrnn(x, 3, kernelWidth: 3, layers: 2, bidirectional: true, zoneout: 0.2f, name: "q");
        Graph g = b.Build(b.Dense(b.GlobalMaxPool(q), 2), activation: OutputActivation.None);
        var input = GradientCheck.Random(new Rng(6), -1, 1, [2, 4, 15]);
        Tensor expected = new Executor(g).Forward(input).Clone();
        string dir = Directory.CreateTempSubdirectory("seqlens-qrnn-").FullName;
        try
        {
            SeqLens.IO.Models.ModelFile.Save(g, dir);
            Graph loaded = SeqLens.IO.Models.ModelFile.Load(dir).Graph;
            Assert.Equal(expected.Data, new Executor(loaded).Forward(input).Data);
            var pool = Assert.IsType<SeqLens.Graphs.Ops.QuasiRecurrentPoolOp>(loaded["q.l1.bwd.pool"].Op);
            Assert.Equal(0.2f, pool.Zoneout);
            Assert.Equal(3, pool.Hidden);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Forward_IsCausal_AndBackwardDirectionAntiCausal()
    {
        // Changing input position 10 must leave forward-direction outputs before 10 untouched, and backward-direction
        // outputs after 10 (k = 2: the backward direction sees t … t + 1 and the suffix).
        var b = new GraphBuilder(3);
        Node x = b.Input("x", 4, 20);
        Graph g = b.Build(b.Qrnn(x, 5, bidirectional: true, name: "q"), activation: OutputActivation.None);
        var input = GradientCheck.Random(new Rng(2), -1, 1, [1, 4, 20]);
        var exec = new Executor(g);
        Tensor before = exec.Forward(input).Clone();
        input.Data[10] += 0.5f;
        Tensor after = exec.Forward(input).Clone();
        for (int c = 0; c < 10; c++)
        {
            for (int t = 0; t < 20; t++)
            {
                bool same = before[0, c, t] == after[0, c, t];
                bool expectSame = c < 5 ? t < 10 : t > 10;
                Assert.True(same == expectSame, $"channel {c}, position {t}: changed {!same}, expected changed {!expectSame}");
            }
        }
    }
}
