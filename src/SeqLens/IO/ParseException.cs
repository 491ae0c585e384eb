using System.Globalization;

namespace SeqLens.IO;

/// <summary>
/// Bad input in a file: names the file, the 1-based line (0 when unknown or not line-based, e.g. a binary
/// record) and column (0 when unknown), and says what was expected.
/// </summary>
public sealed class ParseException : Exception
{
    public ParseException()
        : this("unknown", 0, 0, "parse error")
    {
    }

    public ParseException(string message)
        : this("unknown", 0, 0, message)
    {
    }

    public ParseException(string message, Exception innerException)
        : this("unknown", 0, 0, message, innerException)
    {
    }

    public ParseException(string path, long line, int column, string message, Exception? innerException = null)
        : base(Format(path, line, column, message), innerException)
    {
        Path = path;
        Line = line;
        Column = column;
        Reason = message;
    }

    /// <summary>The file (or stream description) that was being read.</summary>
    public string Path { get; }

    /// <summary>1-based line, or 0 when unknown.</summary>
    public long Line { get; }

    /// <summary>1-based column, or 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; }

    private static string Format(string path, long line, int column, string message)
    {
        string location = path;
        if (line > 0)
        {
            location += ":" + line.ToString(CultureInfo.InvariantCulture);
            if (column > 0)
            {
                location += ":" + column.ToString(CultureInfo.InvariantCulture);
            }
        }

        return location + ": " + message;
    }
}
