namespace SeqLens.Sequences;

/// <summary>
/// Dinucleotide shuffle: a uniformly random sequence with exactly the dinucleotide counts (and the first and last
/// letters) of the input; the standard negative set and DeepLIFT/DeepSHAP reference for DNA models.
/// </summary>
/// <remarks>The k = 2 case of <see cref="KmerShuffle"/> (Altschul &amp; Erickson 1985, uniform Eulerian trail);
/// case-sensitive, N is a letter like any other (see <see cref="KmerShuffle"/> remarks).</remarks>
public static class DinucleotideShuffle
{
    /// <summary>A dinucleotide shuffle of <paramref name="sequence"/>.</summary>
    public static string Shuffle(string sequence, Rng rng) => KmerShuffle.Shuffle(sequence, 2, rng);

    /// <summary>Writes a dinucleotide shuffle of <paramref name="sequence"/> into <paramref name="destination"/>.</summary>
    public static void Shuffle(ReadOnlySpan<byte> sequence, Span<byte> destination, Rng rng)
        => KmerShuffle.Shuffle(sequence, destination, 2, rng);

    /// <summary>Dinucleotide shuffle of a <c>(4, length)</c> one-hot block (columns as symbols).</summary>
    public static void ShuffleOneHot(ReadOnlySpan<float> source, Span<float> destination, Rng rng)
        => KmerShuffle.ShuffleOneHot(source, destination, 2, rng);

    /// <summary>
    /// <paramref name="count"/> shuffles of each sequence of <c>(batch, 4, length)</c> into <c>(batch * count, 4, length)</c>;
    /// row <c>b * count + r</c> uses <c>Rng.For(seed, firstIndex + b, r)</c>.
    /// </summary>
    public static Tensor ShuffleOneHot(Tensor x, int count, long seed, long firstIndex = 0)
        => KmerShuffle.ShuffleOneHot(x, 2, count, seed, firstIndex);
}
