using SeqLens.IO.Intervals;

namespace SeqLens.IO.Gtf;

/// <summary>
/// One GTF or GFF3 feature line, 1-based closed [<see cref="Start"/>, <see cref="End"/>] as in the file.
/// Attributes keep file order and repeated keys (GTF <c>tag</c>); GFF3 values are percent-decoded and
/// multi-valued attributes (e.g. <c>Parent=a,b</c>) are split by <see cref="GetValues"/>.
/// </summary>
public sealed record GtfRecord(string SeqName, string Source, string Feature, long Start, long End)
{
    /// <summary>Column 6, or null for '.'.</summary>
    public double? Score { get; init; }

    /// <summary>Column 7.</summary>
    public Strand Strand { get; init; }

    /// <summary>Column 8 (frame/phase 0, 1, 2), or null for '.'.</summary>
    public int? Frame { get; init; }

    /// <summary>Column 9 as (key, value) pairs in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];

    /// <summary>1-based line in the source file (for error messages downstream).</summary>
    public long Line { get; init; }

    /// <summary>The first value of attribute <paramref name="key"/>, or null.</summary>
    public string? GetAttribute(string key)
    {
        foreach (var kv in Attributes)
        {
            if (kv.Key == key)
            {
                return kv.Value;
            }
        }

        return null;
    }

    /// <summary>All values of <paramref name="key"/>: repeated keys and comma-separated GFF3 values.</summary>
    public IReadOnlyList<string> GetValues(string key, bool splitCommas = true)
    {
        var result = new List<string>();
        foreach (var kv in Attributes)
        {
            if (kv.Key == key)
            {
                if (splitCommas)
                {
                    result.AddRange(kv.Value.Split(',', StringSplitOptions.RemoveEmptyEntries));
                }
                else
                {
                    result.Add(kv.Value);
                }
            }
        }

        return result;
    }

    /// <summary>As a 0-based half-open <see cref="GenomicInterval"/> [Start - 1, End) of kind <see cref="Feature"/>.</summary>
    public GenomicInterval ToInterval() => new(SeqName, Start - 1, End, Strand) { Kind = Feature };
}
