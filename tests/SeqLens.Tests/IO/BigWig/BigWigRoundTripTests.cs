using SeqLens.IO;
using SeqLens.IO.BedGraph;
using SeqLens.IO.BigWig;
using SeqLens.Tests.IO.Interop;

namespace SeqLens.Tests.IO.BigWig;

public class BigWigRoundTripTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriteRead_IntervalsValuesSummaryAndZoomMatchInput(bool smallBlocks)
    {
        using var tmp = IoFixtures.Temp();
        string p = tmp.File("x.bw");
        var records = InteropSamples.BigWigRecords();
        BigWigWriter.Write(p, InteropSamples.Chroms, records, smallBlocks ? InteropSamples.SmallBlocks : null);
        using var bw = BigWigReader.Open(p);
        Assert.Equal(InteropSamples.Chroms.Select(c => c.Key).Order(StringComparer.Ordinal), bw.Chromosomes.Select(c => c.Name));
        foreach (var (chrom, size) in InteropSamples.Chroms)
        {
            Assert.Equal(records.Where(r => r.Chrom == chrom), bw.Intervals(chrom, 0, size));
        }

        // A window query returns exactly the overlapping intervals.
        Assert.Equal(records.Where(r => r.Chrom == "chr1" && r.Start < 5003 && r.End > 4990), bw.Intervals("chr1", 4990, 5003));
        BigWigSummary expected = BigWigWriter.Summarize(records);
        Assert.Equal(expected, bw.Summary);

        // Zoom level 0: reduction 10 x ceil(mean length) and each record equals a brute-force summary of its bin.
        Assert.Equal(70, bw.ZoomReductions[0]);
        var chr1 = records.Where(r => r.Chrom == "chr1").ToList();
        foreach (BigWigZoomRecord z in bw.ZoomRecords(0, "chr1", 0, 15_000))
        {
            var inBin = chr1.Where(r => r.Start < z.End && r.End > z.Start).ToList();
            long n = inBin.Sum(r => Math.Min(r.End, z.End) - Math.Max(r.Start, z.Start));
            double sum = inBin.Sum(r => r.Value * (double)(Math.Min(r.End, z.End) - Math.Max(r.Start, z.Start)));
            Assert.Equal(n, z.Summary.ValidCount);
            Assert.Equal(sum, z.Summary.Sum, 3);
            Assert.Equal(inBin.Min(r => r.Value), z.Summary.Min, 6);
            Assert.Equal(inBin.Max(r => r.Value), z.Summary.Max, 6);
        }
    }

    [Fact]
    public void Write_UnsortedOrOverlapping_Throws()
    {
        using var tmp = IoFixtures.Temp();
        var chroms = new[] { new KeyValuePair<string, long>("c", 100) };
        Assert.Throws<ArgumentException>(() => BigWigWriter.Write(tmp.File("a.bw"), chroms, [new BedGraphRecord("c", 10, 20, 1), new BedGraphRecord("c", 15, 30, 1)]));
        Assert.Throws<ArgumentException>(() => BigWigWriter.Write(tmp.File("b.bw"), chroms, [new BedGraphRecord("c", 90, 120, 1)]));
        Assert.Throws<ArgumentException>(() => BigWigWriter.Write(tmp.File("c.bw"), chroms, [new BedGraphRecord("d", 0, 1, 1)]));
        Assert.False(File.Exists(tmp.File("a.bw")));
    }

    [Fact]
    public void Open_NotBigWigOrTruncated_ThrowsParseException()
    {
        using var tmp = IoFixtures.Temp();
        var ex = Assert.Throws<ParseException>(() => BigWigReader.Open(tmp.Write("x.bw", new byte[100])));
        Assert.Contains("not a bigWig", ex.Message, StringComparison.Ordinal);
        byte[] good = File.ReadAllBytes(IoFixtures.Path("Interop", "ours_default.bw"));
        string cut = tmp.Write("cut.bw", good[..2000]);
        Assert.Throws<ParseException>(() =>
        {
            using var bw = BigWigReader.Open(cut);
            bw.Intervals("chr1", 0, 15000);
        });
    }

    [Fact]
    public void BedGraphWriter_InvariantShortestFloats()
    {
        using var sw = new StringWriter();
        BedGraphWriter.Write(sw, [new BedGraphRecord("chr1", 0, 10, 0.1f), new BedGraphRecord("chr1", 10, 12, -3f)], "a b");
        Assert.Equal("track type=bedGraph name=\"a b\"\nchr1\t0\t10\t0.1\nchr1\t10\t12\t-3\n", sw.ToString());
    }
}
