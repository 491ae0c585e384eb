namespace SeqLens.Datasets;

/// <summary>Options of <see cref="DatasetBuilder"/>.</summary>
public sealed record DatasetOptions
{
    /// <summary>Window width in bases, centred on the narrowPeak summit or else the peak centre (default 1000).</summary>
    public int Width { get; init; } = 1000;

    /// <summary>Negatives (default GC-matched genome windows).</summary>
    public NegativeKind Negatives { get; init; } = NegativeKind.GcMatched;

    /// <summary>Negatives per positive (default 1).</summary>
    public int NegativesPerPositive { get; init; } = 1;

    /// <summary>Seed of every random choice (default 1).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Chromosome hold-out (default test chr8/chr9, valid chr10).</summary>
    public ChromosomeSplit Split { get; init; } = ChromosomeSplit.Default;

    /// <summary>Add the reverse complement of every training example (valid and test stay as they are; default false).</summary>
    public bool ReverseComplementTrain { get; init; }

    /// <summary>
    /// A window is labelled 1 for a task when one of that task's peaks overlaps its central
    /// <see cref="LabelCore"/> bases (default 200, capped at the width).
    /// </summary>
    public int LabelCore { get; init; } = 200;

    /// <summary>Number of equal-width GC-fraction bins for matching negatives (default 20).</summary>
    public int GcBins { get; init; } = 20;

    /// <summary>Windows with a larger fraction of non-ACGT bases are never used (default 0.1).</summary>
    public double MaxAmbiguousFraction { get; init; } = 0.1;

    /// <summary>Random windows tried per requested GC-matched negative before giving up (default 200).</summary>
    public int MaxAttemptsPerNegative { get; init; } = 200;
}
