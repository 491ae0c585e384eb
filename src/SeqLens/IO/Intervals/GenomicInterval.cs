namespace SeqLens.IO.Intervals;

/// <summary>
/// A 0-based half-open interval [<see cref="Start"/>, <see cref="End"/>) on <see cref="Chrom"/>, with strand and
/// optional labels: <see cref="Kind"/> (e.g. "exon", "promoter"), gene id and name, transcript id.
/// </summary>
public sealed record GenomicInterval(string Chrom, long Start, long End, Strand Strand = Strand.None)
{
    /// <summary>What the interval is: "gene", "transcript", "exon", "CDS", "five_prime_utr", "three_prime_utr", "intron", "promoter", "start_codon", "stop_codon", or a caller's label.</summary>
    public string Kind { get; init; } = string.Empty;

    /// <summary>Gene id, or empty.</summary>
    public string GeneId { get; init; } = string.Empty;

    /// <summary>Gene name (falls back to the gene id when the annotation has none), or empty.</summary>
    public string GeneName { get; init; } = string.Empty;

    /// <summary>Transcript id, or empty.</summary>
    public string TranscriptId { get; init; } = string.Empty;

    /// <summary>Length in bases.</summary>
    public long Length => End - Start;

    /// <summary>True when the two half-open intervals share at least one base on the same contig.</summary>
    public bool Overlaps(GenomicInterval other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Chrom == other.Chrom && Start < other.End && other.Start < End;
    }
}
