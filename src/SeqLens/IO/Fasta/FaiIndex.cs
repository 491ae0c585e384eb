using System.Globalization;
using System.Text;
using SeqLens.IO.Text;

namespace SeqLens.IO.Fasta;

/// <summary>
/// A samtools-compatible FASTA index (<c>.fai</c>): one <see cref="FaiEntry"/> per sequence, in file order.
/// <see cref="Build(string)"/> follows htslib 1.16's <c>fai_build_core</c> rule for rule, so <see cref="Write"/> gives
/// the same bytes as <c>samtools faidx</c> (checked against samtools output in FaiIndexTests).
/// </summary>
/// <remarks>
/// htslib rules mirrored here: blank lines are allowed between records, not inside a sequence; every sequence
/// line but the last has the same length in bytes; a line longer than the first is "Different line length";
/// a sequence line after the (shorter) last line is a format error; a record without sequence lines is left
/// out of the index when another record follows and is an error at the end of the file; a duplicate name keeps
/// the first record (htslib warns and ignores the later one); bases are counted as printable non-space bytes.
/// bgzip files are indexed in uncompressed coordinates; plain gzip cannot be indexed (as samtools).
/// </remarks>
public sealed class FaiIndex
{
    private readonly Dictionary<string, FaiEntry> _byName;

    /// <summary>An index over <paramref name="entries"/> (file order; names must be unique).</summary>
    public FaiIndex(IReadOnlyList<FaiEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = entries;
        _byName = new Dictionary<string, FaiEntry>(StringComparer.Ordinal);
        foreach (FaiEntry e in entries)
        {
            if (!_byName.TryAdd(e.Name, e))
            {
                throw new ArgumentException($"duplicate sequence name '{e.Name}' in FASTA index", nameof(entries));
            }
        }
    }

    /// <summary>The entries in file order.</summary>
    public IReadOnlyList<FaiEntry> Entries { get; }

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public FaiEntry? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Builds the index of a plain or bgzip FASTA file by scanning it once.</summary>
    public static FaiIndex Build(string fastaPath)
    {
        ArgumentNullException.ThrowIfNull(fastaPath);
        if (CompressedInput.IsGzip(fastaPath) && !BgzfIndex.IsBgzf(fastaPath))
        {
            throw new ParseException(fastaPath, 0, 0, "cannot index a plain gzip file; recompress it with bgzip (as samtools)");
        }

        using var lines = new ByteLineReader(CompressedInput.Open(fastaPath), fastaPath);
        return Build(lines);
    }

    /// <summary>Builds the index from a line reader over the uncompressed bytes.</summary>
    public static FaiIndex Build(ByteLineReader lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var entries = new List<FaiEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? name = null;
        long seqOffset = 0, seqLen = 0;
        int lineLen = 0, charLen = 0;
        bool readDone = false;
        bool inSeq = false;

        void Insert()
        {
            // NOTE: htslib keeps the first of duplicate names (with a warning); so do we.
            if (seen.Add(name!))
            {
                entries.Add(new FaiEntry(name!, seqLen, seqOffset, charLen, lineLen));
            }
        }

        while (lines.TryReadLine(out ReadOnlySpan<byte> line))
        {
            bool blank = line.IsEmpty && !lines.HadCarriageReturn;
            bool blankCrLf = line.IsEmpty && lines.HadCarriageReturn && lines.TerminatorLength == 2;
            if (!inSeq)
            {
                if (blank || blankCrLf)
                {
                    continue;
                }

                if (line.IsEmpty || line[0] != (byte)'>')
                {
                    char c = line.IsEmpty ? '\r' : (char)line[0];
                    throw new ParseException(lines.Source, lines.LineNumber, 1, c == '@'
                        ? "FASTQ files are not supported by this FASTA index"
                        : $"format error, unexpected '{Printable(c)}' outside a sequence (expected '>' or a blank line)");
                }
            }
            else if (blank)
            {
                inSeq = false;
                continue;
            }

            if (!line.IsEmpty && line[0] == (byte)'>')
            {
                if (readDone)
                {
                    Insert();
                }

                readDone = false;
                name = HeaderName(line[1..]);
                if (lines.TerminatorLength == 0)
                {
                    throw new ParseException(lines.Source, lines.LineNumber, 1, $"the last entry '{name}' has no sequence");
                }

                seqOffset = lines.Position;
                seqLen = 0;
                lineLen = 0;
                charLen = 0;
                inSeq = true;
                continue;
            }

            // A sequence line: ll counts bytes including the newline (htslib counts one even at end of file).
            readDone = true;
            int ll = line.Length + (lines.HadCarriageReturn ? 1 : 0) + 1;
            int cl = CountGraph(line);
            seqLen += cl;
            if (lineLen == 0)
            {
                lineLen = ll;
                charLen = cl;
            }
            else if (lineLen > ll)
            {
                inSeq = false;
            }
            else if (lineLen < ll)
            {
                throw new ParseException(lines.Source, lines.LineNumber, 0,
                    $"different line length in sequence '{name}': {ll} bytes where earlier lines have {lineLen} (all lines but the last must have the same length)");
            }
        }

        if (!readDone)
        {
            throw new ParseException(lines.Source, lines.LineNumber, 0, name is null
                ? "no FASTA records found"
                : $"the last entry '{name}' has no sequence");
        }

        Insert();
        return new FaiIndex(entries);
    }

    /// <summary>Reads a <c>.fai</c> file (5 tab-separated columns; extra columns, as in FASTQ indexes, are rejected).</summary>
    public static FaiIndex Read(string faiPath)
    {
        ArgumentNullException.ThrowIfNull(faiPath);
        var entries = new List<FaiEntry>();
        long lineNo = 0;
        foreach (string line in File.ReadLines(faiPath))
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] f = line.Split('\t');
            if (f.Length != 5)
            {
                throw new ParseException(faiPath, lineNo, 0, $"expected 5 tab-separated columns (name, length, offset, linebases, linewidth); got {f.Length}");
            }

            long len = ParseLong(faiPath, lineNo, 2, f[1], "length");
            long off = ParseLong(faiPath, lineNo, 3, f[2], "offset");
            long lb = ParseLong(faiPath, lineNo, 4, f[3], "linebases");
            long lw = ParseLong(faiPath, lineNo, 5, f[4], "linewidth");
            if (lb > int.MaxValue || lw > int.MaxValue || (len > 0 && (lb == 0 || lw < lb)))
            {
                throw new ParseException(faiPath, lineNo, 0, $"inconsistent line geometry: linebases {lb}, linewidth {lw}");
            }

            entries.Add(new FaiEntry(f[0], len, off, (int)lb, (int)lw));
        }

        try
        {
            return new FaiIndex(entries);
        }
        catch (ArgumentException ex)
        {
            throw new ParseException(faiPath, 0, 0, ex.Message, ex);
        }
    }

    /// <summary>Writes the index in samtools format (LF line endings) atomically.</summary>
    public void Write(string faiPath) => AtomicFile.WriteText(faiPath, w => w.Write(ToText()));

    /// <summary>The index as samtools writes it.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (FaiEntry e in Entries)
        {
            sb.Append(e.Name).Append('\t')
              .Append(e.Length.ToString(CultureInfo.InvariantCulture)).Append('\t')
              .Append(e.Offset.ToString(CultureInfo.InvariantCulture)).Append('\t')
              .Append(e.LineBases.ToString(CultureInfo.InvariantCulture)).Append('\t')
              .Append(e.LineWidth.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.ToString();
    }

    private static string HeaderName(ReadOnlySpan<byte> header)
    {
        int i = 0;
        while (i < header.Length && IsSpace(header[i]))
        {
            i++;
        }

        int j = i;
        while (j < header.Length && !IsSpace(header[j]))
        {
            j++;
        }

        return Encoding.UTF8.GetString(header[i..j]);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\v' or (byte)'\f';

    private static int CountGraph(ReadOnlySpan<byte> line)
    {
        // isgraph in the C locale: 0x21..0x7e.
        int outside = 0;
        int start = 0;
        while (true)
        {
            int k = line[start..].IndexOfAnyExceptInRange((byte)0x21, (byte)0x7e);
            if (k < 0)
            {
                break;
            }

            outside++;
            start += k + 1;
        }

        return line.Length - outside;
    }

    private static string Printable(char c) => c is >= ' ' and <= '~' ? c.ToString() : $"\\x{(int)c:x2}";

    private static long ParseLong(string path, long line, int column, string text, string what)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v))
        {
            throw new ParseException(path, line, column, $"{what} must be a non-negative integer; got '{text}'");
        }

        return v;
    }
}
