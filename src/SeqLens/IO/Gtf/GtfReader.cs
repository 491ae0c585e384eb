using System.Globalization;
using SeqLens.IO.Intervals;
using SeqLens.IO.Text;

namespace SeqLens.IO.Gtf;

/// <summary>Reads GTF and GFF3 feature lines (plain or gzip) into <see cref="GtfRecord"/>s.</summary>
/// <remarks>
/// Nine tab-separated columns; <c>#</c> lines and blank lines are skipped, and a GFF3 <c>##FASTA</c> line ends
/// the features. Checks: 1-based integer coordinates with 1 &lt;= start &lt;= end, strand in {+,-,.,?}, frame
/// in {0,1,2,.}, numeric score. GTF attributes: <c>key value;</c> pairs, a value either double-quoted (may hold
/// ';' and spaces; <c>\"</c> and <c>\\</c> escapes) or a bare token; a trailing ';' and spaces are optional.
/// GFF3 attributes: <c>key=value</c> pairs separated by ';', values percent-decoded (RFC 3986).
/// </remarks>
public static class GtfReader
{
    /// <summary>Reads every record of <paramref name="path"/>.</summary>
    public static List<GtfRecord> ReadFile(string path, AnnotationDialect dialect = AnnotationDialect.Auto)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (dialect == AnnotationDialect.Auto)
        {
            string p = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
            if (p.EndsWith(".gff3", StringComparison.OrdinalIgnoreCase))
            {
                dialect = AnnotationDialect.Gff3;
            }
            else if (p.EndsWith(".gtf", StringComparison.OrdinalIgnoreCase))
            {
                dialect = AnnotationDialect.Gtf;
            }
        }

        using var reader = new StreamReader(CompressedInput.Open(path));
        return Read(reader, path, dialect).ToList();
    }

    /// <summary>Streams records; <paramref name="source"/> names the input in errors.</summary>
    public static IEnumerable<GtfRecord> Read(TextReader reader, string source, AnnotationDialect dialect = AnnotationDialect.Auto)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long lineNo = 0;
        while (true)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (InvalidDataException ex)
            {
                throw new ParseException(source, lineNo + 1, 0, "corrupt or truncated compressed data: " + ex.Message, ex);
            }

            if (line is null)
            {
                yield break;
            }

            lineNo++;
            if (line.Length == 0 || line.All(char.IsWhiteSpace))
            {
                continue;
            }

            if (line[0] == '#')
            {
                if (line.StartsWith("##gff-version", StringComparison.Ordinal) && dialect == AnnotationDialect.Auto)
                {
                    dialect = line.Contains(" 3", StringComparison.Ordinal) ? AnnotationDialect.Gff3 : AnnotationDialect.Gtf;
                }
                else if (line.StartsWith("##FASTA", StringComparison.Ordinal))
                {
                    yield break;
                }

                continue;
            }

            string[] f = line.Split('\t');
            if (f.Length != 9)
            {
                throw new ParseException(source, lineNo, 0, $"expected 9 tab-separated columns (seqname, source, feature, start, end, score, strand, frame, attributes); got {f.Length}");
            }

            if (dialect == AnnotationDialect.Auto)
            {
                dialect = LooksLikeGff3(f[8]) ? AnnotationDialect.Gff3 : AnnotationDialect.Gtf;
            }

            yield return Parse(f, source, lineNo, dialect);
        }
    }

    private static bool LooksLikeGff3(string attrs)
    {
        int eq = attrs.IndexOf('=', StringComparison.Ordinal);
        int sp = attrs.IndexOfAny([' ', '"']);
        return eq > 0 && (sp < 0 || eq < sp);
    }

    private static GtfRecord Parse(string[] f, string source, long lineNo, AnnotationDialect dialect)
    {
        if (f[0].Length == 0 || f[2].Length == 0)
        {
            throw new ParseException(source, lineNo, f[0].Length == 0 ? 1 : 3, "empty seqname or feature type");
        }

        long start = Position(f[3], source, lineNo, 4, "start");
        long end = Position(f[4], source, lineNo, 5, "end");
        if (end < start)
        {
            throw new ParseException(source, lineNo, 5, $"end {end} is before start {start} (GTF/GFF coordinates are 1-based closed)");
        }

        double? score = null;
        if (f[5] != ".")
        {
            if (!double.TryParse(f[5], NumberStyles.Float, CultureInfo.InvariantCulture, out double s))
            {
                throw new ParseException(source, lineNo, 6, $"score must be a number or '.'; got '{f[5]}'");
            }

            score = s;
        }

        if (!StrandExtensions.TryParse(f[6], out Strand strand))
        {
            throw new ParseException(source, lineNo, 7, $"strand must be '+', '-', '.' or '?'; got '{f[6]}'");
        }

        int? frame = f[7] switch
        {
            "." => null,
            "0" => 0,
            "1" => 1,
            "2" => 2,
            _ => throw new ParseException(source, lineNo, 8, $"frame/phase must be 0, 1, 2 or '.'; got '{f[7]}'"),
        };

        var attrs = dialect == AnnotationDialect.Gff3 ? ParseGff3Attributes(f[8], source, lineNo) : ParseGtfAttributes(f[8], source, lineNo);
        return new GtfRecord(f[0], f[1], f[2], start, end) { Score = score, Strand = strand, Frame = frame, Attributes = attrs, Line = lineNo };
    }

    private static long Position(string text, string source, long line, int column, string what)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v >= 1)
        {
            return v;
        }

        throw new ParseException(source, line, column, $"{what} must be a positive integer (1-based); got '{text}'");
    }

    /// <summary>Parses a GTF attribute column.</summary>
    public static List<KeyValuePair<string, string>> ParseGtfAttributes(string text, string source, long line)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<KeyValuePair<string, string>>();
        int i = 0;
        int n = text.Length;
        const int col = 9;
        while (true)
        {
            while (i < n && (text[i] == ' ' || text[i] == ';'))
            {
                i++;
            }

            if (i >= n || text == ".")
            {
                return result;
            }

            int keyStart = i;
            while (i < n && text[i] != ' ' && text[i] != ';' && text[i] != '"')
            {
                i++;
            }

            string key = text[keyStart..i];
            if (i >= n || text[i] != ' ')
            {
                throw new ParseException(source, line, col, $"GTF attribute '{key}' has no value (expected: key \"value\";) in '{text}'");
            }

            while (i < n && text[i] == ' ')
            {
                i++;
            }

            string value;
            if (i < n && text[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                bool closed = false;
                while (i < n)
                {
                    char c = text[i++];
                    if (c == '\\' && i < n && (text[i] == '"' || text[i] == '\\'))
                    {
                        sb.Append(text[i++]);
                    }
                    else if (c == '"')
                    {
                        closed = true;
                        break;
                    }
                    else
                    {
                        sb.Append(c);
                    }
                }

                if (!closed)
                {
                    throw new ParseException(source, line, col, $"GTF attribute '{key}' has an unterminated quoted value in '{text}'");
                }

                value = sb.ToString();
                while (i < n && text[i] == ' ')
                {
                    i++;
                }

                if (i < n && text[i] != ';')
                {
                    throw new ParseException(source, line, col, $"expected ';' after the quoted value of GTF attribute '{key}'; got '{text[i]}' in '{text}'");
                }
            }
            else
            {
                int vs = i;
                while (i < n && text[i] != ';')
                {
                    i++;
                }

                value = text[vs..i].TrimEnd(' ');
                if (value.Length == 0)
                {
                    throw new ParseException(source, line, col, $"GTF attribute '{key}' has an empty value in '{text}'");
                }

                if (value.Contains('"', StringComparison.Ordinal) || value.Contains(' ', StringComparison.Ordinal))
                {
                    throw new ParseException(source, line, col, $"GTF attribute '{key}' has a malformed value '{value}' (quote values that hold spaces)");
                }
            }

            result.Add(new(key, value));
        }
    }

    /// <summary>Parses a GFF3 attribute column (percent-decoding keys and values).</summary>
    public static List<KeyValuePair<string, string>> ParseGff3Attributes(string text, string source, long line)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<KeyValuePair<string, string>>();
        if (text == ".")
        {
            return result;
        }

        foreach (string part in text.Split(';'))
        {
            string p = part.Trim();
            if (p.Length == 0)
            {
                continue;
            }

            int eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ParseException(source, line, 9, $"GFF3 attribute '{p}' is not key=value");
            }

            result.Add(new(Decode(p[..eq], source, line), Decode(p[(eq + 1)..], source, line)));
        }

        return result;
    }

    private static string Decode(string s, string source, long line)
    {
        if (!s.Contains('%', StringComparison.Ordinal))
        {
            return s;
        }

        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && (i + 2 >= s.Length || !Uri.IsHexDigit(s[i + 1]) || !Uri.IsHexDigit(s[i + 2])))
            {
                throw new ParseException(source, line, 9, $"bad percent-encoding in GFF3 attribute '{s}'");
            }
        }

        // NOTE: commas inside values are encoded as %2C; decoding them here would merge list items, so keep %2C.
        return Uri.UnescapeDataString(s.Replace("%2C", "\u0001", StringComparison.OrdinalIgnoreCase)).Replace("\u0001", "%2C", StringComparison.Ordinal);
    }
}
