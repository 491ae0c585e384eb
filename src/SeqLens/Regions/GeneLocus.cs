using SeqLens.IO.Gtf;
using SeqLens.IO.Intervals;

namespace SeqLens.Regions;

/// <summary>
/// A gene to score (<see cref="GeneLoci"/>): an annotation gene, or several merged into one locus. Id: the gene ids
/// joined by <c>+</c> (in order of start); 0-based half-open span; the transcripts of every member.
/// </summary>
public sealed record GeneLocus(string Id, string Name, string Chrom, Strand Strand, long Start, long End, IReadOnlyList<Transcript> Transcripts);
