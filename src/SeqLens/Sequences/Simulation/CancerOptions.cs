namespace SeqLens.Sequences.Simulation;

/// <summary>
/// Options of the <c>cancer</c> preset (<see cref="CancerSimulator"/>). Rates are per source base.
/// </summary>
public sealed record CancerOptions
{
    /// <summary>
    /// Target genes by gene name, gene id or transcript id (at least one); <c>LABEL=identifier</c> gives a label for a
    /// gene the annotation knows by id only (e.g. <c>AXIN1=NM_003502</c> in the shared RefSeq GTF, which has no gene_name).
    /// </summary>
    public IReadOnlyList<string> Genes { get; init; } = [];

    /// <summary>Number of windows (half normal, half tumour, alternating: even index normal, odd tumour).</summary>
    public int Count { get; init; } = 1000;

    /// <summary>Window length in bases (default 1000), the same for every window whatever its indels.</summary>
    public int Length { get; init; } = 1000;

    /// <summary>Fraction of windows (of either class) drawn to overlap a target gene (default 0.5).</summary>
    public double TargetFraction { get; init; } = 0.5;

    /// <summary>
    /// What an on-target window overlaps: the target genes' whole spans (default) or their exons. Exons make a denser
    /// signal (a 1000-bp window inside a 65-kb gene such as AXIN1 usually holds no exon base); the sampling stays the
    /// same for both classes.
    /// </summary>
    public CancerTargetUnit TargetUnit { get; init; } = CancerTargetUnit.Gene;

    /// <summary>Background mutation rate of both classes (default 0.002).</summary>
    public double BackgroundRate { get; init; } = 0.002;

    /// <summary>Extra rate in target-gene exons of tumour windows (default 0.03).</summary>
    public double TumourExonRate { get; init; } = 0.03;

    /// <summary>
    /// Recurrent hotspot substitutions per target gene (default 0: none), as driver genes carry in real tumours
    /// (e.g. KRAS codon 12). Each hotspot is a fixed base of the gene's exons with a fixed alternative base, spread over
    /// the gene's exons; a tumour window covering it carries the variant with probability <see cref="HotspotRate"/>.
    /// Normal windows never carry it (beyond background chance).
    /// </summary>
    public int HotspotsPerGene { get; init; }

    /// <summary>
    /// Seed of the hotspot positions and alleles (default 1), separate from <see cref="Seed"/>: simulations with different
    /// seeds and the same hotspot seed draw new windows of the same "cancer" (a held-out test set shares the drivers).
    /// </summary>
    public long HotspotSeed { get; init; } = 1;

    /// <summary>Probability that a tumour window covering a hotspot carries its variant (default 0.9).</summary>
    public double HotspotRate { get; init; } = 0.9;

    /// <summary>Fraction of mutations that are 1-3 base insertions (default 0.1); the same fraction are 1-3 base deletions; the rest substitutions.</summary>
    public double IndelFraction { get; init; } = 0.1;

    /// <summary>
    /// 0-based genome position of the FASTA record's first base; null reads it from the record (a description
    /// starting "start end", 1-based, as the shared chr16 chunk has; or an id <c>chr:start-end</c>), else 0.
    /// </summary>
    public long? GenomeOffset { get; init; }

    /// <summary>Seed; the same seed gives the same windows and mutations.</summary>
    public long Seed { get; init; } = 1;
}
