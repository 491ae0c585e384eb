using SeqLens.IO.Intervals;

namespace SeqLens.Tests.IO.Intervals;

public class IntervalIndexTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 1000)]
    public void Query_RandomIntervals_EqualsBruteForce(int seed, int n)
    {
        var rng = new Rng((ulong)seed);
        string[] chroms = ["chr1", "chr2", "chrX"];
        var items = new List<(string C, long S, long E, int Id)>();
        for (int i = 0; i < n; i++)
        {
            long s = rng.NextInt(10_000);
            // Mostly short, some very long intervals (genes over many exons), some empty.
            long len = rng.NextInt(10) == 0 ? rng.NextInt(5_000) : rng.NextInt(60);
            items.Add((chroms[rng.NextInt(3)], s, s + len, i));
        }

        var index = new IntervalIndex<(string C, long S, long E, int Id)>(items, x => (x.C, x.S, x.E));
        Assert.Equal(n, index.Count);
        for (int q = 0; q < 500; q++)
        {
            string c = chroms[rng.NextInt(3)];
            long qs = rng.NextInt(11_000) - 200;
            long qe = qs + rng.NextInt(q % 5 == 0 ? 3_000 : 40);
            var expected = items.Where(x => x.C == c && x.S < qe && qs < x.E).Select(x => x.Id).Order().ToList();
            var got = index.Query(c, qs, qe).Select(x => x.Id).Order().ToList();
            Assert.Equal(expected, got);
            Assert.Equal(expected.Count > 0, index.Overlaps(c, qs, qe));
        }
    }

    [Fact]
    public void Query_HalfOpenBoundaries()
    {
        var index = new IntervalIndex<GenomicInterval>([new GenomicInterval("c", 10, 20)], x => (x.Chrom, x.Start, x.End));
        Assert.Empty(index.Query("c", 20, 30));
        Assert.Empty(index.Query("c", 0, 10));
        Assert.Single(index.Query("c", 19, 20));
        Assert.Single(index.Query("c", 0, 11));
        Assert.Empty(index.Query("other", 0, 100));
    }

    [Fact]
    public void Constructor_EndBeforeStart_Throws()
        => Assert.Throws<ArgumentException>(() => new IntervalIndex<int>([1], _ => ("c", 5, 4)));
}
