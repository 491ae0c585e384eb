namespace SeqLens.Regions;

/// <summary>
/// A null distribution for region statistics, given as null score-track sets: each sample is one track per sequence
/// (same lengths and order as the observed tracks), aggregated exactly like the observed ones.
/// </summary>
public interface IRegionNull
{
    /// <summary>Number of samples <see cref="Samples"/> yields.</summary>
    int Count { get; }

    /// <summary>
    /// The null samples for <paramref name="observed"/>. A yielded list may be reused by the next sample: consume it
    /// before moving on.
    /// </summary>
    IEnumerable<IReadOnlyList<float[]>> Samples(IReadOnlyList<float[]> observed);
}
