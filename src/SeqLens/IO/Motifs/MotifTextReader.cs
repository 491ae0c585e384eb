using System.Globalization;
using System.IO.Compression;

namespace SeqLens.IO.Motifs;

/// <summary>
/// Line reader shared by the motif formats: opens plain or gzip files (detected by the magic bytes), counts
/// lines, allows one line of look-ahead, and turns decompression failures into <see cref="ParseException"/>s.
/// </summary>
internal sealed class MotifTextReader : IDisposable
{
    private readonly TextReader _reader;
    private string? _pushedBack;

    public MotifTextReader(TextReader reader, string path)
    {
        _reader = reader;
        Path = path;
    }

    /// <summary>The file (or stream description) being read.</summary>
    public string Path { get; }

    /// <summary>1-based number of the line last returned by <see cref="ReadLine"/>.</summary>
    public long LineNumber { get; private set; }

    /// <summary>
    /// Opens <paramref name="path"/>, decompressing gzip/bgzip (by magic bytes) through <see cref="Text.CompressedInput"/>,
    /// which also detects truncated gzip files that <see cref="GZipStream"/> alone would end silently.
    /// </summary>
    public static MotifTextReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Stream stream = Text.CompressedInput.Open(path);
        return new MotifTextReader(new StreamReader(stream, System.Text.Encoding.UTF8, true, 1 << 16), path);
    }

    /// <summary>Next line (without terminator), or null at the end.</summary>
    public string? ReadLine()
    {
        if (_pushedBack is not null)
        {
            string line = _pushedBack;
            _pushedBack = null;
            LineNumber++;
            return line;
        }

        string? next;
        try
        {
            next = _reader.ReadLine();
        }
        catch (InvalidDataException ex)
        {
            throw new ParseException(Path, LineNumber + 1, 0, "corrupt or truncated gzip data: " + ex.Message, ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new ParseException(Path, LineNumber + 1, 0, "truncated gzip data: " + ex.Message, ex);
        }

        if (next is not null)
        {
            LineNumber++;
        }

        return next;
    }

    /// <summary>Returns the last line read to the reader; the next <see cref="ReadLine"/> gives it again.</summary>
    public void PushBack(string line)
    {
        _pushedBack = line;
        LineNumber--;
    }

    /// <summary>A parse error at the current line.</summary>
    public ParseException Error(string message, int column = 0) => new(Path, LineNumber, column, message);

    /// <summary>A parse error at line <paramref name="line"/>.</summary>
    public ParseException ErrorAt(long line, string message) => new(Path, line, 0, message);

    /// <summary>Parses a non-negative finite number (invariant culture) or throws naming the token and its column.</summary>
    public double ParseNumber(string line, string token, string what)
    {
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
        {
            if (value < 0)
            {
                throw Error($"{what} must be non-negative; got '{token}'", Column(line, token));
            }

            return value;
        }

        throw Error($"expected a number for {what}; got '{token}'", Column(line, token));
    }

    /// <summary>Splits on spaces and tabs, dropping empty tokens.</summary>
    public static string[] Tokens(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Formats a number in the shortest form that parses back to the same double.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _reader.Dispose();

    private static int Column(string line, string token)
    {
        int i = line.IndexOf(token, StringComparison.Ordinal);
        return i < 0 ? 0 : i + 1;
    }
}
