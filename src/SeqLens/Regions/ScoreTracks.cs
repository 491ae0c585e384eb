using SeqLens.IO;
using SeqLens.IO.Npy;

namespace SeqLens.Regions;

/// <summary>
/// Per-nucleotide score tracks of named sequences, read from an npz: <c>names</c> (N strings) and a float32/float64
/// score array of shape (N, L) or (N, 4, L). The score array is the named member, else the first of
/// <see cref="KnownMembers"/> present, else the only float member besides <c>onehot</c>. (N, 4, L) arrays are reduced per
/// <see cref="BaseReduction"/>; <see cref="BaseReduction.Observed"/> needs an <c>onehot</c> member of the same shape.
/// </summary>
public sealed class ScoreTracks
{
    /// <summary>
    /// Score members looked for, in order: <c>scores</c>, <c>attributions</c>, <c>contrib</c> (<c>seqlens attribute</c>:
    /// actual contributions, (N, 4, L)), <c>nucleotide</c> (<c>seqlens gradcam</c>: cam at nucleotide resolution, (N, L)).
    /// </summary>
    public static IReadOnlyList<string> KnownMembers { get; } = ["scores", "attributions", "contrib", "nucleotide"];

    /// <summary>Tracks with names.</summary>
    public ScoreTracks(IReadOnlyList<string> names, IReadOnlyList<float[]> tracks)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(tracks);
        if (names.Count != tracks.Count)
        {
            throw new ArgumentException($"{names.Count} names for {tracks.Count} tracks", nameof(tracks));
        }

        Names = names;
        Tracks = tracks;
    }

    /// <summary>Sequence names (headers).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>One float32 array per sequence.</summary>
    public IReadOnlyList<float[]> Tracks { get; }

    /// <summary>Track lengths.</summary>
    public IReadOnlyList<int> Lengths => Tracks.Select(t => t.Length).ToArray();

    /// <summary>
    /// Each track divided by its mean absolute value over non-NaN bases (a track of zeros stays zeros), so every sequence
    /// carries the same total score and a region's share measures where a sequence puts its score, not how much it
    /// has (Grad-CAM's scale differs from sequence to sequence and between classes).
    /// </summary>
    public ScoreTracks PerSequenceNormalized()
    {
        var result = new float[Tracks.Count][];
        for (int i = 0; i < Tracks.Count; i++)
        {
            float[] t = Tracks[i];
            double sum = 0;
            int n = 0;
            foreach (float v in t)
            {
                if (!float.IsNaN(v))
                {
                    sum += Math.Abs(v);
                    n++;
                }
            }

            float scale = sum > 0 ? (float)(n / sum) : 1f;
            result[i] = t.Select(v => v * scale).ToArray();
        }

        return new ScoreTracks(Names, result);
    }

    /// <summary>Reads <paramref name="path"/>; <see cref="ParseException"/> (record 0) when members are missing or mis-shaped.</summary>
    /// <param name="path">The npz file.</param>
    /// <param name="reduction">How (N, 4, L) scores become one value per base.</param>
    /// <param name="member">The score member to read (default: the first of <see cref="KnownMembers"/> present).</param>
    public static ScoreTracks Read(string path, BaseReduction reduction = BaseReduction.Sum, string? member = null)
    {
        var members = NpzFile.Read(path).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (!members.TryGetValue("names", out NpyArray? namesArray) || namesArray.DType != NpyDType.Unicode)
        {
            throw new ParseException(path, 0, 0, $"expected a string member 'names'; members: {string.Join(", ", members.Keys)}");
        }

        string[] names = namesArray.AsStrings();
        NpyArray scores;
        if (member is not null)
        {
            scores = members.TryGetValue(member, out NpyArray? chosen) ? chosen
                : throw new ParseException(path, 0, 0, $"no member '{member}'; members: {string.Join(", ", members.Keys)}");
        }
        else
        {
            scores = KnownMembers.FirstOrDefault(members.ContainsKey) is { } known ? members[known]
                : members.Where(p => p.Key is not "names" and not "onehot" && p.Value.DType is NpyDType.Float32 or NpyDType.Float64).Select(p => p.Value).ToList() is [var only] ? only
                : throw new ParseException(path, 0, 0, $"expected a float member {string.Join(", ", KnownMembers.Select(k => "'" + k + "'"))} (or a single float array besides 'onehot'), or name one; members: {string.Join(", ", members.Keys)}");
        }
        double[] values = scores.DType switch
        {
            NpyDType.Float32 => scores.AsSingle().Select(v => (double)v).ToArray(),
            NpyDType.Float64 => scores.AsDouble(),
            _ => throw new ParseException(path, 0, 0, $"scores must be float32 or float64; got {scores.Descr}"),
        };
        IReadOnlyList<long> shape = scores.Shape;
        if (shape.Count is not (2 or 3) || shape[0] != names.Length || (shape.Count == 3 && shape[1] != 4))
        {
            throw new ParseException(path, 0, 0, $"scores must have shape (N, L) or (N, 4, L) with N = {names.Length} names; got ({string.Join(", ", shape)})");
        }

        int n = names.Length, len = checked((int)shape[^1]);
        var tracks = new float[n][];
        if (shape.Count == 2)
        {
            for (int i = 0; i < n; i++)
            {
                tracks[i] = new float[len];
                for (int j = 0; j < len; j++)
                {
                    tracks[i][j] = (float)values[((long)i * len) + j];
                }
            }

            return new ScoreTracks(names, tracks);
        }

        float[]? onehot = null;
        if (reduction == BaseReduction.Observed)
        {
            if (!members.TryGetValue("onehot", out NpyArray? oh))
            {
                throw new ParseException(path, 0, 0, "reduction 'observed' needs an 'onehot' member (N, 4, L) next to the scores");
            }

            if (!oh.Shape.SequenceEqual(shape))
            {
                throw new ParseException(path, 0, 0, $"'onehot' has shape ({string.Join(", ", oh.Shape)}); scores have ({string.Join(", ", shape)})");
            }

            onehot = oh.DType switch
            {
                NpyDType.Float32 => oh.AsSingle(),
                NpyDType.Float64 => oh.AsDouble().Select(v => (float)v).ToArray(),
                NpyDType.UInt8 => oh.AsUInt8().Select(v => (float)v).ToArray(),
                NpyDType.Bool => oh.AsBool().Select(v => v ? 1f : 0f).ToArray(),
                _ => throw new ParseException(path, 0, 0, $"'onehot' must be float, uint8 or bool; got {oh.Descr}"),
            };
        }

        for (int i = 0; i < n; i++)
        {
            tracks[i] = new float[len];
            for (int j = 0; j < len; j++)
            {
                double acc = 0;
                for (int c = 0; c < 4; c++)
                {
                    long k = (((long)i * 4) + c) * len + j;
                    acc += onehot is null ? values[k] : values[k] * onehot[k];
                }

                tracks[i][j] = (float)acc;
            }
        }

        return new ScoreTracks(names, tracks);
    }
}
