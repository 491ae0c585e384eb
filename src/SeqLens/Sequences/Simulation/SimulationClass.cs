namespace SeqLens.Sequences.Simulation;

/// <summary>A class of simulated sequences (e.g. <c>gata_only</c>): a name and the motifs it embeds.</summary>
/// <param name="Name">Class name; sequences are named <c>{Name}_{index within the class}</c>.</param>
/// <param name="Embeddings">Motifs to embed (none for an empty, background-only class).</param>
public sealed record SimulationClass(string Name, IReadOnlyList<MotifEmbedding> Embeddings);
