namespace SeqLens.IO.Motifs;

/// <summary>Reads and writes motif files of any supported <see cref="MotifFormat"/>, detecting the format from content.</summary>
/// <remarks>
/// Detection looks at the first 200 non-blank, non-comment lines: <c>MEME version</c> means MEME; two-letter
/// TRANSFAC codes (<c>AC</c>, <c>ID</c>, <c>PO</c>, <c>P0</c>, <c>VV</c>, <c>XX</c>, <c>//</c>) mean TRANSFAC;
/// after <c>&gt;</c> headers, rows like <c>A [ ... ]</c> mean JASPAR, rows of a letter and 4 numbers mean ENCODE,
/// rows of exactly 4 numbers mean position rows unless every record seen has exactly 4 rows and some row has
/// another width (the classic JASPAR bundle). A file of only 4-row, 4-wide records is read as position rows.
/// </remarks>
public static class MotifFiles
{
    /// <summary>Reads all motifs of <paramref name="path"/> (plain or gzip), detecting the format unless given.</summary>
    public static IReadOnlyList<Motif> Read(string path, MotifFormat? format = null) => (format ?? Detect(path)) switch
    {
        MotifFormat.Meme => MemeFormat.Read(path).Motifs,
        MotifFormat.Jaspar => JasparFormat.Read(path),
        MotifFormat.Transfac => TransfacFormat.Read(path),
        MotifFormat.PfmRows => PfmRowsFormat.Read(path),
        MotifFormat.Encode => EncodeMotifsFormat.Read(path),
        var f => throw new ArgumentOutOfRangeException(nameof(format), f, "Unknown motif format."),
    };

    /// <summary>Writes motifs to <paramref name="path"/> atomically in <paramref name="format"/>.</summary>
    public static void Write(string path, IEnumerable<Motif> motifs, MotifFormat format)
    {
        switch (format)
        {
            case MotifFormat.Meme:
                MemeFormat.Write(path, motifs);
                break;
            case MotifFormat.Jaspar:
                JasparFormat.Write(path, motifs);
                break;
            case MotifFormat.Transfac:
                TransfacFormat.Write(path, motifs);
                break;
            case MotifFormat.PfmRows:
                PfmRowsFormat.Write(path, motifs);
                break;
            case MotifFormat.Encode:
                EncodeMotifsFormat.Write(path, motifs);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown motif format.");
        }
    }

    /// <summary>Detects the format of <paramref name="path"/> from its content (see the class remarks).</summary>
    public static MotifFormat Detect(string path)
    {
        using var reader = MotifTextReader.Open(path);
        return Detect(reader);
    }

    /// <summary>Detects the format of motif text; <paramref name="sourceName"/> names it in errors.</summary>
    public static MotifFormat Detect(TextReader text, string sourceName)
    {
        using var reader = new MotifTextReader(text, sourceName);
        return Detect(reader);
    }

    private static MotifFormat Detect(MotifTextReader reader)
    {
        int seen = 0;
        int records = 0, rowsInRecord = 0;
        bool allFourRows = true, otherWidth = false, fourWide = false;
        string? line;
        while (seen < 200 && (line = reader.ReadLine()) is not null)
        {
            string t = line.Trim();
            if (t.Length == 0 || t[0] == '#')
            {
                continue;
            }

            seen++;
            if (t.StartsWith("MEME version", StringComparison.Ordinal))
            {
                return MotifFormat.Meme;
            }

            if (t.StartsWith("//", StringComparison.Ordinal) || IsTransfacCode(t))
            {
                return MotifFormat.Transfac;
            }

            if (t[0] == '>')
            {
                if (records > 0 && rowsInRecord != 4)
                {
                    allFourRows = false;
                }

                records++;
                rowsInRecord = 0;
                continue;
            }

            if (records == 0)
            {
                break;
            }

            rowsInRecord++;
            string[] tokens = MotifTextReader.Tokens(t);
            if (char.IsAsciiLetter(t[0]))
            {
                if (t.Contains('[', StringComparison.Ordinal))
                {
                    return MotifFormat.Jaspar;
                }

                if (tokens.Length == 5 && tokens[0].Length == 1)
                {
                    return MotifFormat.Encode;
                }

                return MotifFormat.Jaspar;
            }

            if (tokens.Length == 4)
            {
                fourWide = true;
            }
            else
            {
                otherWidth = true;
            }
        }

        if (records > 0 && rowsInRecord != 4)
        {
            allFourRows = false;
        }

        if (records > 0 && (fourWide || otherWidth))
        {
            return allFourRows && otherWidth ? MotifFormat.Jaspar : MotifFormat.PfmRows;
        }

        throw new ParseException(reader.Path, reader.LineNumber, 0, "cannot tell the motif format (expected MEME, JASPAR, TRANSFAC, position rows or ENCODE motifs)");
    }

    private static bool IsTransfacCode(string t)
        => t.Length >= 3 && t[..2] is "AC" or "ID" or "PO" or "P0" or "VV" or "XX" or "DE" or "NA" && char.IsWhiteSpace(t[2]);
}
