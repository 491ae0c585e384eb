namespace SeqLens.Attribution.GradCam;

/// <summary>How a nucleotide's score combines the cam values of the node positions whose receptive field covers it.</summary>
public enum NucleotideAggregation
{
    /// <summary>The mean over covering positions (default).</summary>
    Mean,

    /// <summary>The maximum over covering positions.</summary>
    Max,
}
