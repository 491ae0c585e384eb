namespace SeqLens.Regions;

/// <summary>
/// The circular-shift null: each sample rotates every sequence's score track by its own uniform random offset,
/// <c>t'[j] = t[(j + s) mod L]</c> with s ∈ [0, L), which keeps the score distribution and its autocorrelation
/// (peaks, smoothing of Grad-CAM) but breaks the link between scores and annotated positions.
/// </summary>
/// <remarks>
/// Offsets come from <c>Rng.For(seed, sample, sequence)</c>, so results do not depend on order or threads.
/// p-values use the +1 correction, p = (1 + #{null ≥ observed}) / (1 + n) (Phipson &amp; Smyth 2010), so p ≥ 1/(n+1).
/// Windows overlapping the same bases are shifted independently; coverage is unchanged.
/// NOTE: for a region seen by a single window of length L, shifts within a few bases of 0 put a signal bump back on
/// the region, so p cannot fall far below (autocorrelation width of the scores) / L; regions covered by many
/// independently shifted windows (reads drawn from a genome) do not have that floor. Use long windows or many
/// permutations accordingly.
/// </remarks>
public sealed class CircularShiftNull : IRegionNull
{
    /// <summary>A null of <paramref name="permutations"/> samples (default 1000) seeded by <paramref name="seed"/>.</summary>
    public CircularShiftNull(int permutations = 1000, long seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        Count = permutations;
        Seed = seed;
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <summary>The seed.</summary>
    public long Seed { get; }

    /// <inheritdoc/>
    public IEnumerable<IReadOnlyList<float[]>> Samples(IReadOnlyList<float[]> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var buffers = observed.Select(t => new float[t.Length]).ToArray();
        for (int p = 0; p < Count; p++)
        {
            for (int i = 0; i < observed.Count; i++)
            {
                Shift(observed[i], ShiftFor(p, i, observed[i].Length), buffers[i]);
            }

            yield return buffers;
        }
    }

    /// <summary>The offset of sequence <paramref name="sequence"/> in sample <paramref name="sample"/>.</summary>
    public int ShiftFor(int sample, int sequence, int length) => length <= 1 ? 0 : Rng.For(Seed, sample, sequence).NextInt(length);

    /// <summary>destination[j] = source[(j + shift) mod L].</summary>
    public static void Shift(ReadOnlySpan<float> source, int shift, Span<float> destination)
    {
        int n = source.Length;
        if (destination.Length != n)
        {
            throw new ArgumentException($"destination has {destination.Length} values, source {n}", nameof(destination));
        }

        source[shift..].CopyTo(destination);
        source[..shift].CopyTo(destination[(n - shift)..]);
    }
}
