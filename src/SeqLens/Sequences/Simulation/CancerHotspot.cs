namespace SeqLens.Sequences.Simulation;

/// <summary>
/// A recurrent hotspot of the <c>cancer</c> preset: a base of a target gene's exons (<see cref="Position"/>, 0-based
/// in the FASTA record) that tumour windows covering it carry as <see cref="Alt"/> with probability
/// <see cref="CancerOptions.HotspotRate"/>.
/// </summary>
public sealed record CancerHotspot(long Position, string Gene, char Ref, char Alt);
