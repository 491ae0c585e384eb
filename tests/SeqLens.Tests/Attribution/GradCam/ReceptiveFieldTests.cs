using SeqLens.Attribution.GradCam;
using SeqLens.Graphs;

namespace SeqLens.Tests.Attribution.GradCam;

public class ReceptiveFieldTests
{
    [Fact]
    public void ConvPoolDilatedConv_MatchesHandComputation()
    {
        // Input L = 20.
        // conv1 k=3 stride 1 valid: position p sees [p, p + 3); 18 positions.
        // maxpool 2 (stride 2): q sees conv1 positions 2q and 2q + 1, i.e. [2q, 2q + 1 + 3) = [2q, 2q + 4); 9 positions.
        // conv2 k=3 dilation 2: r sees pool positions r, r + 2, r + 4, i.e. [2r, 2(r + 4) + 4) = [2r, 2r + 12); 5 positions.
        // Hence (start, stride, size) = (0, 2, 12): r = 0 → [0, 12), 1 → [2, 14), 2 → [4, 16), 3 → [6, 18), 4 → [8, 20).
        var b = new GraphBuilder(1);
        Node x = b.Input("x", 4, 20);
        Node c1 = b.Conv1d(x, 3, 3, name: "c1");
        Node p = b.MaxPool1d(b.Relu(c1), 2, name: "p");
        Node c2 = b.Conv1d(p, 2, 3, dilation: 2, name: "c2");
        Graph g = b.Build(b.Dense(b.Flatten(c2), 1));

        ReceptiveField f = ReceptiveField.Of(g, g["c2"]);
        Assert.Equal([0, 2, 4, 6, 8], f.Start);
        Assert.Equal([12, 14, 16, 18, 20], f.End);
        Assert.Equal((0, 2, 12), f.Affine);
        Assert.Equal(20, f.InputLength);

        ReceptiveField fp = ReceptiveField.Of(g, g["p"]);
        Assert.Equal((0, 2, 4), fp.Affine);
        Assert.Equal((0, 1, 3), ReceptiveField.Of(g, g["c1"]).Affine);
    }

    [Fact]
    public void SamePadding_ClipsTheEdges_AndStrideAndPadCompose()
    {
        // conv k=5 same (pad 2 left, 2 right) on L = 6: p sees [p − 2, p + 3) ∩ [0, 6).
        // Pad(1, 0) then conv k=2 stride 2 valid: output r sees padded positions 2r, 2r + 1 = conv positions 2r − 1, 2r.
        var b = new GraphBuilder(1);
        Node x = b.Input("x", 4, 6);
        Node c = b.Conv1d(x, 2, 5, padding: Padding.Same, name: "c");
        Node s = b.Conv1d(b.Pad(c, 1, 0), 2, 2, stride: 2, name: "s");
        Graph g = b.Build(b.GlobalMaxPool(s));
        ReceptiveField f = ReceptiveField.Of(g, g["c"]);
        Assert.Equal([0, 0, 0, 1, 2, 3], f.Start);
        Assert.Equal([3, 4, 5, 6, 6, 6], f.End);
        Assert.Null(f.Affine);
        ReceptiveField fs = ReceptiveField.Of(g, g["s"]);
        // r = 0: conv position 0 only (the other tap is padding) → [0, 3); r = 1: positions 1, 2 → [0, 5); r = 2: 3, 4 → [1, 6).
        Assert.Equal([0, 0, 1], fs.Start);
        Assert.Equal([3, 5, 6], fs.End);
    }

    [Fact]
    public void Qrnn_SeesThePrefix_BackwardDirectionTheSuffix_AndConcatTheUnion()
    {
        var b = new GraphBuilder(1);
        Node x = b.Input("x", 4, 8);
        Node q = b.Qrnn(x, 2, kernelWidth: 2, bidirectional: true, name: "q");
        Graph g = b.Build(b.GlobalMaxPool(q));
        ReceptiveField fwd = ReceptiveField.Of(g, g["q.l0.fwd.pool"]);
        Assert.All(fwd.Start, s => Assert.Equal(0, s));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], fwd.End);
        ReceptiveField bwd = ReceptiveField.Of(g, g["q.l0.bwd.unrev"]);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], bwd.Start);
        Assert.All(bwd.End, e => Assert.Equal(8, e));
        ReceptiveField both = ReceptiveField.Of(g, g["q"]);
        Assert.All(both.Start, s => Assert.Equal(0, s));
        Assert.All(both.End, e => Assert.Equal(8, e));

        // The causal conv alone: k = 2 with left padding 1 → p sees [p − 1, p + 1) ∩ [0, 8).
        ReceptiveField conv = ReceptiveField.Of(g, g["q.l0.fwd.conv"]);
        Assert.Equal([0, 0, 1, 2, 3, 4, 5, 6], conv.Start);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], conv.End);
    }

    [Fact]
    public void Qrnn_LocalRecurrence_EachStepSeesItsOwnGateWindow()
    {
        var b = new GraphBuilder(1);
        Node x = b.Input("x", 4, 8);
        Node q = b.Qrnn(x, 2, kernelWidth: 3, bidirectional: true, name: "q");
        Graph g = b.Build(b.GlobalMaxPool(q));

        // Forward: the width-3 causal conv ending at p, [p − 2, p + 1) ∩ [0, 8); backward (reversed): [p, p + 3) ∩ [0, 8).
        ReceptiveField fwd = ReceptiveField.Of(g, g["q.l0.fwd.pool"], RecurrentField.Local);
        Assert.Equal([0, 0, 0, 1, 2, 3, 4, 5], fwd.Start);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], fwd.End);
        ReceptiveField bwd = ReceptiveField.Of(g, g["q.l0.bwd.unrev"], RecurrentField.Local);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], bwd.Start);
        Assert.Equal([3, 4, 5, 6, 7, 8, 8, 8], bwd.End);
        ReceptiveField both = ReceptiveField.Of(g, g["q"], RecurrentField.Local);
        Assert.Equal([0, 0, 0, 1, 2, 3, 4, 5], both.Start);
        Assert.Equal([3, 4, 5, 6, 7, 8, 8, 8], both.End);

        // The default stays the exact (prefix) field.
        Assert.All(ReceptiveField.Of(g, g["q.l0.fwd.pool"]).Start, v => Assert.Equal(0, v));
    }

    [Fact]
    public void NonLocalNode_IsAnErrorNamingIt()
    {
        var b = new GraphBuilder(1);
        Node x = b.Input("x", 4, 10);
        Node c = b.Conv1d(x, 2, 3, name: "c");
        Node d = b.Dense(b.Flatten(c), 6, name: "d");
        Node r = b.Reshape(d, [2, 3], name: "r");
        Node c2 = b.Conv1d(r, 1, 1, name: "c2");
        Graph g = b.Build(b.Flatten(c2));
        var ex = Assert.Throws<ArgumentException>(() => ReceptiveField.Of(g, g["d"]));
        Assert.Contains("'d'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("length axis", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => ReceptiveField.Of(g, g["c2"]));
        Assert.Contains("'r' (Reshape)", ex.Message, StringComparison.Ordinal);
    }
}
