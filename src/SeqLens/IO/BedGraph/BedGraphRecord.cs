namespace SeqLens.IO.BedGraph;

/// <summary>One bedGraph interval: value <see cref="Value"/> over 0-based half-open [<see cref="Start"/>, <see cref="End"/>) of <see cref="Chrom"/>.</summary>
public readonly record struct BedGraphRecord(string Chrom, long Start, long End, float Value);
