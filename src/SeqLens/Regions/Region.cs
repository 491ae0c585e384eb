using SeqLens.IO.Intervals;

namespace SeqLens.Regions;

/// <summary>
/// A region to score: a 0-based half-open interval with an id, the gene it belongs to (name; empty for intergenic
/// bins) and a kind ("gene", "exon", "CDS", "intron", "five_prime_utr", "three_prime_utr", "promoter", "intergenic",
/// "bed").
/// </summary>
public sealed record Region(string Id, string GeneName, string Chrom, long Start, long End, Strand Strand, string Kind)
{
    /// <summary>Length in bases.</summary>
    public long Length => End - Start;
}
