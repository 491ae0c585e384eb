namespace SeqLens.Attribution.Ism;

/// <summary>How mutant predictions are computed.</summary>
public enum IsmMethod
{
    /// <summary>
    /// Only the window of each position-local node that a substitution can change is recomputed, up to the first node
    /// that mixes all positions; from there the graph runs normally (fastISM, Sasse et al. 2023-style). Default.
    /// </summary>
    Fast,

    /// <summary>Every mutant sequence goes through the whole graph (batched forward passes).</summary>
    Naive,
}
