namespace SeqLens.Sequences.Simulation;

/// <summary>What an on-target window of the <c>cancer</c> preset overlaps (<see cref="CancerOptions.TargetUnit"/>).</summary>
public enum CancerTargetUnit
{
    /// <summary>Some base of a target gene's span (first to last base of its transcripts).</summary>
    Gene,

    /// <summary>Some base of a target gene's exons.</summary>
    Exon,

    /// <summary>A hotspot of a target gene (needs <see cref="CancerOptions.HotspotsPerGene"/> ≥ 1).</summary>
    Hotspot,
}
