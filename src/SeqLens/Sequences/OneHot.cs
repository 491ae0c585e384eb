using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace SeqLens.Sequences;

/// <summary>
/// One-hot encoding of DNA into <c>(batch, 4, length)</c> float32 with channels A, C, G, T, and decoding back.
/// </summary>
/// <remarks>
/// Each byte goes through a 256-entry table (<see cref="Iupac.Masks"/> expanded to 4 floats), so lowercase
/// equals uppercase and U equals T. N and the other ambiguous IUPAC codes give an all-zero column by default,
/// or 0.25 each (<see cref="AmbiguousBases.Uniform"/>), or the IUPAC split (<see cref="AmbiguousBases.IupacFraction"/>).
/// Bytes that are not nucleotide codes (gaps, digits) always give an all-zero column, as does padding.
/// A SIMD path compares 32 bases at a time with A/C/G/T (either case) and patches any other byte's column from the
/// table, so the result always equals the table lookup.
/// </remarks>
public static class OneHot
{
    /// <summary>Number of channels (A, C, G, T).</summary>
    public const int Channels = 4;

    private static readonly float[][] Tables =
    [
        BuildTable(AmbiguousBases.Zero),
        BuildTable(AmbiguousBases.Uniform),
        BuildTable(AmbiguousBases.IupacFraction),
    ];

    /// <summary>The 256 x 4 lookup table (byte -> A, C, G, T values) for <paramref name="ambiguous"/>.</summary>
    public static ReadOnlySpan<float> Table(AmbiguousBases ambiguous) => Tables[(int)ambiguous];

    /// <summary>
    /// Encodes one sequence into <paramref name="destination"/>, a <c>(4, length)</c> block with
    /// <c>length = destination.Length / 4</c>, padding (all-zero columns) or cropping as <paramref name="alignment"/> says.
    /// </summary>
    public static void Encode(
        ReadOnlySpan<byte> sequence,
        Span<float> destination,
        AmbiguousBases ambiguous = AmbiguousBases.Zero,
        SequenceAlignment alignment = SequenceAlignment.Start)
    {
        if (destination.Length % Channels != 0)
        {
            throw new ArgumentException($"One-hot destination must hold 4 x length floats; got {destination.Length}.", nameof(destination));
        }

        if ((uint)ambiguous > (uint)AmbiguousBases.IupacFraction)
        {
            throw new ArgumentOutOfRangeException(nameof(ambiguous), ambiguous, "Unknown ambiguity mode.");
        }

        int length = destination.Length / Channels;
        Fit(sequence.Length, length, alignment, out int srcStart, out int dstStart, out int count);
        if (count < length)
        {
            destination.Clear();
        }

        EncodeCore(sequence.Slice(srcStart, count), destination, length, dstStart, Tables[(int)ambiguous]);
    }

    /// <summary>Encodes one sequence of characters (see the byte overload; characters above U+00FF give all-zero columns).</summary>
    public static void Encode(
        ReadOnlySpan<char> sequence,
        Span<float> destination,
        AmbiguousBases ambiguous = AmbiguousBases.Zero,
        SequenceAlignment alignment = SequenceAlignment.Start)
    {
        byte[]? rented = null;
        Span<byte> bytes = sequence.Length <= 1024 ? stackalloc byte[sequence.Length] : (rented = ArrayPool<byte>.Shared.Rent(sequence.Length));
        try
        {
            // NOTE: Latin-1 maps characters above U+00FF to '?', which is not a nucleotide code (all-zero column).
            int n = Encoding.Latin1.GetBytes(sequence, bytes);
            Encode(bytes[..n], destination, ambiguous, alignment);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Encodes sequences into a new <c>(batch, 4, length)</c> tensor, padding or cropping each to <paramref name="length"/>.</summary>
    public static Tensor Encode(
        IReadOnlyList<string> sequences,
        int length,
        AmbiguousBases ambiguous = AmbiguousBases.Zero,
        SequenceAlignment alignment = SequenceAlignment.Start)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var tensor = new Tensor(sequences.Count, Channels, length);
        int block = Channels * length;
        for (int b = 0; b < sequences.Count; b++)
        {
            string s = sequences[b] ?? throw new ArgumentException($"Sequence {b} is null.", nameof(sequences));
            Encode(s.AsSpan(), tensor.Span.Slice(b * block, block), ambiguous, alignment);
        }

        return tensor;
    }

    /// <summary>Encodes sequences that all have the same length into a new <c>(batch, 4, length)</c> tensor.</summary>
    public static Tensor Encode(IReadOnlyList<string> sequences, AmbiguousBases ambiguous = AmbiguousBases.Zero)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            throw new ArgumentException("No sequences to encode.", nameof(sequences));
        }

        int length = sequences[0].Length;
        for (int b = 1; b < sequences.Count; b++)
        {
            if (sequences[b].Length != length)
            {
                throw new ArgumentException(
                    $"Sequences differ in length: sequence 0 has {length} bases, sequence {b} has {sequences[b].Length}; pass a length to pad or crop.",
                    nameof(sequences));
            }
        }

        return Encode(sequences, length, ambiguous);
    }

    /// <summary>
    /// Decodes a <c>(4, length)</c> block: a column with one non-zero channel gives that base, several non-zero
    /// channels give their IUPAC code (0.25 each gives N), an all-zero column (N, padding) gives <c>'N'</c>.
    /// </summary>
    public static string Decode(ReadOnlySpan<float> oneHot)
    {
        if (oneHot.Length % Channels != 0)
        {
            throw new ArgumentException($"One-hot block must hold 4 x length floats; got {oneHot.Length}.", nameof(oneHot));
        }

        int length = oneHot.Length / Channels;
        return string.Create(length, oneHot.ToArray(), static (chars, data) =>
        {
            int n = chars.Length;
            for (int i = 0; i < n; i++)
            {
                int mask = 0;
                for (int c = 0; c < Channels; c++)
                {
                    if (data[(c * n) + i] != 0f)
                    {
                        mask |= 1 << c;
                    }
                }

                chars[i] = mask == 0 ? 'N' : Iupac.FromMask(mask);
            }
        });
    }

    /// <summary>Decodes every sequence of a <c>(batch, 4, length)</c> tensor.</summary>
    public static string[] Decode(Tensor oneHot)
    {
        CheckBatch(oneHot, nameof(oneHot));
        int block = Channels * oneHot.Shape[2];
        var result = new string[oneHot.Shape[0]];
        for (int b = 0; b < result.Length; b++)
        {
            result[b] = Decode(oneHot.Span.Slice(b * block, block));
        }

        return result;
    }

    internal static void CheckBatch(Tensor x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.Rank != 3 || x.Shape[1] != Channels)
        {
            throw new ArgumentException($"Expected a one-hot tensor (batch, 4, length); got ({string.Join(", ", x.Shape)}).", name);
        }
    }

    private static void Fit(int n, int length, SequenceAlignment alignment, out int srcStart, out int dstStart, out int count)
    {
        count = Math.Min(n, length);
        srcStart = 0;
        dstStart = 0;
        switch (alignment)
        {
            case SequenceAlignment.Start:
                break;
            case SequenceAlignment.Center:
                if (n > length)
                {
                    srcStart = (n - length) / 2;
                }
                else
                {
                    dstStart = (length - n) / 2;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "Unknown alignment.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EncodeCore(ReadOnlySpan<byte> src, Span<float> dst, int length, int dstStart, float[] table)
    {
        int n = src.Length;
        Span<float> a = dst.Slice(dstStart, length - dstStart);
        Span<float> c = dst.Slice(length + dstStart, length - dstStart);
        Span<float> g = dst.Slice((2 * length) + dstStart, length - dstStart);
        Span<float> t = dst.Slice((3 * length) + dstStart, length - dstStart);
        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= 32)
        {
            var lower = Vector256.Create((byte)0x20);
            var va = Vector256.Create((byte)'a');
            var vc = Vector256.Create((byte)'c');
            var vg = Vector256.Create((byte)'g');
            var vt = Vector256.Create((byte)'t');
            for (; i <= n - 32; i += 32)
            {
                Vector256<byte> b = Vector256.Create(src.Slice(i, 32)) | lower;
                Vector256<byte> ea = Vector256.Equals(b, va);
                Vector256<byte> ec = Vector256.Equals(b, vc);
                Vector256<byte> eg = Vector256.Equals(b, vg);
                Vector256<byte> et = Vector256.Equals(b, vt);
                StoreMask(ea, a, i);
                StoreMask(ec, c, i);
                StoreMask(eg, g, i);
                StoreMask(et, t, i);
                uint other = ~(ea | ec | eg | et).ExtractMostSignificantBits();
                while (other != 0)
                {
                    // A byte that is not A/C/G/T (N, IUPAC, U, gap): patch its column from the table.
                    int k = i + System.Numerics.BitOperations.TrailingZeroCount(other);
                    ScalarBlock(src, a, c, g, t, k, k + 1, table);
                    other &= other - 1;
                }
            }
        }

        ScalarBlock(src, a, c, g, t, i, n, table);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreMask(Vector256<byte> mask, Span<float> dst, int i)
    {
        // 0xFF bytes sign-extend to 0xFFFFFFFF ints; AND with the bits of 1.0f gives 1.0f or 0.0f.
        var oneBits = Vector256.Create(0x3F800000);
        (Vector256<short> lo16, Vector256<short> hi16) = Vector256.Widen(mask.AsSByte());
        (Vector256<int> w0, Vector256<int> w1) = Vector256.Widen(lo16);
        (Vector256<int> w2, Vector256<int> w3) = Vector256.Widen(hi16);
        Span<float> d = dst.Slice(i, 32);
        (w0 & oneBits).AsSingle().CopyTo(d);
        (w1 & oneBits).AsSingle().CopyTo(d[8..]);
        (w2 & oneBits).AsSingle().CopyTo(d[16..]);
        (w3 & oneBits).AsSingle().CopyTo(d[24..]);
    }

    private static void ScalarBlock(ReadOnlySpan<byte> src, Span<float> a, Span<float> c, Span<float> g, Span<float> t, int from, int to, float[] table)
    {
        for (int i = from; i < to; i++)
        {
            int k = src[i] * Channels;
            a[i] = table[k];
            c[i] = table[k + 1];
            g[i] = table[k + 2];
            t[i] = table[k + 3];
        }
    }

    private static float[] BuildTable(AmbiguousBases ambiguous)
    {
        var table = new float[256 * Channels];
        for (int b = 0; b < 256; b++)
        {
            int mask = Iupac.Masks[b];
            int bits = System.Numerics.BitOperations.PopCount((uint)mask);
            if (bits == 0 || (bits > 1 && ambiguous == AmbiguousBases.Zero))
            {
                continue;
            }

            for (int ch = 0; ch < Channels; ch++)
            {
                float value = bits == 1 || ambiguous == AmbiguousBases.IupacFraction
                    ? ((mask >> ch) & 1) / (float)bits
                    : 0.25f;
                table[(b * Channels) + ch] = value;
            }
        }

        return table;
    }
}
