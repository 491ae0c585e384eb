using SeqLens.IO.Motifs;

namespace SeqLens.Tests.IO.Motifs;

public class MotifTests
{
    private static Motif Counts() => new("M", [8, 0, 2, 0, 0, 0, 0, 10, 5, 5, 0, 0], MotifMatrixKind.Counts) { Sites = 10 };

    [Fact]
    public void Probabilities_Counts_NormaliseRowsWithPseudocount()
    {
        double[] p = Counts().Probabilities();
        Assert.Equal(new[] { 0.8, 0, 0.2, 0, 0, 0, 0, 1, 0.5, 0.5, 0, 0 }, p);
        double[] q = Counts().Probabilities(pseudocount: 2, MotifBackground.FromGc(0.5));
        Assert.Equal((8 + 0.5) / 12, q[0], 12);
        Assert.Equal(0.5 / 12, q[1], 12);
    }

    [Fact]
    public void Probabilities_ProbabilityMatrix_WeighsPseudocountBySites()
    {
        var m = new Motif("P", [1, 0, 0, 0], MotifMatrixKind.Probabilities);
        Assert.Equal((20 + 0.25) / 21, m.Probabilities(1)[0], 12); // N = 20 (MEME default nsites)
        var n = new Motif("P", [1, 0, 0, 0], MotifMatrixKind.Probabilities) { Sites = 100 };
        Assert.Equal((100 + 0.25) / 101, n.Probabilities(1)[0], 12);
    }

    [Fact]
    public void LogOdds_KnownValues()
    {
        double[] lo = Counts().LogOdds(MotifBackground.Uniform, pseudocount: 0);
        Assert.Equal(Math.Log2(0.8 / 0.25), lo[0], 12);
        Assert.Equal(double.NegativeInfinity, lo[1]);
        Assert.Equal(2, lo[7], 12);
        double[] withPseudo = Counts().LogOdds();
        Assert.All(withPseudo, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(Math.Log2(((0 + 0.2) / 10.8) / 0.25), withPseudo[1], 12);
    }

    [Fact]
    public void InformationContent_KnownValues()
    {
        double[] ic = Counts().InformationContent();
        double h0 = -((0.8 * Math.Log2(0.8)) + (0.2 * Math.Log2(0.2)));
        Assert.Equal(2 - h0, ic[0], 12);
        Assert.Equal(2, ic[1], 12);
        Assert.Equal(1, ic[2], 12);
        Assert.Equal(ic.Sum(), Counts().TotalInformationContent(), 12);
        var bg = MotifBackground.FromGc(0.4);
        Assert.Equal(Math.Log2(1 / 0.3), Counts().InformationContent(bg)[1], 12);
    }

    [Fact]
    public void ReverseComplement_ReversesAndSwapsBases()
    {
        Motif rc = Counts().ReverseComplement();
        Assert.Equal(new double[] { 0, 0, 5, 5, 10, 0, 0, 0, 0, 2, 0, 8 }, rc.Matrix.ToArray());
        Assert.Equal(Counts().Matrix.ToArray(), rc.ReverseComplement().Matrix.ToArray());
        Assert.Equal(10, rc.Sites);
    }

    [Fact]
    public void FromConsensus_AndConsensus_AgreeOnIupac()
    {
        Motif m = Motif.FromConsensus("GATA", "WGATAR");
        Assert.Equal(6, m.Width);
        Assert.Equal(0.925, m[1, 2], 12);
        Assert.Equal(0.475, m[0, 0], 12);
        Assert.Equal("WGATAR", m.Consensus());
        Assert.Equal("GATA", Motif.FromConsensus("x", "GATA", 0).Consensus());
        Assert.Equal("N", Motif.FromConsensus("x", "N").Consensus());
        Assert.Throws<ArgumentException>(() => Motif.FromConsensus("x", "GAXA"));
    }

    [Fact]
    public void Constructor_BadMatrix_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Motif("M", [1, 2, 3], MotifMatrixKind.Counts));
        Assert.Throws<ArgumentException>(() => new Motif("M", [1, 2, 3, -1], MotifMatrixKind.Counts));
        Assert.Throws<ArgumentException>(() => new Motif("M", [1, 2, 3, double.NaN], MotifMatrixKind.Counts));
        Assert.Throws<ArgumentException>(() => new MotifBackground(0.5, 0.5, 0, 0));
    }
}
