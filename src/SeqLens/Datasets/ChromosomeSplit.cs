namespace SeqLens.Datasets;

/// <summary>
/// Assigns examples to train/valid/test by chromosome, so that no test region shares a chromosome with training
/// data. Defaults: test = chr8, chr9; valid = chr10; every other chromosome trains (a common hold-out, e.g. in
/// DeepSEA-style setups with a separate validation chromosome). Names match with or without a "chr" prefix.
/// </summary>
public sealed class ChromosomeSplit
{
    private readonly HashSet<string> _valid;
    private readonly HashSet<string> _test;

    /// <summary>A split holding out <paramref name="test"/> and <paramref name="valid"/> (must be disjoint).</summary>
    public ChromosomeSplit(IEnumerable<string> test, IEnumerable<string> valid)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(valid);
        _test = test.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        _valid = valid.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        string? both = _test.FirstOrDefault(_valid.Contains);
        if (both is not null)
        {
            throw new ArgumentException($"chromosome '{both}' is in both the test and the validation list");
        }

        Test = [.. _test.Order(StringComparer.Ordinal)];
        Valid = [.. _valid.Order(StringComparer.Ordinal)];
    }

    /// <summary>The default split: test chr8, chr9; valid chr10.</summary>
    public static ChromosomeSplit Default { get; } = new(["chr8", "chr9"], ["chr10"]);

    /// <summary>Test chromosomes (normalised, without "chr").</summary>
    public IReadOnlyList<string> Test { get; }

    /// <summary>Validation chromosomes (normalised, without "chr").</summary>
    public IReadOnlyList<string> Valid { get; }

    /// <summary>The split of <paramref name="chrom"/>.</summary>
    public DatasetSplit Of(string chrom)
    {
        string c = Normalize(chrom);
        return _test.Contains(c) ? DatasetSplit.Test : _valid.Contains(c) ? DatasetSplit.Valid : DatasetSplit.Train;
    }

    private static string Normalize(string chrom)
    {
        ArgumentNullException.ThrowIfNull(chrom);
        string c = chrom.Trim();
        return c.StartsWith("chr", StringComparison.OrdinalIgnoreCase) ? c[3..] : c;
    }
}
