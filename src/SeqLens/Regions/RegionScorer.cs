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

        return Ranked(regions, covered, observed, p, nullModel is not null);
    }

    /// <summary>
    /// Scores the class contrast of <paramref name="regions"/> (<see cref="GenomeTrack.BuildContrast"/>: per base, the
    /// combined scores of the sequences of one class minus those of the other) and tests it by permuting the classes
    /// of the sequences: a null that keeps every track, its position and the genome's sequence content, and asks
    /// whether one class (tumour) puts more score on the region than the other (normal) at the same bases.
    /// </summary>
    /// <param name="regions">Regions to score.</param>
    /// <param name="intervals">Each sequence's interval.</param>
    /// <param name="tracks">Each sequence's per-nucleotide scores.</param>
    /// <param name="group">Each sequence's class (true: the class of interest).</param>
    /// <param name="statistic">Region statistic of the per-base contrast.</param>
    /// <param name="combine">How overlapping sequences of one class combine per base.</param>
    /// <param name="permutations">Label permutations (0: statistic only, no p-values).</param>
    /// <param name="seed">Seed of the permutations: permutation k shuffles the classes with <c>Rng.For(seed, k)</c>.</param>
    /// <param name="progress">Reports finished permutations.</param>
    /// <remarks>
    /// Circular shifts are not enough when many overlapping windows of one genome are scored: any model's scores follow
    /// the genome's sequence, so unshifted tracks line up across windows and every feature-rich region looks
    /// significant; a model trained on shuffled labels shows the same. The label permutation cancels what both classes
    /// share. p = (1 + #{null ≥ observed}) / (1 + n), one-sided.
    /// </remarks>
    public static List<RegionScore> ScoreContrast(IReadOnlyList<Region> regions, IReadOnlyList<GenomicInterval> intervals, IReadOnlyList<float[]> tracks,
        IReadOnlyList<bool> group, RegionStatistic statistic, OverlapCombine combine = OverlapCombine.Mean, int permutations = 1000, long seed = 1, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentOutOfRangeException.ThrowIfNegative(permutations);
        int inGroup = group.Count(g => g);
        if (inGroup == 0 || inGroup == group.Count)
        {
            throw new ArgumentException($"a class contrast needs sequences of both classes; got {inGroup} of {group.Count} in the first class");
        }

        GenomeTrack track = GenomeTrack.BuildContrast(intervals, tracks, group, combine);
        var (covered, observed) = RegionAggregator.Aggregate(track, regions, statistic);
        var p = new double[regions.Count];
        Array.Fill(p, double.NaN);
        if (permutations > 0)
        {
            var exceed = new int[regions.Count];
            var shuffled = new bool[group.Count];
            for (int k = 0; k < permutations; k++)
            {
                for (int i = 0; i < shuffled.Length; i++)
                {
                    shuffled[i] = group[i];
                }

                Rng rng = Rng.For(seed, k);
                for (int i = shuffled.Length - 1; i > 0; i--)
                {
                    int j = rng.NextInt(i + 1);
                    (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
                }

                track.Fill(tracks, shuffled);
                var (_, nullStats) = RegionAggregator.Aggregate(track, regions, statistic);
                for (int r = 0; r < regions.Count; r++)
                {
                    if (nullStats[r] >= observed[r])
                    {
                        exceed[r]++;
                    }
                }

                progress?.Report(k + 1);
            }

            for (int r = 0; r < regions.Count; r++)
            {
                if (covered[r] > 0)
                {
                    p[r] = (1.0 + exceed[r]) / (1.0 + permutations);
                }
            }
        }

        return Ranked(regions, covered, observed, p, permutations > 0);
    }

    /// <summary>
    /// Scores the class contrast as <see cref="ScoreContrast"/> does, but tests it against the contrasts of models trained
    /// on permuted labels (<paramref name="modelNull"/>: their tracks for the same sequences, contrasted with the same
    /// classes). This separates what the model learned from what any model's scores show where the classes differ in
    /// sequence (a model trained on shuffled labels still responds to the planted mutations).
    /// </summary>
    /// <param name="regions">Regions to score.</param>
    /// <param name="intervals">Each sequence's interval.</param>
    /// <param name="tracks">Each sequence's per-nucleotide scores from the model under test.</param>
    /// <param name="group">Each sequence's class (true: the class of interest).</param>
    /// <param name="statistic">Region statistic of the per-base contrast.</param>
    /// <param name="modelNull">Track sets of the permuted-label models (p ≥ 1 / (1 + count)).</param>
    /// <param name="combine">How overlapping sequences of one class combine per base.</param>
    public static List<RegionScore> ScoreContrastAgainstModels(IReadOnlyList<Region> regions, IReadOnlyList<GenomicInterval> intervals, IReadOnlyList<float[]> tracks,
        IReadOnlyList<bool> group, RegionStatistic statistic, IRegionNull modelNull, OverlapCombine combine = OverlapCombine.Mean)
    {
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(modelNull);
        ArgumentNullException.ThrowIfNull(group);
        if (group.All(g => g) || !group.Any(g => g))
        {
            throw new ArgumentException("a class contrast needs sequences of both classes");
        }

        GenomeTrack track = GenomeTrack.BuildContrast(intervals, tracks, group, combine);
        var (covered, stats) = RegionAggregator.Aggregate(track, regions, statistic);
        var exceed = new int[regions.Count];
        int n = 0;
        foreach (IReadOnlyList<float[]> sample in modelNull.Samples(tracks))
        {
            track.Fill(sample, group);
            var (_, nullStats) = RegionAggregator.Aggregate(track, regions, statistic);
            for (int r = 0; r < regions.Count; r++)
            {
                if (nullStats[r] >= stats[r])
                {
                    exceed[r]++;
                }
            }

            n++;
        }

        double[] p = [.. Enumerable.Range(0, regions.Count).Select(r => covered[r] > 0 && n > 0 ? (1.0 + exceed[r]) / (1.0 + n) : double.NaN)];
        return Ranked(regions, covered, stats, p, n > 0);
    }

    private static List<RegionScore> Ranked(IReadOnlyList<Region> regions, int[] covered, double[] observed, double[] p, bool withNull)
    {
        double[] q = MultipleTesting.BenjaminiHochberg(p);
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
