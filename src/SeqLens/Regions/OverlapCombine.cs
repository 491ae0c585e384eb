namespace SeqLens.Regions;

/// <summary>How the scores of several sequences covering the same genomic base are combined into one value.</summary>
public enum OverlapCombine
{
    /// <summary>Mean of the covering sequences' scores (default).</summary>
    Mean = 0,

    /// <summary>Maximum of the covering sequences' scores.</summary>
    Max = 1,
}
