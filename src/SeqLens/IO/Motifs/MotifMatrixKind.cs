namespace SeqLens.IO.Motifs;

/// <summary>What the numbers of a <see cref="Motif"/> matrix are.</summary>
public enum MotifMatrixKind
{
    /// <summary>Site counts per position and base (JASPAR, TRANSFAC, .pfm files).</summary>
    Counts,

    /// <summary>Letter probabilities per position, rows summing to 1 (MEME, ENCODE motifs.txt).</summary>
    Probabilities,
}
