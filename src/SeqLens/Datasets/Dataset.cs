using System.Globalization;
using SeqLens.IO.Fasta;
using SeqLens.IO.Intervals;
using SeqLens.IO.Tsv;

namespace SeqLens.Datasets;

/// <summary>A built dataset: task names, examples in a deterministic order, and notes on what was skipped.</summary>
public sealed class Dataset
{
    internal Dataset(IReadOnlyList<string> tasks, IReadOnlyList<DatasetExample> examples, IReadOnlyList<string> notes)
    {
        Tasks = tasks;
        Examples = examples;
        Notes = notes;
    }

    public IReadOnlyList<string> Tasks { get; }

    public IReadOnlyList<DatasetExample> Examples { get; }

    /// <summary>Human-readable notes: skipped peaks (off-chromosome, unknown contig, too many N), negatives not found.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// Writes <c>train.fa</c>, <c>valid.fa</c>, <c>test.fa</c> (60 columns; header = id, then
    /// <c>chrom:start-end(strand) kind</c>) and <c>labels.tsv</c> (id, chrom, start, end, strand, kind, split, one
    /// column per task) into <paramref name="directory"/>, each atomically.
    /// </summary>
    public void Write(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        foreach (DatasetSplit split in Enum.GetValues<DatasetSplit>())
        {
            FastaWriter.WriteFile(Path.Combine(directory, split.ToString().ToLowerInvariant() + ".fa"),
                Examples.Where(e => e.Split == split).Select(e => new FastaRecord(e.Id, string.Create(CultureInfo.InvariantCulture, $"{e.Chrom}:{e.Start}-{e.End}({e.Strand.ToChar()}) {e.Kind}"), e.Sequence)));
        }

        var header = new List<string> { "id", "chrom", "start", "end", "strand", "kind", "split" };
        header.AddRange(Tasks);
        TsvWriter.WriteFile(Path.Combine(directory, "labels.tsv"), header, Examples.Select(e =>
        {
            var row = new List<object?> { e.Id, e.Chrom, e.Start, e.End, e.Strand.ToChar(), e.Kind, e.Split.ToString().ToLowerInvariant() };
            row.AddRange(e.Labels.Cast<object?>());
            return row.ToArray();
        }));
    }

    /// <summary>Number of examples of <paramref name="split"/>.</summary>
    public int Count(DatasetSplit split) => Examples.Count(e => e.Split == split);
}
