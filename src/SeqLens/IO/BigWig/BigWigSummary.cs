namespace SeqLens.IO.BigWig;

/// <summary>Summary statistics of covered bases (the bigWig total summary or one zoom record):
/// <see cref="ValidCount"/> bases with data, their min, max, sum and sum of squares (each base weighted once).</summary>
public readonly record struct BigWigSummary(long ValidCount, double Min, double Max, double Sum, double SumSquares)
{
    /// <summary>Mean over covered bases (NaN when none).</summary>
    public double Mean => ValidCount == 0 ? double.NaN : Sum / ValidCount;
}
