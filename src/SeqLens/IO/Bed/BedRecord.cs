using SeqLens.IO.Intervals;

namespace SeqLens.IO.Bed;

/// <summary>
/// One BED line, 0-based half-open [<see cref="Start"/>, <see cref="End"/>) as in the file. Columns beyond
/// <see cref="FieldCount"/> hold their defaults. BED3..BED9 and BED12 (UCSC), and ENCODE narrowPeak (BED6+4:
/// signalValue, pValue, qValue, peak = summit offset from <see cref="Start"/>, -1 when unknown).
/// </summary>
public sealed record BedRecord(string Chrom, long Start, long End)
{
    /// <summary>Columns present (3..9, 12; 10 for narrowPeak).</summary>
    public int FieldCount { get; init; } = 3;

    /// <summary>Column 4, or empty.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Column 5 (UCSC says 0..1000; any number is accepted), or null for '.' or absent.</summary>
    public double? Score { get; init; }

    /// <summary>Column 5 exactly as written (some files misuse it for a label, e.g. Selene's gene BED), or empty.</summary>
    public string ScoreText { get; init; } = string.Empty;

    /// <summary>Column 6.</summary>
    public Strand Strand { get; init; } = Strand.None;

    /// <summary>Column 7 (defaults to Start).</summary>
    public long ThickStart { get; init; }

    /// <summary>Column 8 (defaults to End).</summary>
    public long ThickEnd { get; init; }

    /// <summary>Column 9 as written ("0" or "r,g,b"), or empty.</summary>
    public string ItemRgb { get; init; } = string.Empty;

    /// <summary>Column 10 of BED12.</summary>
    public int BlockCount { get; init; }

    /// <summary>Column 11 of BED12.</summary>
    public IReadOnlyList<int> BlockSizes { get; init; } = [];

    /// <summary>Column 12 of BED12 (relative to Start).</summary>
    public IReadOnlyList<int> BlockStarts { get; init; } = [];

    /// <summary>True for a narrowPeak record.</summary>
    public bool IsNarrowPeak { get; init; }

    /// <summary>narrowPeak column 7.</summary>
    public double SignalValue { get; init; }

    /// <summary>narrowPeak column 8 (-log10 p; -1 when absent).</summary>
    public double PValue { get; init; } = -1;

    /// <summary>narrowPeak column 9 (-log10 q; -1 when absent).</summary>
    public double QValue { get; init; } = -1;

    /// <summary>narrowPeak column 10: summit offset from Start, or -1 when absent.</summary>
    public long Peak { get; init; } = -1;

    /// <summary>The summit (narrowPeak with peak &gt;= 0) or else the centre, as an absolute 0-based position.</summary>
    public long SummitOrCenter => IsNarrowPeak && Peak >= 0 ? Start + Peak : Start + ((End - Start) / 2);

    /// <summary>As a <see cref="GenomicInterval"/> (kind "bed", name in GeneName).</summary>
    public GenomicInterval ToInterval() => new(Chrom, Start, End, Strand) { Kind = "bed", GeneName = Name };
}
