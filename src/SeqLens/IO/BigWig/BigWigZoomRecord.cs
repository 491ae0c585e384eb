namespace SeqLens.IO.BigWig;

/// <summary>One zoom-level summary: bases [<see cref="Start"/>, <see cref="End"/>) of <see cref="Chrom"/> summarised (float32 in the file).</summary>
public readonly record struct BigWigZoomRecord(string Chrom, long Start, long End, BigWigSummary Summary);
