using System.Globalization;
using SeqLens.IO.Npy;

namespace SeqLens.Attribution;

/// <summary>
/// Writes an <see cref="AttributionResult"/> as npz (atomically): <c>onehot</c>, <c>contrib</c>, <c>hypothetical</c>
/// (all <c>(N, C, L)</c> float32; <c>hypothetical</c> only when the method has one), <c>delta</c> and <c>target_delta</c>
/// (<c>(N, R)</c> float64), <c>names</c> (N strings) and the metadata <c>method</c>, <c>rule</c>, <c>references</c>,
/// <c>target</c>, <c>model_hash</c> (1-element string arrays) and <c>seed</c> (int64).
/// </summary>
public static class AttributionNpz
{
    /// <summary>Writes <paramref name="result"/> for sequences <paramref name="oneHot"/> named <paramref name="names"/>.</summary>
    public static void Write(string path, AttributionResult result, Tensor oneHot, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(oneHot);
        ArgumentNullException.ThrowIfNull(names);
        if (!oneHot.SameShape(result.Contributions) || names.Count != oneHot.Shape[0])
        {
            throw new ArgumentException($"One-hot {Tensor.FormatShape(oneHot.Shape)}, contributions {Tensor.FormatShape(result.Contributions.Shape)} and {names.Count} names must describe the same sequences.");
        }

        long n = oneHot.Shape[0];
        long r = result.ReferencesPerSequence;
        var arrays = new List<KeyValuePair<string, NpyArray>>
        {
            new("onehot", NpyArray.FromTensor(oneHot)),
            new("contrib", NpyArray.FromTensor(result.Contributions)),
        };
        if (result.Hypothetical is not null)
        {
            arrays.Add(new("hypothetical", NpyArray.FromTensor(result.Hypothetical)));
        }

        arrays.Add(new("delta", NpyArray.FromDouble(result.Deltas, n, r)));
        arrays.Add(new("target_delta", NpyArray.FromDouble(result.TargetDeltas, n, r)));
        arrays.Add(new("names", NpyArray.FromStrings(names.ToArray())));
        arrays.Add(new("method", NpyArray.FromStrings([result.Method])));
        arrays.Add(new("rule", NpyArray.FromStrings([result.Rule])));
        arrays.Add(new("references", NpyArray.FromStrings([result.References])));
        arrays.Add(new("target", NpyArray.FromStrings([result.Target])));
        arrays.Add(new("model_hash", NpyArray.FromStrings([result.ModelHash])));
        arrays.Add(new("seed", NpyArray.FromInt64([result.Seed], 1)));
        arrays.Add(new("max_delta", NpyArray.FromDouble([result.Audit?.MaxDelta ?? double.NaN], 1)));
        NpzFile.Write(path, arrays);
    }

    /// <summary>
    /// The two files tfmodisco-lite's <c>modisco motifs -s ohe.npz -a shap.npz</c> reads: each an npz whose single member
    /// <c>arr_0</c> is <c>(N, 4, L)</c> float32 — the one-hot sequences and the hypothetical contributions (the tool takes
    /// <c>np.load(path)['arr_0']</c> and transposes to <c>(N, L, 4)</c> itself).
    /// </summary>
    public static void WriteModisco(string sequencesPath, string attributionsPath, AttributionResult result, Tensor oneHot)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(oneHot);
        Tensor hyp = result.Hypothetical ?? throw new ArgumentException($"Method '{result.Method}' has no hypothetical contributions; tfmodisco-lite needs them.", nameof(result));
        if (oneHot.Rank != 3 || oneHot.Shape[1] != 4 || !oneHot.SameShape(hyp))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"tfmodisco-lite needs (N, 4, L) sequences and scores of the same shape; got {Tensor.FormatShape(oneHot.Shape)} and {Tensor.FormatShape(hyp.Shape)}."));
        }

        NpzFile.Write(sequencesPath, [new("arr_0", NpyArray.FromTensor(oneHot))]);
        NpzFile.Write(attributionsPath, [new("arr_0", NpyArray.FromTensor(hyp))]);
    }
}
