using SeqLens.IO.Intervals;

namespace SeqLens.Regions;

/// <summary>
/// A region to score: a 0-based half-open interval with an id, the gene it belongs to (name; empty for intergenic
/// bins) and a kind ("gene", "exon", "CDS", "intron", "five_prime_utr", "three_prime_utr", "promoter", "intergenic",
/// "bed", "gene_exons").
/// </summary>
/// <remarks>
/// A region may be made of <see cref="Blocks"/> (sorted, disjoint, inside [Start, End)): then only their bases are
/// scored, e.g. the union of a gene's exons; Start/End are the hull.
/// </remarks>
public sealed record Region(string Id, string GeneName, string Chrom, long Start, long End, Strand Strand, string Kind)
{
    /// <summary>The scored parts (0-based half-open, sorted, disjoint) when the region is not one interval; null otherwise.</summary>
    public IReadOnlyList<(long Start, long End)>? Blocks { get; init; }

    /// <summary>Length in bases (of the blocks, when given).</summary>
    public long Length => Blocks is null ? End - Start : Blocks.Sum(b => b.End - b.Start);

    /// <summary>The scored intervals: the blocks, or the whole span.</summary>
    public IEnumerable<(long Start, long End)> Parts => Blocks ?? [(Start, End)];
}
