using System.Text;

namespace SeqLens.IO.Motifs;

/// <summary>
/// JASPAR count matrices: single <c>.jaspar</c> files and bundles of <c>&gt;ID name</c> records, each followed by
/// 4 rows A, C, G, T, either labelled (<c>A [ 4 19 0 ]</c>) or bare (the classic bundle, a 4 x width matrix).
/// </summary>
/// <remarks>
/// Labelled rows must come in the order A, C, G, T; all rows of a record must have the same width. Lines starting
/// with <c>#</c> and blank lines are skipped. Values are counts unless every position sums to 1 with fractional values
/// (then probabilities). The writer emits the labelled form with shortest round-trip numbers.
/// </remarks>
public static class JasparFormat
{
    private const string Bases = "ACGT";

    /// <summary>Reads a JASPAR file or bundle (plain or gzip).</summary>
    public static IReadOnlyList<Motif> Read(string path)
    {
        using var reader = MotifTextReader.Open(path);
        return Read(reader);
    }

    /// <summary>Reads JASPAR text; <paramref name="sourceName"/> names it in errors.</summary>
    public static IReadOnlyList<Motif> Read(TextReader text, string sourceName)
    {
        using var reader = new MotifTextReader(text, sourceName);
        return Read(reader);
    }

    /// <summary>Writes motifs as a labelled JASPAR bundle to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<Motif> motifs) => AtomicFile.WriteText(path, w => Write(w, motifs));

    /// <summary>Writes motifs as a labelled JASPAR bundle (<c>&gt;ID name</c>, then <c>A [ ... ]</c> rows).</summary>
    public static void Write(TextWriter writer, IEnumerable<Motif> motifs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(motifs);
        var sb = new StringBuilder();
        foreach (Motif motif in motifs)
        {
            sb.Clear().Append('>').Append(motif.Id);
            if (motif.Name != motif.Id)
            {
                sb.Append('\t').Append(motif.Name);
            }

            sb.Append('\n');
            for (int j = 0; j < 4; j++)
            {
                sb.Append(Bases[j]).Append("  [");
                for (int i = 0; i < motif.Width; i++)
                {
                    sb.Append(' ').Append(MotifTextReader.Format(motif[i, j]));
                }

                sb.Append(" ]\n");
            }

            writer.Write(sb.ToString());
        }
    }

    private static List<Motif> Read(MotifTextReader reader)
    {
        var motifs = new List<Motif>();
        string? line;
        string? header = null;
        long headerLine = 0;
        var rows = new List<double[]>();
        var rowLines = new List<long>();
        bool? labelled = null;
        while ((line = reader.ReadLine()) is not null)
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            if (trimmed[0] == '>')
            {
                if (header is not null)
                {
                    motifs.Add(Build(reader, header, headerLine, rows, rowLines));
                }

                header = trimmed[1..].Trim();
                if (header.Length == 0)
                {
                    throw reader.Error("expected '>ID name'; the header has no id");
                }

                headerLine = reader.LineNumber;
                rows.Clear();
                rowLines.Clear();
                labelled = null;
                continue;
            }

            if (header is null)
            {
                throw reader.Error($"expected a '>ID name' header before matrix rows; got '{Clip(trimmed)}'");
            }

            if (rows.Count == 4)
            {
                throw reader.Error($"motif {Id(header)}: expected 4 rows (A, C, G, T); found a fifth row");
            }

            rows.Add(ParseRow(reader, line, trimmed, Id(header), rows.Count, ref labelled));
            rowLines.Add(reader.LineNumber);
        }

        if (header is not null)
        {
            motifs.Add(Build(reader, header, headerLine, rows, rowLines));
        }
        else if (reader.LineNumber == 0)
        {
            throw reader.ErrorAt(1, "empty file; expected JASPAR '>ID name' records");
        }

        return motifs;
    }

    private static double[] ParseRow(MotifTextReader reader, string line, string trimmed, string id, int index, ref bool? labelled)
    {
        string body = trimmed;
        bool hasLabel = char.IsAsciiLetter(trimmed[0]);
        if (labelled is bool expected && expected != hasLabel)
        {
            throw reader.Error($"motif {id}: mixes labelled and unlabelled rows");
        }

        labelled = hasLabel;
        if (hasLabel)
        {
            char label = char.ToUpperInvariant(trimmed[0]);
            if (label != Bases[index] || (trimmed.Length > 1 && char.IsAsciiLetter(trimmed[1])))
            {
                throw reader.Error($"motif {id}: expected row label '{Bases[index]}' (rows in order A, C, G, T); got '{Clip(trimmed.Split(' ', '\t', '[')[0])}'", 1);
            }

            body = trimmed[1..].Trim();
        }

        if (body.StartsWith('['))
        {
            if (!body.EndsWith(']'))
            {
                throw reader.Error($"motif {id}: row {Bases[index]} opens '[' without a closing ']'");
            }

            body = body[1..^1];
        }
        else if (body.Contains('[', StringComparison.Ordinal) || body.Contains(']', StringComparison.Ordinal))
        {
            throw reader.Error($"motif {id}: unbalanced brackets in row {Bases[index]}");
        }

        string[] t = MotifTextReader.Tokens(body);
        if (t.Length == 0)
        {
            throw reader.Error($"motif {id}: row {Bases[index]} has no values");
        }

        var values = new double[t.Length];
        for (int i = 0; i < t.Length; i++)
        {
            values[i] = reader.ParseNumber(line, t[i], $"a count in row {Bases[index]}");
        }

        return values;
    }

    private static Motif Build(MotifTextReader reader, string header, long headerLine, List<double[]> rows, List<long> rowLines)
    {
        string id = Id(header);
        if (rows.Count != 4)
        {
            throw reader.ErrorAt(headerLine, $"motif {id}: expected 4 rows (A, C, G, T); got {rows.Count}");
        }

        int width = rows[0].Length;
        for (int j = 1; j < 4; j++)
        {
            if (rows[j].Length != width)
            {
                throw reader.ErrorAt(rowLines[j], $"motif {id}: row {Bases[j]} has {rows[j].Length} columns; row A has {width}");
            }
        }

        var m = new double[width * 4];
        for (int i = 0; i < width; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                m[(i * 4) + j] = rows[j][i];
            }
        }

        MotifMatrixKind kind = MotifMatrixChecks.GuessKind(m);
        string rest = header[id.Length..].Trim();
        return new Motif(id, m, kind, rest.Length > 0 ? rest : null) { Sites = MotifMatrixChecks.SitesFor(m, kind), Source = reader.Path };
    }

    private static string Id(string header) => MotifTextReader.Tokens(header)[0];

    private static string Clip(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
