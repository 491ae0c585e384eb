using SeqLens.IO;
using SeqLens.IO.Bed;
using SeqLens.IO.Intervals;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.IO.Bed;

public class BedReaderTests
{
    private static List<BedRecord> Parse(string text, bool narrowPeak = false)
        => BedReader.Read(new StringReader(text), "test.bed", narrowPeak).ToList();

    [Fact]
    public void Read_HeadersSkipped_Bed3To6()
    {
        var r = Parse("track name=x\nbrowser position chr1:1-10\n# comment\n\nchr1\t10\t20\tpeak1\t500\t-\nchr2\t0\t5\tp2\t.\t+\n");
        Assert.Equal(2, r.Count);
        Assert.Equal(("chr1", 10L, 20L, 6, "peak1", (double?)500, Strand.Minus), (r[0].Chrom, r[0].Start, r[0].End, r[0].FieldCount, r[0].Name, r[0].Score, r[0].Strand));
        Assert.Null(r[1].Score);
        Assert.Equal(15, r[0].SummitOrCenter);
    }

    [Fact]
    public void Read_Bed12_Blocks()
    {
        var r = Parse("chr1\t100\t200\ttx\t0\t+\t110\t190\t255,0,0\t2\t10,20,\t0,80,\n").Single();
        Assert.Equal(12, r.FieldCount);
        Assert.Equal(2, r.BlockCount);
        Assert.Equal([10, 20], r.BlockSizes);
        Assert.Equal([0, 80], r.BlockStarts);
        Assert.Equal("255,0,0", r.ItemRgb);
    }

    [Fact]
    public void Read_NarrowPeak_SummitFromColumn10()
    {
        var r = Parse("chr1\t1000\t1400\tpeak\t0\t.\t12.5\t8.1\t6.2\t150\n").Single();
        Assert.True(r.IsNarrowPeak);
        Assert.Equal(1150, r.SummitOrCenter);
        Assert.Equal(12.5, r.SignalValue);
        var noSummit = Parse("chr1\t1000\t1400\tpeak\t0\t.\t12.5\t-1\t-1\t-1\n", narrowPeak: true).Single();
        Assert.Equal(1200, noSummit.SummitOrCenter);
    }

    [Fact]
    public void WriteRead_RoundTrips_Bed3Bed6Bed12NarrowPeak()
    {
        using var tmp = IoFixtures.Temp();
        foreach (string text in new[]
        {
            "chr1\t10\t20\n",
            "chr1\t10\t20\tn\t3.5\t-\n",
            "chr1\t100\t200\ttx\t0\t+\t110\t190\t255,0,0\t2\t10,20,\t0,80,\n",
            "chr1\t1000\t1400\tpeak\t0\t.\t12.5\t8.1\t6.2\t150\n",
        })
        {
            var recs = Parse(text);
            string p = tmp.File("x.bed");
            BedWriter.WriteFile(p, recs);
            Assert.Equal(text, File.ReadAllText(p));
        }
    }

    [Theory]
    [InlineData("chr1\t20\t10\n", 1, 3, "before start")]
    [InlineData("chr1\tten\t20\n", 1, 2, "start must be a non-negative integer")]
    [InlineData("chr1\t-5\t20\n", 1, 2, "start must be")]
    [InlineData("chr1\t10\n", 1, 0, "3 to 9 or 12 columns")]
    [InlineData("chr1\t1\t2\ta\t0\t+\t1\t2\t0\t1\t1\n", 1, 0, "got 11")]
    [InlineData("chr1\t10\t20\tn\t0\t+\nchr1\t10\t20\n", 2, 0, "expected 6 columns")]
    [InlineData("chr1\t10\t20\tn\t0\tx\n", 1, 6, "strand")]
    [InlineData("chr1\t10\t20\tn\tabc\t+\n", 1, 5, "score must be a number")]
    [InlineData("chr1\t10\t20\tn\t0\t+\t5\t20\n", 1, 7, "thick range")]
    [InlineData("chr1\t100\t200\ttx\t0\t+\t110\t190\t0\t3\t10,20,\t0,80,\n", 1, 10, "blockCount is 3")]
    [InlineData("chr1\t100\t200\ttx\t0\t+\t110\t190\t0\t2\t10,x,\t0,80,\n", 1, 11, "blockSizes")]
    [InlineData("chr1\t1000\t1400\tpeak\t0\t.\t1\t1\t1\t400\n", 1, 10, "outside the peak")]
    [InlineData("chr1\t1000\t1400\tpeak\t0\t.\tNaN\t1\t1\t40\n", 1, 7, "signalValue")]
    public void Read_Malformed_ThrowsWithLocation(string text, int line, int column, string fragment)
    {
        var ex = Assert.Throws<ParseException>(() => Parse(text));
        Assert.Equal("test.bed", ex.Path);
        Assert.Equal(line, ex.Line);
        Assert.Equal(column, ex.Column);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [SharedDataFact("genome/selene_gencode_v28_hg38_protein_coding_l12_genes.bed")]
    public void ReadFile_SeleneGenes_19883Bed5Records()
    {
        var genes = BedReader.ReadFile(SharedData.Require("genome/selene_gencode_v28_hg38_protein_coding_l12_genes.bed"), lenientScore: true);
        Assert.Equal(19883, genes.Count); // NOTE: data README says 19,914; the file has 19,883 lines (wc -l).
        Assert.All(genes, g => Assert.Equal(5, g.FieldCount));
        Assert.Contains(genes, g => g.ScoreText == "AXIN1" && g.Score is null);
        Assert.Throws<ParseException>(() => BedReader.ReadFile(SharedData.Require("genome/selene_gencode_v28_hg38_protein_coding_l12_genes.bed")));
    }
}
