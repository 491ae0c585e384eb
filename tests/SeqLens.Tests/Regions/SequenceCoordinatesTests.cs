using SeqLens.IO;
using SeqLens.IO.Intervals;
using SeqLens.Regions;
using SeqLens.Tests.IO;

namespace SeqLens.Tests.Regions;

public class SequenceCoordinatesTests
{
    [Theory]
    [InlineData("chr1:11-20", 10, "chr1", 10L, 20L, Strand.None)] // samtools, 1-based closed
    [InlineData("chr1:10-20", 10, "chr1", 10L, 20L, Strand.None)] // bedtools, 0-based half-open (auto from length)
    [InlineData("chr2:1,001-2,000(+)", 1000, "chr2", 1000L, 2000L, Strand.Plus)]
    [InlineData("chrX:5-9(-)", 5, "chrX", 4L, 9L, Strand.Minus)]
    [InlineData("peak7::chr3:100-150(-)", 50, "chr3", 100L, 150L, Strand.Minus)]
    [InlineData("peak7::chr3:100-150", 51, "chr3", 99L, 150L, Strand.None)]
    [InlineData("chr16:186964-187963 tumour", 1000, "chr16", 186963L, 187963L, Strand.None)]
    public void FromHeader_AllForms(string header, int length, string chrom, long start, long end, Strand strand)
    {
        GenomicInterval x = SequenceCoordinates.FromHeader(header, length);
        Assert.Equal((chrom, start, end, strand), (x.Chrom, x.Start, x.End, x.Strand));
    }

    [Fact]
    public void FromHeader_ExplicitConvention_Overrides()
    {
        Assert.Equal(9, SequenceCoordinates.FromHeader("c:10-20", 11, CoordinateConvention.OneBasedClosed).Start);
        Assert.Equal(10, SequenceCoordinates.FromHeader("c:10-20", 10, CoordinateConvention.ZeroBasedHalfOpen).Start);
        var ex = Assert.Throws<ParseException>(() => SequenceCoordinates.FromHeader("c:10-20", 10, CoordinateConvention.OneBasedClosed, "s.npz", 3));
        Assert.Contains("'c:10-20'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("OneBasedClosed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("seq1")]
    [InlineData("chr1:20")]
    [InlineData("chr1:a-b")]
    [InlineData("chr1:10-20(x)")]
    public void FromHeader_NoCoordinates_NamesRecord(string header)
    {
        var ex = Assert.Throws<ParseException>(() => SequenceCoordinates.FromHeaders([header], [10], source: "s.npz"));
        Assert.Contains($"'{header}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no genomic coordinates", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void FromHeader_LengthMismatch_NamesRecord()
    {
        var ex = Assert.Throws<ParseException>(() => SequenceCoordinates.FromHeaders(["c:1-10", "c:1-100"], [10, 10], source: "s.npz"));
        Assert.Contains("'c:1-100' has 10 bases", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void FromBed_ByName_ChecksNamesAndLengths()
    {
        using var tmp = IoFixtures.Temp();
        string bed = tmp.Write("s.bed", "chr1\t100\t110\ts1\t0\t-\nchr2\t0\t5\ts2\t0\t+\n");
        GenomicInterval[] xs = SequenceCoordinates.FromBed(bed, ["s2", "s1"], [5, 10]);
        Assert.Equal(("chr2", 0L, 5L, Strand.Plus), (xs[0].Chrom, xs[0].Start, xs[0].End, xs[0].Strand));
        Assert.Equal(("chr1", 100L, 110L, Strand.Minus), (xs[1].Chrom, xs[1].Start, xs[1].End, xs[1].Strand));
        Assert.Contains("'s3'", Assert.Throws<ParseException>(() => SequenceCoordinates.FromBed(bed, ["s3"], [5])).Message, StringComparison.Ordinal);
        Assert.Contains("'s1' has 9 bases", Assert.Throws<ParseException>(() => SequenceCoordinates.FromBed(bed, ["s1"], [9])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckContigs_AnotherAssembly_ListsBothSets()
    {
        GenomicInterval[] xs = [new("chr1", 0, 10), new("chr2", 0, 10)];
        var ex = Assert.Throws<ArgumentException>(() => RegionScorer.CheckContigs(xs, ["a", "b"], ["1", "2", "X"], "genes.gtf"));
        Assert.Contains("never match", ex.Message, StringComparison.Ordinal);
        Assert.Contains("chr1, chr2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1, 2, X", ex.Message, StringComparison.Ordinal);

        var one = Assert.Throws<ArgumentException>(() => RegionScorer.CheckContigs(xs, ["a", "b"], ["chr1"], "genes.gtf"));
        Assert.Contains("sequence 'b' (record 2) lies on contig 'chr2'", one.Message, StringComparison.Ordinal);
        RegionScorer.CheckContigs(xs, ["a", "b"], ["chr1", "chr2"], "genes.gtf");
    }
}
