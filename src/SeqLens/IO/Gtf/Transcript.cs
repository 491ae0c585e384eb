using SeqLens.IO.Intervals;

namespace SeqLens.IO.Gtf;

/// <summary>
/// A transcript of a <see cref="GeneAnnotation"/>, all parts as 0-based half-open <see cref="GenomicInterval"/>s
/// sorted by start, labelled with gene id/name and transcript id.
/// </summary>
/// <remarks>
/// UTRs come from feature lines when the file has them (five_prime_utr / three_prime_utr / 5UTR / 3UTR, or
/// GENCODE's generic UTR, split by side of the CDS); otherwise they are derived as exons minus the coding span
/// (CDS plus start and stop codons): upstream of it is 5' on '+' and 3' on '-'. Introns are the gaps between
/// consecutive exons.
/// </remarks>
public sealed class Transcript
{
    internal Transcript(string id, string geneId, string geneName, string chrom, Strand strand, long start, long end,
        List<GenomicInterval> exons, List<GenomicInterval> cds, List<GenomicInterval> startCodons, List<GenomicInterval> stopCodons,
        List<GenomicInterval> fivePrime, List<GenomicInterval> threePrime)
    {
        Id = id;
        GeneId = geneId;
        GeneName = geneName;
        Chrom = chrom;
        Strand = strand;
        Start = start;
        End = end;
        Exons = exons;
        Cds = cds;
        StartCodons = startCodons;
        StopCodons = stopCodons;
        FivePrimeUtrs = fivePrime;
        ThreePrimeUtrs = threePrime;
        var introns = new List<GenomicInterval>();
        for (int i = 1; i < exons.Count; i++)
        {
            if (exons[i].Start > exons[i - 1].End)
            {
                introns.Add(Label(new GenomicInterval(chrom, exons[i - 1].End, exons[i].Start, strand), "intron"));
            }
        }

        Introns = introns;
    }

    public string Id { get; }

    public string GeneId { get; }

    public string GeneName { get; }

    public string Chrom { get; }

    public Strand Strand { get; }

    /// <summary>0-based start.</summary>
    public long Start { get; }

    /// <summary>0-based exclusive end.</summary>
    public long End { get; }

    public IReadOnlyList<GenomicInterval> Exons { get; }

    public IReadOnlyList<GenomicInterval> Cds { get; }

    public IReadOnlyList<GenomicInterval> StartCodons { get; }

    public IReadOnlyList<GenomicInterval> StopCodons { get; }

    public IReadOnlyList<GenomicInterval> FivePrimeUtrs { get; }

    public IReadOnlyList<GenomicInterval> ThreePrimeUtrs { get; }

    /// <summary>Gaps between consecutive exons.</summary>
    public IReadOnlyList<GenomicInterval> Introns { get; }

    /// <summary>True when the transcript has CDS.</summary>
    public bool IsCoding => Cds.Count > 0;

    /// <summary>The transcription start site (0-based): Start on '+' (and unstranded), End - 1 on '-'.</summary>
    public long Tss => Strand == Strand.Minus ? End - 1 : Start;

    /// <summary>The transcript as an interval of kind "transcript".</summary>
    public GenomicInterval ToInterval() => Label(new GenomicInterval(Chrom, Start, End, Strand), "transcript");

    /// <summary>
    /// The promoter: <paramref name="upstream"/> bases upstream of the TSS and <paramref name="downstream"/> bases
    /// from the TSS on (the TSS included), strand-aware, clipped at 0. On '+': [TSS - up, TSS + down); on '-':
    /// [TSS + 1 - down, TSS + 1 + up).
    /// </summary>
    public GenomicInterval Promoter(int upstream = 1000, int downstream = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(upstream);
        ArgumentOutOfRangeException.ThrowIfNegative(downstream);
        long s, e;
        if (Strand == Strand.Minus)
        {
            s = Tss + 1 - downstream;
            e = Tss + 1 + upstream;
        }
        else
        {
            s = Tss - upstream;
            e = Tss + downstream;
        }

        return Label(new GenomicInterval(Chrom, Math.Max(0, s), Math.Max(0, e), Strand), "promoter");
    }

    private GenomicInterval Label(GenomicInterval x, string kind) => x with { Kind = kind, GeneId = GeneId, GeneName = GeneName, TranscriptId = Id };
}
