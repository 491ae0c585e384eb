using System.Buffers;
using System.Text;
using SeqLens.IO.Text;

namespace SeqLens.IO.Fasta;

/// <summary>
/// Streaming FASTA reader: one record at a time, memory bounded by the largest record. Reads plain, gzip and
/// bgzip files (detected by magic bytes), multi-line records, LF or CRLF line endings.
/// </summary>
/// <remarks>
/// Rules: the first non-blank line must start with '&gt;'; blank lines are skipped; sequence lines may hold
/// letters (any case, so IUPAC codes and soft-masking are kept verbatim), '*' and '-'; anything else (digits,
/// spaces, tabs) is a <see cref="ParseException"/> with line and column. An empty record (a header followed by
/// another header or the end of file) is an error by default, since it usually means a truncated or
/// concatenated file; pass <c>allowEmptyRecords: true</c> to receive it as a record with an empty sequence.
/// </remarks>
public sealed class FastaReader : IDisposable
{
    private static readonly SearchValues<byte> SequenceBytes =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*-"u8);

    private readonly ByteLineReader _lines;
    private readonly bool _allowEmpty;
    private byte[] _seq = new byte[1 << 16];
    private string? _pendingHeader;
    private long _pendingHeaderLine;
    private bool _started;

    /// <summary>Reads FASTA from <paramref name="stream"/> (already decompressed); <paramref name="source"/> names it in errors.</summary>
    public FastaReader(Stream stream, string source, bool allowEmptyRecords = false, bool leaveOpen = false)
    {
        _lines = new ByteLineReader(stream, source, leaveOpen);
        _allowEmpty = allowEmptyRecords;
    }

    /// <summary>Opens a FASTA file (plain, gzip or bgzip).</summary>
    public static FastaReader Open(string path, bool allowEmptyRecords = false)
        => new(CompressedInput.Open(path), path, allowEmptyRecords);

    /// <summary>Streams every record of a FASTA file.</summary>
    public static IEnumerable<FastaRecord> ReadFile(string path, bool allowEmptyRecords = false)
    {
        using var reader = Open(path, allowEmptyRecords);
        while (reader.Read() is { } record)
        {
            yield return record;
        }
    }

    /// <summary>Reads the next record, or null at end of input.</summary>
    public FastaRecord? Read()
    {
        string? header = _pendingHeader;
        long headerLine = _pendingHeaderLine;
        _pendingHeader = null;
        int length = 0;
        while (_lines.TryReadLine(out ReadOnlySpan<byte> line))
        {
            if (line.IsEmpty)
            {
                continue;
            }

            if (line[0] == (byte)'>')
            {
                string h = Encoding.UTF8.GetString(line[1..]);
                if (header is null)
                {
                    header = h;
                    headerLine = _lines.LineNumber;
                    _started = true;
                    continue;
                }

                _pendingHeader = h;
                _pendingHeaderLine = _lines.LineNumber;
                break;
            }

            if (header is null)
            {
                throw new ParseException(_lines.Source, _lines.LineNumber, 1, _started
                    ? "sequence line without a header"
                    : "expected a FASTA header line starting with '>' (is this a FASTA file?)");
            }

            int bad = line.IndexOfAnyExcept(SequenceBytes);
            if (bad >= 0)
            {
                throw new ParseException(_lines.Source, _lines.LineNumber, bad + 1,
                    $"unexpected character '{(char)line[bad]}' (0x{line[bad]:x2}) in sequence of record '{FastaRecord.SplitHeader(header).Id}'; expected letters, '*' or '-'");
            }

            if (length + line.Length > _seq.Length)
            {
                Array.Resize(ref _seq, Math.Max(_seq.Length * 2, length + line.Length));
            }

            line.CopyTo(_seq.AsSpan(length));
            length += line.Length;
        }

        if (header is null)
        {
            return null;
        }

        var (id, description) = FastaRecord.SplitHeader(header);
        if (id.Length == 0)
        {
            throw new ParseException(_lines.Source, headerLine, 2, "empty record name after '>'");
        }

        if (length == 0 && !_allowEmpty)
        {
            throw new ParseException(_lines.Source, headerLine, 1, $"record '{id}' has no sequence (empty records are rejected; pass allowEmptyRecords to accept them)");
        }

        return new FastaRecord(id, description, Encoding.Latin1.GetString(_seq, 0, length));
    }

    /// <inheritdoc/>
    public void Dispose() => _lines.Dispose();
}
