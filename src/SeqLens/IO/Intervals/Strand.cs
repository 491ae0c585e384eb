namespace SeqLens.IO.Intervals;

/// <summary>Strand of a genomic feature: '+', '-', or unknown/not applicable ('.').</summary>
public enum Strand
{
    /// <summary>'.', unstranded or unknown.</summary>
    None = 0,

    /// <summary>'+', forward strand.</summary>
    Plus = 1,

    /// <summary>'-', reverse strand.</summary>
    Minus = 2,
}
