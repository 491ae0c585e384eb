using SeqLens.IO.Gtf;
using SeqLens.IO.Intervals;
using SeqLens.Regions;
using SeqLens.Tests.IO;

namespace SeqLens.Tests.Regions;

public class RegionAggregatorTests
{
    private static readonly RegionStatistic[] Statistics =
    [
        RegionStatistic.Parse("sum"), RegionStatistic.Parse("mean"), RegionStatistic.Parse("max"),
        RegionStatistic.Parse("topk:1"), RegionStatistic.Parse("topk:7"), RegionStatistic.Parse("norm"),
    ];

    /// <summary>Random windows (strands, overlaps, a few NaN scores) and regions, independent of the library's layout.</summary>
    private static (GenomicInterval[] Intervals, float[][] Tracks, List<Region> Regions) RandomCase(int seed)
    {
        var rng = new Rng((ulong)seed);
        string[] contigs = ["c1", "c2"];
        var intervals = new GenomicInterval[40];
        var tracks = new float[40][];
        for (int i = 0; i < intervals.Length; i++)
        {
            string c = contigs[rng.NextInt(2)];
            long start = rng.NextInt(3000);
            int len = 1 + rng.NextInt(300);
            var strand = (Strand)rng.NextInt(3);
            intervals[i] = new GenomicInterval(c, start, start + len, strand);
            tracks[i] = new float[len];
            for (int j = 0; j < len; j++)
            {
                tracks[i][j] = rng.NextInt(50) == 0 ? float.NaN : (float)rng.NextGaussian();
            }
        }

        var regions = new List<Region>();
        for (int r = 0; r < 80; r++)
        {
            string c = r % 20 == 19 ? "c3" : contigs[rng.NextInt(2)];
            long start = rng.NextInt(3400) - 50;
            long end = start + rng.NextInt(600);
            regions.Add(new Region("r" + r, "g" + r, c, Math.Max(0, start), Math.Max(0, end), (Strand)rng.NextInt(3), "bed"));
        }

        return (intervals, tracks, regions);
    }

    /// <summary>Per-base values gathered by a plain loop over every sequence position.</summary>
    private static Dictionary<(string, long), List<double>> BruteBases(GenomicInterval[] intervals, float[][] tracks)
    {
        var bases = new Dictionary<(string, long), List<double>>();
        for (int i = 0; i < intervals.Length; i++)
        {
            GenomicInterval x = intervals[i];
            for (int j = 0; j < tracks[i].Length; j++)
            {
                long pos = x.Strand == Strand.Minus ? x.End - 1 - j : x.Start + j;
                if (float.IsNaN(tracks[i][j]))
                {
                    continue;
                }

                if (!bases.TryGetValue((x.Chrom, pos), out var list))
                {
                    bases[(x.Chrom, pos)] = list = [];
                }

                list.Add(tracks[i][j]);
            }
        }

        return bases;
    }

    private static (int Covered, double Stat) Brute(Dictionary<(string, long), List<double>> bases, Region region, RegionStatistic stat, OverlapCombine combine)
    {
        var values = new List<double>();
        for (long p = region.Start; p < region.End; p++)
        {
            if (region.Blocks is not null && !region.Blocks.Any(b => p >= b.Start && p < b.End))
            {
                continue;
            }

            if (bases.TryGetValue((region.Chrom, p), out var list))
            {
                values.Add(combine == OverlapCombine.Max ? list.Max() : list.Sum() / list.Count);
            }
        }

        if (values.Count == 0)
        {
            return (0, double.NaN);
        }

        double result = stat.Kind switch
        {
            RegionStatisticKind.Sum => values.Sum(),
            RegionStatisticKind.Mean => values.Average(),
            RegionStatisticKind.Max => values.Max(),
            RegionStatisticKind.TopKMean => values.OrderByDescending(v => v).Take(stat.K).Average(),
            _ => values.Sum() / Math.Sqrt(values.Count),
        };
        return (values.Count, result);
    }

    [Theory]
    [InlineData(1, OverlapCombine.Mean)]
    [InlineData(2, OverlapCombine.Max)]
    [InlineData(3, OverlapCombine.Mean)]
    public void Aggregate_RandomWindowsAndRegions_MatchesPerBaseLoop(int seed, OverlapCombine combine)
    {
        var (intervals, tracks, regions) = RandomCase(seed);
        var bases = BruteBases(intervals, tracks);
        GenomeTrack track = GenomeTrack.Build(intervals, tracks, combine);
        Assert.Equal(bases.Count, track.CoveredBases);
        int partial = 0, uncovered = 0;
        foreach (RegionStatistic stat in Statistics)
        {
            var (covered, values) = RegionAggregator.Aggregate(track, regions, stat);
            for (int r = 0; r < regions.Count; r++)
            {
                var (bc, bs) = Brute(bases, regions[r], stat, combine);
                Assert.Equal(bc, covered[r]);
                if (bc == 0)
                {
                    Assert.True(double.IsNaN(values[r]));
                    uncovered++;
                }
                else
                {
                    Assert.Equal(bs, values[r], 1e-9);
                    partial += bc < regions[r].Length ? 1 : 0;
                }
            }
        }

        // The case must exercise regions crossing sequence edges and regions with no coverage at all.
        Assert.True(partial > 20, $"only {partial} partially covered regions");
        Assert.True(uncovered >= 4, $"only {uncovered} uncovered regions");
    }

    [Fact]
    public void Build_MinusStrand_ReversesPositions()
    {
        var x = new GenomicInterval("c", 10, 14, Strand.Minus);
        GenomeTrack t = GenomeTrack.Build([x], [[1f, 2f, 3f, 4f]]);
        Assert.True(t.TryGet("c", 10, out double v10));
        Assert.True(t.TryGet("c", 13, out double v13));
        Assert.Equal(4, v10);
        Assert.Equal(1, v13);
        Assert.False(t.TryGet("c", 14, out _));
        Assert.False(t.TryGet("c", 9, out _));
    }

    [Fact]
    public void Build_OverlappingWindows_MeanOrMaxAndBedGraphRuns()
    {
        GenomicInterval[] xs = [new("c", 0, 4), new("c", 2, 6), new("c", 10, 12)];
        float[][] tracks = [[1, 1, 1, 1], [3, 3, 3, 3], [5, 5]];
        GenomeTrack mean = GenomeTrack.Build(xs, tracks);
        Assert.Equal(
            [new("c", 0, 2, 1f), new("c", 2, 4, 2f), new("c", 4, 6, 3f), new("c", 10, 12, 5f)],
            mean.ToBedGraph().ToArray());
        GenomeTrack max = GenomeTrack.Build(xs, tracks, OverlapCombine.Max);
        Assert.True(max.TryGet("c", 3, out double m));
        Assert.Equal(3, m);
        Assert.Equal(8, max.CoveredBases);
        Assert.Equal([(0L, 6L), (10L, 12L)], max.Blocks("c"));
    }

    [Fact]
    public void Aggregate_AnnotatedOverlappingGenesOnBothStrands_MatchesPerBaseLoop()
    {
        // Two genes overlap on opposite strands; windows on both strands cross exon and gene edges.
        const string gtf =
            "c1\tt\texon\t101\t300\t.\t+\t.\tgene_id \"A\"; transcript_id \"A1\"; gene_name \"ALPHA\";\n" +
            "c1\tt\texon\t501\t800\t.\t+\t.\tgene_id \"A\"; transcript_id \"A1\"; gene_name \"ALPHA\";\n" +
            "c1\tt\tCDS\t201\t300\t.\t+\t0\tgene_id \"A\"; transcript_id \"A1\"; gene_name \"ALPHA\";\n" +
            "c1\tt\tCDS\t501\t650\t.\t+\t2\tgene_id \"A\"; transcript_id \"A1\"; gene_name \"ALPHA\";\n" +
            "c1\tt\texon\t701\t900\t.\t-\t.\tgene_id \"B\"; transcript_id \"B1\"; gene_name \"BETA\";\n" +
            "c1\tt\texon\t1201\t1500\t.\t-\t.\tgene_id \"B\"; transcript_id \"B1\"; gene_name \"BETA\";\n" +
            "c1\tt\texon\t1201\t1400\t.\t-\t.\tgene_id \"B\"; transcript_id \"B2\"; gene_name \"BETA\";\n";
        using var tmp = IoFixtures.Temp();
        GeneAnnotation annotation = GeneAnnotation.ReadFile(tmp.Write("a.gtf", gtf));
        var rng = new Rng(9);
        var intervals = new GenomicInterval[25];
        var tracks = new float[25][];
        for (int i = 0; i < intervals.Length; i++)
        {
            long s = rng.NextInt(1500);
            int len = 50 + rng.NextInt(250);
            intervals[i] = new GenomicInterval("c1", s, s + len, i % 2 == 0 ? Strand.Plus : Strand.Minus);
            tracks[i] = Enumerable.Range(0, len).Select(_ => (float)rng.NextGaussian()).ToArray();
        }

        var bases = BruteBases(intervals, tracks);
        GenomeTrack track = GenomeTrack.Build(intervals, tracks);
        var extents = new Dictionary<string, (long, long)> { ["c1"] = track.Extent("c1") };
        foreach (RegionFeature feature in Enum.GetValues<RegionFeature>())
        {
            List<Region> regions = RegionCatalog.FromAnnotation(annotation, feature, extents, 150, 50, 200);
            Assert.NotEmpty(regions);
            var (covered, values) = RegionAggregator.Aggregate(track, regions, RegionStatistic.Parse("mean"));
            for (int r = 0; r < regions.Count; r++)
            {
                var (bc, bs) = Brute(bases, regions[r], RegionStatistic.Parse("mean"), OverlapCombine.Mean);
                Assert.Equal(bc, covered[r]);
                Assert.Equal(bs, values[r], 1e-9);
            }
        }
    }
}
