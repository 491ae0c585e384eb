using SeqLens.IO.Intervals;
using SeqLens.IO.Tsv;

namespace SeqLens.Regions;

/// <summary>
/// Writes ranked region scores as TSV with header <c>region_id gene_name contig start end strand covered_bases
/// statistic p q rank</c>: start/end 0-based half-open (BED convention), numbers in invariant culture, NaN as
/// <c>nan</c>, rank empty for uncovered regions (rank 0 in <see cref="RegionScore"/>). Rows in the given order.
/// </summary>
public static class RegionTableWriter
{
    /// <summary>The header columns.</summary>
    public static IReadOnlyList<string> Header { get; } = ["region_id", "gene_name", "contig", "start", "end", "strand", "covered_bases", "statistic", "p", "q", "rank"];

    /// <summary>Writes <paramref name="scores"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteFile(string path, IEnumerable<RegionScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        TsvWriter.WriteFile(path, Header, scores.Select(s => new object?[]
        {
            s.Region.Id, s.Region.GeneName, s.Region.Chrom, s.Region.Start, s.Region.End, s.Region.Strand.ToChar(),
            s.CoveredBases, s.Statistic, s.P, s.Q, s.Rank > 0 ? s.Rank : null,
        }));
    }
}
