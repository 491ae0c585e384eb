namespace SeqLens.Sequences;

/// <summary>How <see cref="OneHot"/> encodes N and the other ambiguous IUPAC codes.</summary>
public enum AmbiguousBases
{
    /// <summary>All-zero column (the default; DESIGN.md section 4).</summary>
    Zero,

    /// <summary>0.25 in every channel for any ambiguous code (N, R, Y, ...).</summary>
    Uniform,

    /// <summary>The IUPAC split: 1/k in each of the k bases the code stands for (R = 0.5 A + 0.5 G, N = 0.25 each).</summary>
    IupacFraction,
}
