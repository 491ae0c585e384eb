using System.Globalization;
using SeqLens.IO;

namespace SeqLens.Sequences.Simulation;

/// <summary>
/// Writes a <see cref="CancerResult"/> to a folder, each file atomically: <c>sequences.fa</c> (<c>&gt;contig:start-end</c>
/// then the window), <c>labels.tsv</c> (<c>name tumour</c>, 0/1), <c>mutations.tsv</c> (the truth, VCF-like: sequence,
/// class, chrom, pos = 1-based genome position, window_offset 0-based, kind SNV/INS/DEL, ref, alt ("-" for none),
/// in_target_exon 0/1, gene, hotspot 0/1), <c>windows.bed</c> (each window's reference interval, 0-based genome coordinates, named
/// by the sequence, score 1 for tumour and 0 for normal; usable as <c>seqlens regions --bed</c>) and
/// <c>target_exons.bed</c> (merged target-gene exons, genome coordinates) and <c>hotspots.bed</c> (one line per
/// hotspot, genome coordinates, named <c>gene:ref&gt;alt</c>; empty without hotspots).
/// </summary>
public static class CancerWriter
{
    /// <summary>The files written, in order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["sequences.fa", "labels.tsv", "mutations.tsv", "windows.bed", "target_exons.bed", "hotspots.bed"];

    /// <summary>Writes the files into <paramref name="directory"/> (created when missing).</summary>
    /// <param name="directory">Output folder.</param>
    /// <param name="result">The simulation.</param>
    /// <param name="shuffleLabelsSeed">
    /// For a negative control: when given, <c>labels.tsv</c> holds the classes permuted among the windows (a uniform
    /// permutation drawn with <c>Rng.For(seed, -2)</c>), so a model trained on it cannot learn the planted mutations; the
    /// true classes stay in <c>mutations.tsv</c> and <c>windows.bed</c>.
    /// </param>
    public static void Write(string directory, CancerResult result, long? shuffleLabelsSeed = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        var ic = CultureInfo.InvariantCulture;
        AtomicFile.WriteText(Path.Combine(directory, "sequences.fa"), w =>
        {
            foreach (CancerWindow x in result.Windows)
            {
                w.Write($">{x.Name}\n{x.Sequence}\n");
            }
        });
        AtomicFile.WriteText(Path.Combine(directory, "labels.tsv"), w =>
        {
            w.Write("name\ttumour\n");
            bool[] classes = [.. result.Windows.Select(x => x.Tumour)];
            if (shuffleLabelsSeed is long seed)
            {
                Rng rng = Rng.For(seed, -2);
                for (int i = classes.Length - 1; i > 0; i--)
                {
                    int j = rng.NextInt(i + 1);
                    (classes[i], classes[j]) = (classes[j], classes[i]);
                }
            }

            for (int i = 0; i < classes.Length; i++)
            {
                w.Write($"{result.Windows[i].Name}\t{(classes[i] ? 1 : 0)}\n");
            }
        });
        AtomicFile.WriteText(Path.Combine(directory, "mutations.tsv"), w =>
        {
            w.Write("sequence\tclass\tchrom\tpos\twindow_offset\tkind\tref\talt\tin_target_exon\tgene\thotspot\n");
            foreach (CancerWindow x in result.Windows)
            {
                foreach (CancerMutation m in x.Mutations)
                {
                    w.Write(string.Create(ic, $"{x.Name}\t{(x.Tumour ? "tumour" : "normal")}\t{result.Contig}\t{result.GenomeOffset + m.Position + 1}\t{m.WindowOffset}\t{m.Kind}\t{m.Ref}\t{m.Alt}\t{(m.InTargetExon ? 1 : 0)}\t{m.Gene}\t{(m.Hotspot ? 1 : 0)}\n"));
                }
            }
        });
        AtomicFile.WriteText(Path.Combine(directory, "windows.bed"), w =>
        {
            foreach (CancerWindow x in result.Windows)
            {
                long s = result.GenomeOffset + x.SourceStart;
                w.Write(string.Create(ic, $"{result.Contig}\t{s}\t{s + x.Sequence.Length}\t{x.Name}\t{(x.Tumour ? 1 : 0)}\t+\n"));
            }
        });
        AtomicFile.WriteText(Path.Combine(directory, "target_exons.bed"), w =>
        {
            foreach (var (s, e) in result.TargetExons)
            {
                w.Write(string.Create(ic, $"{result.Contig}\t{result.GenomeOffset + s}\t{result.GenomeOffset + e}\n"));
            }
        });
        AtomicFile.WriteText(Path.Combine(directory, "hotspots.bed"), w =>
        {
            foreach (CancerHotspot h in result.Hotspots)
            {
                long s = result.GenomeOffset + h.Position;
                w.Write(string.Create(ic, $"{result.Contig}\t{s}\t{s + 1}\t{h.Gene}:{h.Ref}>{h.Alt}\n"));
            }
        });
    }
}
