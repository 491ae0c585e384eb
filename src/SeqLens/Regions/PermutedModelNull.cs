namespace SeqLens.Regions;

/// <summary>
/// The label-permutation null: score tracks for the same sequences from models retrained on permuted labels (one
/// track set per permuted model), supplied by the caller; SeqLens does not retrain here. Each set must have one track
/// per sequence with the observed lengths.
/// </summary>
public sealed class PermutedModelNull : IRegionNull
{
    private readonly IReadOnlyList<IReadOnlyList<float[]>> _sets;

    /// <summary>A null from <paramref name="trackSets"/> (at least one).</summary>
    public PermutedModelNull(IReadOnlyList<IReadOnlyList<float[]>> trackSets)
    {
        ArgumentNullException.ThrowIfNull(trackSets);
        if (trackSets.Count == 0)
        {
            throw new ArgumentException("PermutedModelNull needs at least one track set from a permuted-label model", nameof(trackSets));
        }

        _sets = trackSets;
    }

    /// <inheritdoc/>
    public int Count => _sets.Count;

    /// <inheritdoc/>
    public IEnumerable<IReadOnlyList<float[]>> Samples(IReadOnlyList<float[]> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        for (int s = 0; s < _sets.Count; s++)
        {
            IReadOnlyList<float[]> set = _sets[s];
            if (set.Count != observed.Count)
            {
                throw new ArgumentException($"permuted-model track set {s} has {set.Count} tracks; the observed scores have {observed.Count}", nameof(observed));
            }

            for (int i = 0; i < set.Count; i++)
            {
                if (set[i].Length != observed[i].Length)
                {
                    throw new ArgumentException($"permuted-model track set {s}, sequence {i}: {set[i].Length} values, observed {observed[i].Length}", nameof(observed));
                }
            }

            yield return set;
        }
    }
}
