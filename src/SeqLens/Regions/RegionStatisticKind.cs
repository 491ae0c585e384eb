namespace SeqLens.Regions;

/// <summary>The kinds of <see cref="RegionStatistic"/>.</summary>
public enum RegionStatisticKind
{
    /// <summary>Σ v over covered bases.</summary>
    Sum = 0,

    /// <summary>Σ v / n over the n covered bases.</summary>
    Mean = 1,

    /// <summary>max v over covered bases.</summary>
    Max = 2,

    /// <summary>Mean of the k largest values (all of them when n &lt; k).</summary>
    TopKMean = 3,

    /// <summary>Length-normalised sum Σ v / √n.</summary>
    Normalized = 4,
}
