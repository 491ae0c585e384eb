using SeqLens.IO.Intervals;
using SeqLens.Regions;

namespace SeqLens.Tests.Regions;

public class RegionScorerTests
{
    /// <summary>300 disjoint windows of 400 bp, one region of 20-60 bp per window (some crossing the window edge), iid scores.</summary>
    private static (GenomicInterval[] Intervals, float[][] Tracks, List<Region> Regions) NullCase(long seed, int n = 300, int len = 400)
    {
        var rng = Rng.For(seed, 0);
        var intervals = new GenomicInterval[n];
        var tracks = new float[n][];
        var regions = new List<Region>();
        for (int i = 0; i < n; i++)
        {
            long s = i * 2000L;
            intervals[i] = new GenomicInterval("c1", s, s + len, i % 3 == 0 ? Strand.Minus : Strand.Plus);
            tracks[i] = Enumerable.Range(0, len).Select(_ => (float)rng.NextGaussian()).ToArray();
            long rs = s - 15 + rng.NextInt(len);
            regions.Add(new Region("r" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), string.Empty, "c1", rs, rs + 20 + rng.NextInt(40), Strand.None, "bed"));
        }

        return (intervals, tracks, regions);
    }

    [Fact]
    public void Score_CircularShiftUnderNull_PValuesRoughlyUniform()
    {
        var (intervals, tracks, regions) = NullCase(5);
        List<RegionScore> scores = RegionScorer.Score(regions, intervals, tracks, RegionStatistic.Parse("sum"), nullModel: new CircularShiftNull(199, 11));
        double[] p = scores.Select(s => s.P).Order().ToArray();
        Assert.Equal(300, p.Length);
        Assert.All(p, v => Assert.InRange(v, 1.0 / 200, 1.0));

        // Kolmogorov–Smirnov distance to U(0, 1); the 1 % critical value for n = 300 is 1.63/√300 ≈ 0.094.
        double d = 0;
        for (int i = 0; i < p.Length; i++)
        {
            d = Math.Max(d, Math.Max(Math.Abs(p[i] - ((i + 1.0) / p.Length)), Math.Abs(p[i] - ((double)i / p.Length))));
        }

        Assert.True(d < 0.094, $"KS distance {d}");
        int small = p.Count(v => v <= 0.05);
        Assert.InRange(small, 5, 30); // expected 15
        Assert.All(scores, s => Assert.True(s.Q >= s.P));
    }

    [Fact]
    public void Score_PlantedSignal_RankedFirstWithSmallQ()
    {
        // One window per region: a shifted copy of the planted bump lands back on the region for shifts within a few bases
        // of 0, so p cannot go much below (bump autocorrelation width) / L; long windows keep that floor low.
        var (intervals, tracks, regions) = NullCase(6, 100, 1000);
        int[] planted = [3, 17, 33, 50, 61, 77, 90, 99];
        foreach (int r in planted)
        {
            // Add 1.5 to every base of region r inside window r (strand-aware placement).
            GenomicInterval x = intervals[r];
            for (long pos = Math.Max(regions[r].Start, x.Start); pos < Math.Min(regions[r].End, x.End); pos++)
            {
                long j = x.Strand == Strand.Minus ? x.End - 1 - pos : pos - x.Start;
                tracks[r][j] += 1.5f;
            }
        }

        List<RegionScore> scores = RegionScorer.Score(regions, intervals, tracks, RegionStatistic.Parse("mean"), nullModel: new CircularShiftNull(999, 3));
        string[] plantedIds = planted.Select(r => "r" + r.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var discoveries = scores.Where(s => s.Q <= 0.05).Select(s => s.Region.Id).ToHashSet();
        Assert.All(plantedIds, id => Assert.True(discoveries.Contains(id), $"{id}: " + scores.First(s => s.Region.Id == id)));
        Assert.True(discoveries.Count <= planted.Length + 2, $"{discoveries.Count} discoveries at q <= 0.05 (BH rejects q <= alpha) for {planted.Length} planted regions");
        Assert.All(plantedIds, id => Assert.True(scores.First(s => s.Region.Id == id).Rank <= planted.Length + 2));
        Assert.Equal(Enumerable.Range(1, 100), scores.Select(s => s.Rank));
    }

    [Fact]
    public void Score_IsDeterministicAndUncoveredLast()
    {
        var (intervals, tracks, regions) = NullCase(7);
        regions.Add(new Region("nowhere", "X", "c2", 0, 100, Strand.Plus, "bed"));
        var a = RegionScorer.Score(regions, intervals, tracks, RegionStatistic.Parse("topk:5"), nullModel: new CircularShiftNull(20, 1));
        var b = RegionScorer.Score(regions, intervals, tracks, RegionStatistic.Parse("topk:5"), nullModel: new CircularShiftNull(20, 1));
        Assert.Equal(a, b);
        Assert.Equal(("nowhere", 0, 0), (a[^1].Region.Id, a[^1].CoveredBases, a[^1].Rank));
        Assert.True(double.IsNaN(a[^1].P) && double.IsNaN(a[^1].Statistic));
    }

    [Fact]
    public void Score_PermutedModelNull_CountsExceedances()
    {
        GenomicInterval[] xs = [new("c", 0, 4)];
        float[][] observed = [[1, 1, 1, 1]];
        var regions = new List<Region> { new("r", string.Empty, "c", 0, 4, Strand.None, "bed") };
        var nullSets = new List<IReadOnlyList<float[]>> { new[] { new float[] { 2, 2, 2, 2 } }, new[] { new float[] { 0, 0, 0, 0 } }, new[] { new float[] { 1, 1, 1, 1 } } };
        RegionScore s = RegionScorer.Score(regions, xs, observed, RegionStatistic.Parse("sum"), nullModel: new PermutedModelNull(nullSets))[0];
        Assert.Equal(4, s.Statistic);
        Assert.Equal((1.0 + 2) / (1 + 3), s.P, 12); // 8 >= 4 and 4 >= 4
    }

    [Fact]
    public void CircularShift_RotatesAndKeepsValues()
    {
        float[] src = [0, 1, 2, 3, 4];
        var dst = new float[5];
        CircularShiftNull.Shift(src, 2, dst);
        Assert.Equal([2f, 3, 4, 0, 1], dst);
        var nul = new CircularShiftNull(50, 4);
        var samples = nul.Samples([src]).Select(s => s[0].ToArray()).ToList();
        Assert.Equal(50, samples.Count);
        Assert.All(samples, s => Assert.Equal(src, s.Order()));
        Assert.True(samples.Select(s => s[0]).Distinct().Count() == 5);
    }

    /// <summary>1000 windows of 300 bp of two classes over 10 kb (30-fold coverage); classes alternate, scores iid N(0, 1).</summary>
    private static (GenomicInterval[] Intervals, float[][] Tracks, bool[] Classes, List<Region> Regions) ContrastCase(long seed)
    {
        var rng = Rng.For(seed, 1);
        var intervals = new GenomicInterval[1000];
        var tracks = new float[1000][];
        var classes = new bool[1000];
        for (int i = 0; i < intervals.Length; i++)
        {
            long s = rng.NextInt(10000);
            intervals[i] = new GenomicInterval("c1", s, s + 300, i % 5 == 0 ? Strand.Minus : Strand.Plus);
            tracks[i] = Enumerable.Range(0, 300).Select(_ => (float)rng.NextGaussian()).ToArray();
            classes[i] = i % 2 == 1;
        }

        var regions = Enumerable.Range(0, 50).Select(r => new Region("r" + r.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), string.Empty, "c1", r * 200L, (r * 200L) + 60, Strand.None, "bed")).ToList();
        return (intervals, tracks, classes, regions);
    }

    [Fact]
    public void BuildContrast_EqualsPerBaseClassMeansDifference_CoveredOnlyByBothClasses()
    {
        var (intervals, tracks, classes, _) = ContrastCase(3);
        GenomeTrack t = GenomeTrack.BuildContrast(intervals, tracks, classes);
        var sums = new Dictionary<long, (double A, int NA, double B, int NB)>();
        for (int i = 0; i < intervals.Length; i++)
        {
            for (int j = 0; j < 300; j++)
            {
                long pos = intervals[i].Strand == Strand.Minus ? intervals[i].End - 1 - j : intervals[i].Start + j;
                var v = sums.GetValueOrDefault(pos);
                sums[pos] = classes[i] ? (v.A + tracks[i][j], v.NA + 1, v.B, v.NB) : (v.A, v.NA, v.B + tracks[i][j], v.NB + 1);
            }
        }

        int both = 0;
        foreach (var (pos, v) in sums)
        {
            bool covered = t.TryGet("c1", pos, out double value);
            Assert.Equal(v.NA > 0 && v.NB > 0, covered);
            if (covered)
            {
                Assert.Equal((v.A / v.NA) - (v.B / v.NB), value, 1e-9);
                both++;
            }
        }

        Assert.Equal(both, t.CoveredBases);
        Assert.True(both > 5000 && both < sums.Count, $"{both} of {sums.Count}");
    }

    [Fact]
    public void ScoreContrast_NullCalibrated_PlantedClassSignalFound_DeterministicBySeed()
    {
        var (intervals, tracks, classes, regions) = ContrastCase(4);
        var stat = RegionStatistic.Parse("mean");
        List<RegionScore> nullScores = RegionScorer.ScoreContrast(regions, intervals, tracks, classes, stat, permutations: 199, seed: 2);
        double[] p = nullScores.Where(s => s.CoveredBases > 0).Select(s => s.P).ToArray();
        Assert.Equal(50, p.Length);
        Assert.InRange(p.Count(v => v <= 0.05), 0, 8); // expected 2.5 of 50
        Assert.InRange(p.Average(), 0.4, 0.6);

        // Add 0.5 to class-A scores inside regions 10 and 40: those two rank first, q < 0.05.
        var planted = tracks.Select(t => (float[])t.Clone()).ToArray();
        for (int i = 0; i < intervals.Length; i++)
        {
            for (int j = 0; classes[i] && j < 300; j++)
            {
                long pos = intervals[i].Strand == Strand.Minus ? intervals[i].End - 1 - j : intervals[i].Start + j;
                if ((pos >= 2000 && pos < 2060) || (pos >= 8000 && pos < 8060))
                {
                    planted[i][j] += 0.5f;
                }
            }
        }

        List<RegionScore> found = RegionScorer.ScoreContrast(regions, intervals, planted, classes, stat, permutations: 999, seed: 2);
        Assert.Equal(["r010", "r040"], found.Take(2).Select(s => s.Region.Id).Order(StringComparer.Ordinal));
        Assert.All(found.Take(2), s => Assert.True(s.Q < 0.05, $"{s.Region.Id} q {s.Q}"));
        List<RegionScore> again = RegionScorer.ScoreContrast(regions, intervals, planted, classes, stat, permutations: 999, seed: 2);
        Assert.Equal(found.Select(s => s.P), again.Select(s => s.P));
        Assert.Throws<ArgumentException>(() => RegionScorer.ScoreContrast(regions, intervals, tracks, new bool[1000], stat));
    }

    [Fact]
    public void ScoreContrastAgainstModels_SignalAlsoInNullModels_IsNotSignificant_OwnSignalIs()
    {
        // The model under test and 19 "permuted-label models" all put +0.5 on class A in region 10 (a sequence effect every
        // model shows); only the model under test also does so in region 40 (what it learned).
        var (intervals, tracks, classes, regions) = ContrastCase(7);
        float[][] Plant(int seed, bool region40)
        {
            var rng = Rng.For(seed, 9);
            var t = tracks.Select(v => v.Select(x => x + (float)(0.2 * rng.NextGaussian())).ToArray()).ToArray();
            for (int i = 0; i < intervals.Length; i++)
            {
                for (int j = 0; classes[i] && j < 300; j++)
                {
                    long pos = intervals[i].Strand == Strand.Minus ? intervals[i].End - 1 - j : intervals[i].Start + j;
                    if ((pos >= 2000 && pos < 2060) || (region40 && pos >= 8000 && pos < 8060))
                    {
                        t[i][j] += 0.5f;
                    }
                }
            }

            return t;
        }

        var models = new PermutedModelNull([.. Enumerable.Range(1, 19).Select(k => (IReadOnlyList<float[]>)Plant(k, region40: false))]);
        List<RegionScore> result = RegionScorer.ScoreContrastAgainstModels(regions, intervals, Plant(100, region40: true), classes, RegionStatistic.Parse("mean"), models);
        RegionScore r10 = result.Single(r => r.Region.Id == "r010"), r40 = result.Single(r => r.Region.Id == "r040");
        Assert.Equal("r040", result[0].Region.Id);
        Assert.Equal(1.0 / 20, r40.P, 1e-12);
        Assert.True(r10.P > 0.1, $"r010 p {r10.P}");

        // Against class permutations instead, region 10 is significant too.
        List<RegionScore> labels = RegionScorer.ScoreContrast(regions, intervals, Plant(100, region40: true), classes, RegionStatistic.Parse("mean"), permutations: 199, seed: 3);
        Assert.True(labels.Single(r => r.Region.Id == "r010").P <= 0.01);
    }
}
