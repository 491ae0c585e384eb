namespace SeqLens.Sequences.Simulation;

/// <summary>
/// One planted mutation of a <see cref="CancerWindow"/>, VCF-like: <see cref="Kind"/> SNV, INS or DEL;
/// <see cref="Position"/> 0-based in the FASTA record (the source base substituted or first deleted; for an insertion,
/// the source base the inserted bases precede); <see cref="WindowOffset"/> 0-based in the output window (where the
/// alternative bases start, or where the deleted bases would have been); <see cref="Ref"/>/<see cref="Alt"/> the
/// bases ("-" for none); <see cref="InTargetExon"/> when the source base lies in an exon of a target gene;
/// <see cref="Hotspot"/> when it is the variant of a <see cref="CancerHotspot"/>.
/// </summary>
public sealed record CancerMutation(string Kind, long Position, int WindowOffset, string Ref, string Alt, bool InTargetExon, string Gene, bool Hotspot = false);
