using System.Runtime.CompilerServices;

namespace SeqLens.Regions;

/// <summary>
/// Aggregates a <see cref="GenomeTrack"/> over <see cref="Region"/>s: for each region the number of covered bases
/// and the <see cref="RegionStatistic"/> of their combined values (NaN when none is covered); a region made of
/// <see cref="Region.Blocks"/> is aggregated over its blocks' bases.
/// </summary>
public static class RegionAggregator
{
    /// <summary>Covered bases and statistic per region, in the order of <paramref name="regions"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int[] Covered, double[] Statistic) Aggregate(GenomeTrack track, IReadOnlyList<Region> regions, RegionStatistic statistic)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(regions);
        var covered = new int[regions.Count];
        var stats = new double[regions.Count];
        var buffer = new Buffer { Values = new double[256] };
        for (int r = 0; r < regions.Count; r++)
        {
            Region x = regions[r];
            buffer.Count = 0;
            foreach (var (start, end) in x.Parts)
            {
                track.ForEachCovered(x.Chrom, start, end, ref buffer, static (ref Buffer b, double v) =>
                {
                    if (b.Count == b.Values.Length)
                    {
                        Array.Resize(ref b.Values, b.Values.Length * 2);
                    }

                    b.Values[b.Count++] = v;
                });
            }
            covered[r] = buffer.Count;
            stats[r] = statistic.Compute(buffer.Values.AsSpan(0, buffer.Count));
        }

        return (covered, stats);
    }

    private struct Buffer
    {
        public double[] Values;
        public int Count;
    }
}
