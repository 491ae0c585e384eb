using SeqLens.IO.Intervals;

namespace SeqLens.Regions;

/// <summary>
/// Scores regions from per-nucleotide score tracks of sequences with genomic coordinates: places and combines the
/// tracks (<see cref="GenomeTrack"/>), aggregates each region (<see cref="RegionAggregator"/>), and optionally tests
/// each statistic against a null (<see cref="IRegionNull"/>) with +1-corrected p-values and Benjamini–Hochberg
/// q-values.
/// </summary>
/// <remarks>
/// p = (1 + #{null statistic ≥ observed}) / (1 + n), one-sided (large statistics are interesting); a NaN null
/// statistic counts as not ≥. Ranking: by p ascending when a null is given, then statistic descending, then id
/// (ordinal); uncovered regions come last with rank 0.
/// </remarks>
public static class RegionScorer
{
    /// <summary>Scores <paramref name="regions"/>; results in rank order (uncovered last).</summary>
    public static List<RegionScore> Score(IReadOnlyList<Region> regions, IReadOnlyList<GenomicInterval> intervals, IReadOnlyList<float[]> tracks,
        RegionStatistic statistic, OverlapCombine combine = OverlapCombine.Mean, IRegionNull? nullModel = null, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(regions);
        GenomeTrack track = GenomeTrack.Build(intervals, tracks, combine);
        var (covered, observed) = RegionAggregator.Aggregate(track, regions, statistic);
        var p = new double[regions.Count];
        Array.Fill(p, double.NaN);
        if (nullModel is not null)
        {
            var exceed = new int[regions.Count];
            int n = 0;
            foreach (IReadOnlyList<float[]> sample in nullModel.Samples(tracks))
            {
                track.Fill(sample);
                var (_, nullStats) = RegionAggregator.Aggregate(track, regions, statistic);
                for (int r = 0; r < regions.Count; r++)
                {
                    if (nullStats[r] >= observed[r])
                    {
                        exceed[r]++;
                    }
                }

                n++;
                progress?.Report(n);
            }

            for (int r = 0; r < regions.Count; r++)
            {
                if (covered[r] > 0)
                {
                    p[r] = (1.0 + exceed[r]) / (1.0 + n);
                }
            }
        }

        double[] q = MultipleTesting.BenjaminiHochberg(p);
        bool withNull = nullModel is not null;
        int[] order = Enumerable.Range(0, regions.Count)
            .OrderBy(r => covered[r] > 0 ? 0 : 1)
            .ThenBy(r => withNull && covered[r] > 0 ? p[r] : 0.0)
            .ThenByDescending(r => covered[r] > 0 ? observed[r] : 0.0)
            .ThenBy(r => regions[r].Id, StringComparer.Ordinal)
            .ToArray();
        var result = new List<RegionScore>(regions.Count);
        int rank = 0;
        foreach (int r in order)
        {
            result.Add(new RegionScore(regions[r], covered[r], observed[r], p[r], q[r], covered[r] > 0 ? ++rank : 0));
        }

        return result;
    }

    /// <summary>
    /// Checks that the sequences' contigs are annotated: when none of them is, an <see cref="ArgumentException"/> says
    /// the annotation looks like another assembly or naming and lists both sets; otherwise the first sequence on an
    /// unannotated contig is named.
    /// </summary>
    public static void CheckContigs(IReadOnlyList<GenomicInterval> intervals, IReadOnlyList<string> names, IEnumerable<string> annotationContigs, string annotationSource)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        ArgumentNullException.ThrowIfNull(names);
        var annotated = new SortedSet<string>(annotationContigs, StringComparer.Ordinal);
        var seqContigs = new SortedSet<string>(intervals.Select(x => x.Chrom), StringComparer.Ordinal);
        if (!seqContigs.Overlaps(annotated))
        {
            throw new ArgumentException(
                $"the contig names of {annotationSource} never match the sequences' (another assembly or naming convention, e.g. 'chr1' vs '1'?): " +
                $"sequences on {Listed(seqContigs)}; annotation on {Listed(annotated)}");
        }

        for (int i = 0; i < intervals.Count; i++)
        {
            if (!annotated.Contains(intervals[i].Chrom))
            {
                throw new ArgumentException(
                    $"sequence '{names[i]}' (record {i + 1}) lies on contig '{intervals[i].Chrom}', which {annotationSource} does not have; annotation contigs: {Listed(annotated)}");
            }
        }
    }

    private static string Listed(IEnumerable<string> xs)
    {
        var list = xs.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list.Take(20)) + (list.Count > 20 ? $", ... ({list.Count} in all)" : string.Empty);
    }
}
