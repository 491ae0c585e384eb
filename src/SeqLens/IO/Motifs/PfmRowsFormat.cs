using System.Text;

namespace SeqLens.IO.Motifs;

/// <summary>
/// The position-rows count format (gimmemotifs <c>.pfm</c>, HOMER-like): <c>&gt;name</c>, then one row per position
/// with 4 numbers A C G T (tabs or spaces); <c>#</c> comment lines and blank lines are skipped.
/// </summary>
/// <remarks>
/// The header's first word is the id and the rest the name. Values are counts unless every row sums to 1 with
/// fractional values (then probabilities). Note the classic JASPAR bundle (<see cref="JasparFormat"/>) is the
/// transpose: 4 rows of width values.
/// </remarks>
public static class PfmRowsFormat
{
    /// <summary>Reads a position-rows file (plain or gzip).</summary>
    public static IReadOnlyList<Motif> Read(string path)
    {
        using var reader = MotifTextReader.Open(path);
        return Read(reader);
    }

    /// <summary>Reads position-rows text; <paramref name="sourceName"/> names it in errors.</summary>
    public static IReadOnlyList<Motif> Read(TextReader text, string sourceName)
    {
        using var reader = new MotifTextReader(text, sourceName);
        return Read(reader);
    }

    /// <summary>Writes motifs in the position-rows format to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<Motif> motifs) => AtomicFile.WriteText(path, w => Write(w, motifs));

    /// <summary>Writes motifs in the position-rows format (tab-separated, shortest round-trip numbers).</summary>
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
                sb.Append(' ').Append(motif.Name);
            }

            sb.Append('\n');
            for (int i = 0; i < motif.Width; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    sb.Append(j == 0 ? string.Empty : "\t").Append(MotifTextReader.Format(motif[i, j]));
                }

                sb.Append('\n');
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
        var values = new List<double>();
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
                    motifs.Add(Build(reader, header, headerLine, values));
                }

                header = trimmed[1..].Trim();
                if (header.Length == 0)
                {
                    throw reader.Error("expected '>name'; the header is empty");
                }

                headerLine = reader.LineNumber;
                values.Clear();
                continue;
            }

            if (header is null)
            {
                throw reader.Error($"expected a '>name' header before matrix rows; got '{(trimmed.Length <= 60 ? trimmed : trimmed[..57] + "...")}'");
            }

            string[] t = MotifTextReader.Tokens(trimmed);
            if (t.Length != 4)
            {
                throw reader.Error($"motif {Id(header)}: expected 4 columns (A C G T) in row {(values.Count / 4) + 1}; got {t.Length}");
            }

            foreach (string token in t)
            {
                values.Add(reader.ParseNumber(line, token, "a count"));
            }
        }

        if (header is not null)
        {
            motifs.Add(Build(reader, header, headerLine, values));
        }
        else if (reader.LineNumber == 0)
        {
            throw reader.ErrorAt(1, "empty file; expected '>name' records with rows of 4 counts");
        }

        return motifs;
    }

    private static Motif Build(MotifTextReader reader, string header, long headerLine, List<double> values)
    {
        string id = Id(header);
        if (values.Count == 0)
        {
            throw reader.ErrorAt(headerLine, $"motif {id} has no matrix rows");
        }

        double[] m = values.ToArray();
        MotifMatrixKind kind = MotifMatrixChecks.GuessKind(m);
        string rest = header[id.Length..].Trim();
        return new Motif(id, m, kind, rest.Length > 0 ? rest : null) { Sites = MotifMatrixChecks.SitesFor(m, kind), Source = reader.Path };
    }

    private static string Id(string header) => MotifTextReader.Tokens(header)[0];
}
