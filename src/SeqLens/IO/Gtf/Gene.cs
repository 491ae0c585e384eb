using SeqLens.IO.Intervals;

namespace SeqLens.IO.Gtf;

/// <summary>A gene of a <see cref="GeneAnnotation"/>: id, name (the id when the file has none), 0-based half-open span
/// (the gene line's, or the union of its transcripts), and its transcripts.</summary>
public sealed class Gene
{
    internal Gene(string id, string name, string chrom, Strand strand, long start, long end, IReadOnlyList<Transcript> transcripts)
    {
        Id = id;
        Name = name;
        Chrom = chrom;
        Strand = strand;
        Start = start;
        End = end;
        Transcripts = transcripts;
    }

    public string Id { get; }

    public string Name { get; }

    public string Chrom { get; }

    public Strand Strand { get; }

    public long Start { get; }

    public long End { get; }

    public IReadOnlyList<Transcript> Transcripts { get; }

    /// <summary>The gene as an interval of kind "gene".</summary>
    public GenomicInterval ToInterval() => new(Chrom, Start, End, Strand) { Kind = "gene", GeneId = Id, GeneName = Name };
}
