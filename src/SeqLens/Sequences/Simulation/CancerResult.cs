namespace SeqLens.Sequences.Simulation;

/// <summary>
/// The output of <see cref="CancerSimulator"/>: windows, the contig (FASTA record id) and genome offset used in the
/// names, the target genes (labels: the given label, else the annotation's gene name) and their merged exons (0-based half-open, record coordinates) and hotspots.
/// </summary>
public sealed record CancerResult(IReadOnlyList<CancerWindow> Windows, string Contig, long GenomeOffset, IReadOnlyList<string> TargetGenes, IReadOnlyList<(long Start, long End)> TargetExons, IReadOnlyList<CancerHotspot> Hotspots);
