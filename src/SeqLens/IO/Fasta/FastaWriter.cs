namespace SeqLens.IO.Fasta;

/// <summary>Writes FASTA records with a fixed line width (default 60, as samtools; 80 is the other common choice)
/// and LF line endings, so the output can be indexed by <see cref="FaiIndex"/> and samtools.</summary>
public sealed class FastaWriter
{
    private readonly TextWriter _writer;
    private readonly int _lineWidth;

    /// <summary>Writes to <paramref name="writer"/>, wrapping sequences every <paramref name="lineWidth"/> bases.</summary>
    public FastaWriter(TextWriter writer, int lineWidth = 60)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lineWidth);
        _writer = writer;
        _lineWidth = lineWidth;
    }

    /// <summary>Writes one record.</summary>
    public void Write(FastaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Id.Length == 0 || record.Id.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            throw new ArgumentException($"FASTA record id must be non-empty without whitespace; got '{record.Id}'", nameof(record));
        }

        if (record.Description.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"FASTA description of '{record.Id}' contains a line break", nameof(record));
        }

        _writer.Write('>');
        _writer.Write(record.Header);
        _writer.Write('\n');
        ReadOnlySpan<char> seq = record.Sequence;
        for (int i = 0; i < seq.Length; i += _lineWidth)
        {
            _writer.Write(seq.Slice(i, Math.Min(_lineWidth, seq.Length - i)));
            _writer.Write('\n');
        }
    }

    /// <summary>Writes records to <paramref name="path"/> atomically.</summary>
    public static void WriteFile(string path, IEnumerable<FastaRecord> records, int lineWidth = 60)
    {
        ArgumentNullException.ThrowIfNull(records);
        AtomicFile.WriteText(path, w =>
        {
            var writer = new FastaWriter(w, lineWidth);
            foreach (FastaRecord r in records)
            {
                writer.Write(r);
            }
        });
    }
}
