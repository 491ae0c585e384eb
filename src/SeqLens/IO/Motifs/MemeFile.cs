namespace SeqLens.IO.Motifs;

/// <summary>The content of a MEME motif file: version, strands, background and motifs (see <see cref="MemeFormat"/>).</summary>
public sealed record MemeFile(string Version, string Strands, MotifBackground Background, IReadOnlyList<Motif> Motifs);
