namespace SeqLens.IO.Motifs;

/// <summary>The motif file formats SeqLens reads and writes.</summary>
public enum MotifFormat
{
    /// <summary>MEME minimal motif format (<see cref="MemeFormat"/>).</summary>
    Meme,

    /// <summary>JASPAR <c>.jaspar</c> files and bundles, labelled or classic 4-row (<see cref="JasparFormat"/>).</summary>
    Jaspar,

    /// <summary>TRANSFAC matrix records (<see cref="TransfacFormat"/>).</summary>
    Transfac,

    /// <summary><c>&gt;name</c> + one row of 4 counts per position (<see cref="PfmRowsFormat"/>).</summary>
    PfmRows,

    /// <summary>ENCODE motifs.txt, <c>IUPAC pA pC pG pT</c> rows (<see cref="EncodeMotifsFormat"/>).</summary>
    Encode,
}
