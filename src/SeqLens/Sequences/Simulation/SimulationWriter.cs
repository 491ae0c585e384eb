using System.Globalization;
using SeqLens.IO;

namespace SeqLens.Sequences.Simulation;

/// <summary>
/// Writes a <see cref="SimulationResult"/> to a folder, each file atomically: <c>sequences.fa</c> (FASTA, one line per
/// sequence), <c>labels.tsv</c> (header <c>name</c> + task names, then 0/1), <c>truth.bed</c> (BED6: sequence name,
/// 0-based start, end, motif, log-odds score with 3 decimals, strand) and <c>simdata.tsv</c> (the DeepLIFT simdata
/// layout: <c>seqName sequence embeddings</c> + tasks).
/// </summary>
public static class SimulationWriter
{
    /// <summary>The files written, in order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["sequences.fa", "labels.tsv", "truth.bed", "simdata.tsv"];

    /// <summary>Writes the four files into <paramref name="directory"/> (created when missing).</summary>
    public static void Write(string directory, SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        AtomicFile.WriteText(Path.Combine(directory, "sequences.fa"), w => WriteFasta(w, result));
        AtomicFile.WriteText(Path.Combine(directory, "labels.tsv"), w => WriteLabels(w, result));
        AtomicFile.WriteText(Path.Combine(directory, "truth.bed"), w => WriteBed(w, result));
        AtomicFile.WriteText(Path.Combine(directory, "simdata.tsv"), w => WriteSimdata(w, result));
    }

    /// <summary>FASTA: <c>&gt;name</c> then the sequence on one line.</summary>
    public static void WriteFasta(TextWriter writer, SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        foreach (SimulatedSequence s in result.Sequences)
        {
            writer.Write('>');
            writer.Write(s.Name);
            writer.Write('\n');
            writer.Write(s.Sequence);
            writer.Write('\n');
        }
    }

    /// <summary>Tab-separated labels with a header row: <c>name</c>, then one column per task.</summary>
    public static void WriteLabels(TextWriter writer, SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.Write("name\t" + string.Join('\t', result.TaskNames) + "\n");
        foreach (SimulatedSequence s in result.Sequences)
        {
            writer.Write(s.Name + "\t" + string.Join('\t', s.Labels.Select(l => l.ToString(CultureInfo.InvariantCulture))) + "\n");
        }
    }

    /// <summary>BED6 ground truth, one line per motif instance, in sequence order then by start.</summary>
    public static void WriteBed(TextWriter writer, SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        foreach (SimulatedSequence s in result.Sequences)
        {
            foreach (MotifInstance m in s.Instances)
            {
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{s.Name}\t{m.Start}\t{m.End}\t{m.Motif}\t{m.Score:F3}\t{m.Strand}\n"));
            }
        }
    }

    /// <summary>DeepLIFT simdata TSV: <c>seqName sequence embeddings</c> + one column per task.</summary>
    public static void WriteSimdata(TextWriter writer, SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.Write("seqName\tsequence\tembeddings\t" + string.Join('\t', result.TaskNames) + "\n");
        foreach (SimulatedSequence s in result.Sequences)
        {
            writer.Write(s.Name + "\t" + s.Sequence + "\t" + s.Embeddings + "\t"
                + string.Join('\t', s.Labels.Select(l => l.ToString(CultureInfo.InvariantCulture))) + "\n");
        }
    }
}
