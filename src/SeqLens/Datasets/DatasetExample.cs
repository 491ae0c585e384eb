using SeqLens.IO.Intervals;

namespace SeqLens.Datasets;

/// <summary>One example: its id, the 0-based half-open source window, the strand it was read from ('-' for reverse-
/// complement copies), its kind ("positive", "gc_negative", "shuffle", with "_rc" for augmented copies), split,
/// one 0/1 label per task and the sequence.</summary>
public sealed record DatasetExample(string Id, string Chrom, long Start, long End, Strand Strand, string Kind, DatasetSplit Split, IReadOnlyList<int> Labels, string Sequence);
