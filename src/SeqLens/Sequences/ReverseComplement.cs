namespace SeqLens.Sequences;

/// <summary>Reverse complement of sequences (IUPAC-aware, case-preserving) and of one-hot tensors.</summary>
/// <remarks>
/// Complements: A-T, C-G, R-Y, K-M, B-V, D-H; S, W, N and non-nucleotide characters map to themselves;
/// U maps to A (so an RNA input comes back as DNA). For one-hot data, channel c at position i of the result is
/// channel 3 - c at position length - 1 - i of the input (A, C, G, T order), which also complements fractional
/// IUPAC columns correctly.
/// </remarks>
public static class ReverseComplement
{
    /// <summary>Reverse complement of <paramref name="sequence"/>.</summary>
    public static string Of(string sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return string.Create(sequence.Length, sequence, static (dst, src) => Apply(src, dst));
    }

    /// <summary>Writes the reverse complement of <paramref name="source"/> into <paramref name="destination"/> (same length, must not overlap).</summary>
    public static void Apply(ReadOnlySpan<char> source, Span<char> destination)
    {
        CheckLengths(source.Length, destination.Length);
        int n = source.Length;
        for (int i = 0; i < n; i++)
        {
            destination[n - 1 - i] = Iupac.Complement(source[i]);
        }
    }

    /// <summary>Writes the reverse complement of <paramref name="source"/> into <paramref name="destination"/> (same length, must not overlap).</summary>
    public static void Apply(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        CheckLengths(source.Length, destination.Length);
        ReadOnlySpan<byte> table = Iupac.Complements;
        int n = source.Length;
        for (int i = 0; i < n; i++)
        {
            destination[n - 1 - i] = table[source[i]];
        }
    }

    /// <summary>Reverse-complements <paramref name="sequence"/> in place.</summary>
    public static void InPlace(Span<byte> sequence)
    {
        sequence.Reverse();
        ReadOnlySpan<byte> table = Iupac.Complements;
        for (int i = 0; i < sequence.Length; i++)
        {
            sequence[i] = table[sequence[i]];
        }
    }

    /// <summary>Reverse complement of a <c>(4, length)</c> one-hot block into <paramref name="destination"/> (same size, must not overlap).</summary>
    public static void OneHot(ReadOnlySpan<float> source, Span<float> destination)
    {
        CheckLengths(source.Length, destination.Length);
        if (source.Length % Sequences.OneHot.Channels != 0)
        {
            throw new ArgumentException($"One-hot block must hold 4 x length floats; got {source.Length}.", nameof(source));
        }

        int length = source.Length / Sequences.OneHot.Channels;
        for (int c = 0; c < Sequences.OneHot.Channels; c++)
        {
            ReadOnlySpan<float> from = source.Slice((Sequences.OneHot.Channels - 1 - c) * length, length);
            Span<float> to = destination.Slice(c * length, length);
            from.CopyTo(to);
            to.Reverse();
        }
    }

    /// <summary>Reverse complement of every sequence of a <c>(batch, 4, length)</c> tensor, as a new tensor.</summary>
    public static Tensor OneHot(Tensor x)
    {
        Sequences.OneHot.CheckBatch(x, nameof(x));
        var result = new Tensor(x.Shape);
        int block = Sequences.OneHot.Channels * x.Shape[2];
        for (int b = 0; b < x.Shape[0]; b++)
        {
            OneHot(x.Span.Slice(b * block, block), result.Span.Slice(b * block, block));
        }

        return result;
    }

    private static void CheckLengths(int source, int destination)
    {
        if (source != destination)
        {
            throw new ArgumentException($"Destination length {destination} differs from source length {source}.", nameof(destination));
        }
    }
}
