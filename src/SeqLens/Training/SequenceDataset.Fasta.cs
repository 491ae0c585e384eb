using SeqLens.IO;
using SeqLens.IO.Fasta;
using SeqLens.Sequences;

namespace SeqLens.Training;

/// <remarks>
/// FASTA loaders. Every record must have the model's length <c>L</c>; a record of another length is a
/// <see cref="ParseException"/> naming it, unless <c>fitLength</c> is set, in which case it is centre-cropped or padded
/// with all-zero columns (<see cref="SequenceAlignment.Center"/>). N and other ambiguous bases give all-zero columns.
/// </remarks>
public sealed partial record SequenceDataset
{
    /// <summary>Unlabelled sequences from <paramref name="fasta"/>.</summary>
    public static SequenceDataset FromFasta(string fasta, int length, bool fitLength = false)
    {
        List<FastaRecord> records = ReadRecords(fasta, length, fitLength);
        return new SequenceDataset(records.Select(r => r.Id).ToArray(), Encode(records, length), null, []);
    }

    /// <summary>One binary task: records of <paramref name="positives"/> labelled 1, then those of <paramref name="negatives"/> labelled 0.</summary>
    public static SequenceDataset FromPositivesAndNegatives(string positives, string negatives, int length, bool fitLength = false, string taskName = "task0")
    {
        List<FastaRecord> pos = ReadRecords(positives, length, fitLength);
        List<FastaRecord> neg = ReadRecords(negatives, length, fitLength);
        if (pos.Count == 0 || neg.Count == 0)
        {
            throw new ParseException(pos.Count == 0 ? positives : negatives, 0, 0, "no sequences; training needs both positives and negatives.");
        }

        var all = pos.Concat(neg).ToList();
        var y = new Tensor(all.Count, 1);
        y.Data.AsSpan(0, pos.Count).Fill(1f);
        return new SequenceDataset(all.Select(r => r.Id).ToArray(), Encode(all, length), y, [taskName]);
    }

    /// <summary>Sequences of <paramref name="fasta"/> with their rows of <paramref name="labels"/> (see <see cref="LabelTable"/>), matched by id.</summary>
    public static SequenceDataset FromFastaAndLabels(string fasta, string labels, int length, bool fitLength = false)
    {
        List<FastaRecord> records = ReadRecords(fasta, length, fitLength);
        LabelTable table = LabelTable.Read(labels);
        int tasks = table.TaskNames.Count;
        var y = new Tensor(records.Count, tasks);
        for (int i = 0; i < records.Count; i++)
        {
            if (!table.TryGet(records[i].Id, out float[] row))
            {
                throw new ParseException(labels, 0, 0, $"no labels for sequence '{records[i].Id}' (record {i + 1} of {fasta}).");
            }

            row.CopyTo(y.Data, i * tasks);
        }

        return new SequenceDataset(records.Select(r => r.Id).ToArray(), Encode(records, length), y, table.TaskNames);
    }

    private static List<FastaRecord> ReadRecords(string path, int length, bool fitLength)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var records = new List<FastaRecord>();
        foreach (FastaRecord r in FastaReader.ReadFile(path))
        {
            if (r.Length != length && !fitLength)
            {
                throw new ParseException(path, 0, 0, $"record {records.Count + 1} '{r.Id}' has {r.Length} bases; the model takes {length} (pass --fit-length to centre-crop or pad).");
            }

            records.Add(r);
        }

        return records;
    }

    private static Tensor Encode(List<FastaRecord> records, int length)
        => OneHot.Encode(records.Select(r => r.Sequence).ToArray(), length, AmbiguousBases.Zero, SequenceAlignment.Center);
}
