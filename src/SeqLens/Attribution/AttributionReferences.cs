using System.Globalization;
using SeqLens.IO.Fasta;
using SeqLens.Sequences;

namespace SeqLens.Attribution;

/// <summary>
/// The references (baselines) of DeepLIFT / DeepLIFT-SHAP / integrated gradients: R references per sequence, each made
/// by a seeded, per-(sequence, reference) rule so results do not depend on batch size or threads.
/// </summary>
/// <remarks>
/// Default for DeepLIFT-SHAP: 20 dinucleotide shuffles of the sequence (tangermeme's <c>deep_lift_shap</c> default,
/// <c>n_shuffles=20</c>), shuffle j of sequence i drawn from <c>Rng.For(seed, i, j)</c>.
/// </remarks>
public sealed class AttributionReferences
{
    private readonly Kind _kind;
    private readonly float[] _background;
    private readonly Tensor? _given;

    private AttributionReferences(Kind kind, int count, long seed, float[] background, Tensor? given, string description)
    {
        _kind = kind;
        Count = count;
        Seed = seed;
        _background = background;
        _given = given;
        Description = description;
    }

    private enum Kind
    {
        Shuffle,
        Background,
        Given,
        PerSequence,
    }

    /// <summary>R, the references per sequence.</summary>
    public int Count { get; }

    /// <summary>The seed (used by shuffles).</summary>
    public long Seed { get; }

    /// <summary>For the result's metadata, e.g. <c>dinucleotide-shuffle x20</c>.</summary>
    public string Description { get; }

    /// <summary><paramref name="count"/> dinucleotide shuffles of each sequence (default 20).</summary>
    public static AttributionReferences DinucleotideShuffles(int count = 20, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return new(Kind.Shuffle, count, seed, [], null, "dinucleotide-shuffle x" + count.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The all-zero reference.</summary>
    public static AttributionReferences Zeros() => new(Kind.Background, 1, 0, [], null, "zeros");

    /// <summary>
    /// A constant background reference: every column is <paramref name="frequencies"/> (one per channel; default the GC-40 %
    /// genomic background A 0.3, C 0.2, G 0.2, T 0.3).
    /// </summary>
    public static AttributionReferences Background(IReadOnlyList<float>? frequencies = null)
    {
        float[] f = frequencies?.ToArray() ?? [0.3f, 0.2f, 0.2f, 0.3f];
        if (f.Length == 0 || f.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException("Background frequencies must be finite, one per channel.", nameof(frequencies));
        }

        return new(Kind.Background, 1, 0, f, null, "background(" + string.Join(",", f.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + ")");
    }

    /// <summary>The same <c>R</c> references <c>(R, C, L)</c> for every sequence.</summary>
    public static AttributionReferences Given(Tensor references, string description = "given")
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Rank < 2 || references.Shape[0] == 0)
        {
            throw new ArgumentException($"Given references must be (R, ...) with R ≥ 1; got {Tensor.FormatShape(references.Shape)}.", nameof(references));
        }

        return new(Kind.Given, references.Shape[0], 0, [], references.Clone(), description);
    }

    /// <summary>
    /// References chosen per sequence: <paramref name="references"/> is <c>(N·R, C, L)</c> and rows <c>i·R .. i·R + R − 1</c>
    /// are the references of sequence i (of the whole run, e.g. one baseline per sequence with R = 1).
    /// </summary>
    public static AttributionReferences PerSequence(Tensor references, int perSequence = 1, string description = "given")
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSequence);
        if (references.Rank < 2 || references.Shape[0] % perSequence != 0)
        {
            throw new ArgumentException($"Per-sequence references must be (N·{perSequence}, ...); got {Tensor.FormatShape(references.Shape)}.", nameof(references));
        }

        return new(Kind.PerSequence, perSequence, 0, [], references.Clone(), description);
    }

    /// <summary>Every record of a FASTA file, one-hot (N columns all zero), used as references for every sequence.</summary>
    public static AttributionReferences FromFasta(string path)
    {
        var records = FastaReader.ReadFile(path).ToList();
        if (records.Count == 0)
        {
            throw new IO.ParseException(path, 0, 0, "expected at least one reference sequence; the file has none.");
        }

        int length = records[0].Length;
        for (int i = 0; i < records.Count; i++)
        {
            if (records[i].Length != length)
            {
                throw new IO.ParseException(path, 0, 0, $"record {i + 1} ('{records[i].Id}') has length {records[i].Length}; references must all have length {length}.");
            }
        }

        return Given(OneHot.Encode(records.Select(r => r.Sequence).ToList()), "fasta:" + Path.GetFileName(path) + " x" + records.Count.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Writes reference <paramref name="referenceIndex"/> of the sequence <paramref name="sequence"/> (one sample, e.g.
    /// <c>(4, L)</c> flattened), whose index in the whole run is <paramref name="sequenceIndex"/>, into
    /// <paramref name="destination"/>.
    /// </summary>
    public void Fill(ReadOnlySpan<float> sequence, int channels, long sequenceIndex, int referenceIndex, Span<float> destination)
    {
        if (sequence.Length != destination.Length)
        {
            throw new ArgumentException($"Reference destination has {destination.Length} values; the sequence has {sequence.Length}.");
        }

        switch (_kind)
        {
            case Kind.Shuffle:
                if (channels != OneHot.Channels)
                {
                    throw new ArgumentException($"Dinucleotide shuffles need one-hot DNA (4 channels); got {channels}.");
                }

                DinucleotideShuffle.ShuffleOneHot(sequence, destination, Rng.For(Seed, sequenceIndex, referenceIndex));
                break;
            case Kind.Background:
                if (_background.Length == 0)
                {
                    destination.Clear();
                    break;
                }

                if (_background.Length != channels)
                {
                    throw new ArgumentException($"Background has {_background.Length} frequencies; the input has {channels} channels.");
                }

                int length = sequence.Length / channels;
                for (int c = 0; c < channels; c++)
                {
                    destination.Slice(c * length, length).Fill(_background[c]);
                }

                break;
            case Kind.Given:
                if (_given!.Length != Count * destination.Length)
                {
                    throw new ArgumentException($"Given references have shape {Tensor.FormatShape(_given.Shape)}; each must match the sequence's {destination.Length} values.");
                }

                _given.Data.AsSpan(referenceIndex * destination.Length, destination.Length).CopyTo(destination);
                break;
            default:
                long row = (sequenceIndex * Count) + referenceIndex;
                if (_given!.Length % destination.Length != 0 || (row + 1) * destination.Length > _given.Length)
                {
                    throw new ArgumentException($"Per-sequence references have shape {Tensor.FormatShape(_given.Shape)}; sequence {sequenceIndex} needs rows {sequenceIndex * Count}..{row} of {destination.Length} values.");
                }

                _given.Data.AsSpan(checked((int)(row * destination.Length)), destination.Length).CopyTo(destination);
                break;
        }
    }
}
