using System.Globalization;
using System.Text;

namespace SeqLens.IO.Motifs;

/// <summary>
/// MEME minimal motif format (version 4 and later), DNA alphabet: reader and writer.
/// </summary>
/// <remarks>
/// Spec: https://meme-suite.org/meme/doc/meme-format.html. Recognised: <c>MEME version</c> (required, first
/// non-blank line), <c>ALPHABET= ACGT</c> (other alphabets are rejected), <c>strands:</c>,
/// <c>Background letter frequencies</c> (pairs on the following lines), <c>MOTIF id [alternate name]</c>, then
/// <c>letter-probability matrix: alength= 4 w= W nsites= N E= e</c> and W rows of 4 probabilities (rows must sum to 1
/// within 0.01; without <c>w=</c>, rows are read while lines start with a number), an optional
/// <c>log-odds matrix:</c> (skipped) and <c>URL</c> line. Other lines between motifs are ignored.
/// The writer prints numbers in the shortest round-trip form, so reading back gives identical values.
/// </remarks>
public static class MemeFormat
{
    /// <summary>Reads a MEME file (plain or gzip).</summary>
    public static MemeFile Read(string path)
    {
        using var reader = MotifTextReader.Open(path);
        return Read(reader);
    }

    /// <summary>Reads MEME text from <paramref name="text"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static MemeFile Read(TextReader text, string sourceName)
    {
        using var reader = new MotifTextReader(text, sourceName);
        return Read(reader);
    }

    /// <summary>Writes <paramref name="motifs"/> as MEME version 4 to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<Motif> motifs, MotifBackground? background = null, string strands = "+ -")
        => AtomicFile.WriteText(path, w => Write(w, motifs, background, strands));

    /// <summary>Writes MEME version 4 text. Count motifs are written as probabilities (row / row sum) with nsites = their sites.</summary>
    public static void Write(TextWriter writer, IEnumerable<Motif> motifs, MotifBackground? background = null, string strands = "+ -")
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(motifs);
        background ??= MotifBackground.Uniform;
        writer.Write("MEME version 4\n\nALPHABET= ACGT\n\nstrands: ");
        writer.Write(strands);
        writer.Write("\n\nBackground letter frequencies\n");
        writer.Write($"A {F(background.A)} C {F(background.C)} G {F(background.G)} T {F(background.T)}\n");
        foreach (Motif motif in motifs)
        {
            writer.Write("\nMOTIF ");
            writer.Write(motif.Id);
            if (motif.Name != motif.Id)
            {
                writer.Write(' ');
                writer.Write(motif.Name);
            }

            ReadOnlySpan<double> p = motif.Kind == MotifMatrixKind.Probabilities ? motif.Matrix : motif.Probabilities();
            double? sites = motif.Sites;
            writer.Write($"\nletter-probability matrix: alength= 4 w= {motif.Width.ToString(CultureInfo.InvariantCulture)}");
            if (sites is double n)
            {
                writer.Write($" nsites= {F(n)}");
            }

            if (motif.EValue is double e)
            {
                writer.Write($" E= {F(e)}");
            }

            writer.Write('\n');
            var row = new StringBuilder();
            for (int i = 0; i < motif.Width; i++)
            {
                row.Clear();
                for (int j = 0; j < 4; j++)
                {
                    row.Append(j == 0 ? string.Empty : "\t").Append(F(p[(i * 4) + j]));
                }

                writer.Write(row.Append('\n').ToString());
            }

            if (motif.Url is not null)
            {
                writer.Write("URL " + motif.Url + "\n");
            }
        }
    }

    private static string F(double v) => MotifTextReader.Format(v);

    private static MemeFile Read(MotifTextReader reader)
    {
        string? line = NextNonBlank(reader);
        if (line is null)
        {
            throw reader.ErrorAt(1, "empty file; expected a MEME motif file starting with 'MEME version'");
        }

        if (!line.StartsWith("MEME version", StringComparison.Ordinal))
        {
            throw reader.Error($"expected 'MEME version' as the first line of a MEME file; got '{Clip(line)}'");
        }

        string version = line["MEME version".Length..].Trim();
        string strands = "+ -";
        MotifBackground background = MotifBackground.Uniform;
        var motifs = new List<Motif>();
        while ((line = reader.ReadLine()) is not null)
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("ALPHABET", StringComparison.Ordinal))
            {
                string alphabet = trimmed["ALPHABET".Length..].TrimStart('=', ' ', '\t').Trim();
                if (alphabet != "ACGT")
                {
                    throw reader.Error($"only the DNA alphabet 'ACGT' is supported; got ALPHABET '{Clip(alphabet)}'");
                }
            }
            else if (trimmed.StartsWith("strands:", StringComparison.Ordinal))
            {
                strands = trimmed["strands:".Length..].Trim();
                if (strands is not ("+" or "+ -" or "-" or "- +"))
                {
                    throw reader.Error($"expected 'strands: +' or 'strands: + -'; got '{Clip(trimmed)}'");
                }
            }
            else if (trimmed.StartsWith("Background letter frequencies", StringComparison.Ordinal))
            {
                background = ReadBackground(reader);
            }
            else if (trimmed.StartsWith("MOTIF", StringComparison.Ordinal))
            {
                motifs.Add(ReadMotif(reader, trimmed));
            }
        }

        return new MemeFile(version, strands, background, motifs);
    }

    private static MotifBackground ReadBackground(MotifTextReader reader)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        long start = reader.LineNumber;
        while (values.Count < 4)
        {
            string? line = reader.ReadLine();
            if (line is null || line.TrimStart().StartsWith("MOTIF", StringComparison.Ordinal))
            {
                throw reader.ErrorAt(start, "background letter frequencies: expected 'A p C p G p T p' after this line");
            }

            string[] t = MotifTextReader.Tokens(line);
            if (t.Length % 2 != 0)
            {
                throw reader.Error("background letter frequencies: expected letter/frequency pairs");
            }

            for (int i = 0; i < t.Length; i += 2)
            {
                if (t[i] is not ("A" or "C" or "G" or "T"))
                {
                    throw reader.Error($"background letter frequencies: expected A, C, G or T; got '{Clip(t[i])}'");
                }

                values[t[i]] = reader.ParseNumber(line, t[i + 1], "a background frequency");
            }
        }

        try
        {
            return new MotifBackground(values["A"], values["C"], values["G"], values["T"]);
        }
        catch (ArgumentException ex)
        {
            throw reader.Error("background letter frequencies: " + ex.Message);
        }
    }

    private static Motif ReadMotif(MotifTextReader reader, string header)
    {
        long motifLine = reader.LineNumber;
        string[] h = MotifTextReader.Tokens(header);
        if (h.Length < 2)
        {
            throw reader.Error("expected 'MOTIF id [name]'; the motif has no id");
        }

        string id = h[1];
        string? name = h.Length > 2 ? string.Join(' ', h[2..]) : null;
        string? line;
        while (true)
        {
            line = reader.ReadLine();
            if (line is null || line.TrimStart().StartsWith("MOTIF", StringComparison.Ordinal))
            {
                throw reader.ErrorAt(motifLine, $"motif {id} has no 'letter-probability matrix:' line");
            }

            if (line.TrimStart().StartsWith("letter-probability matrix", StringComparison.Ordinal))
            {
                break;
            }
        }

        Dictionary<string, string> fields = MatrixFields(reader, line);
        int? width = null;
        if (fields.TryGetValue("alength", out string? alength) && alength != "4")
        {
            throw reader.Error($"motif {id}: expected alength= 4 (DNA); got '{Clip(alength)}'");
        }

        if (fields.TryGetValue("w", out string? w))
        {
            if (!int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) || parsed <= 0)
            {
                throw reader.Error($"motif {id}: expected a positive integer width w=; got '{Clip(w)}'");
            }

            width = parsed;
        }

        double? sites = fields.TryGetValue("nsites", out string? ns) ? reader.ParseNumber(line, ns, "nsites") : null;
        double? evalue = fields.TryGetValue("E", out string? e) ? reader.ParseNumber(line, e, "E") : null;

        var values = new List<double>();
        Span<double> row = stackalloc double[4];
        while (width is null || values.Count < width * 4)
        {
            line = reader.ReadLine();
            if (line is null)
            {
                if (width is null && values.Count > 0)
                {
                    break;
                }

                throw reader.ErrorAt(reader.LineNumber, $"motif {id}: file ends after {values.Count / 4} of {width?.ToString(CultureInfo.InvariantCulture) ?? "the"} matrix rows");
            }

            string[] t = MotifTextReader.Tokens(line);
            if (t.Length == 0)
            {
                if (width is null && values.Count > 0)
                {
                    break;
                }

                continue;
            }

            if (!StartsNumeric(t[0]))
            {
                if (width is null && values.Count > 0)
                {
                    reader.PushBack(line);
                    break;
                }

                throw reader.Error($"motif {id}: expected matrix row {(values.Count / 4) + 1} of {width?.ToString(CultureInfo.InvariantCulture) ?? "?"} (4 probabilities); got '{Clip(line)}'");
            }

            if (t.Length != 4)
            {
                throw reader.Error($"motif {id}: expected 4 columns (A C G T) in matrix row {(values.Count / 4) + 1}; got {t.Length}");
            }

            for (int j = 0; j < 4; j++)
            {
                row[j] = reader.ParseNumber(line, t[j], "a letter probability");
            }

            MotifMatrixChecks.CheckProbabilityRow(reader, row, id);
            foreach (double v in row)
            {
                values.Add(v);
            }
        }

        string? url = null;
        while ((line = reader.ReadLine()) is not null)
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("MOTIF", StringComparison.Ordinal))
            {
                reader.PushBack(line);
                break;
            }

            if (trimmed.StartsWith("URL", StringComparison.Ordinal))
            {
                url = trimmed.Length > 3 ? trimmed[3..].Trim() : string.Empty;
            }
            else if (trimmed.StartsWith("log-odds matrix", StringComparison.Ordinal))
            {
                SkipNumericRows(reader);
            }
        }

        return new Motif(id, values.ToArray(), MotifMatrixKind.Probabilities, name)
        {
            Sites = sites,
            EValue = evalue,
            Url = url,
            Source = reader.Path,
        };
    }

    private static void SkipNumericRows(MotifTextReader reader)
    {
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            string[] t = MotifTextReader.Tokens(line);
            if (t.Length > 0 && !StartsNumeric(t[0]))
            {
                reader.PushBack(line);
                return;
            }
        }
    }

    private static Dictionary<string, string> MatrixFields(MotifTextReader reader, string line)
    {
        // "letter-probability matrix: alength= 4 w= 10 nsites= 20 E= 0": key= value, or key=value.
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        string rest = colon < 0 ? string.Empty : line[(colon + 1)..];
        string[] t = MotifTextReader.Tokens(rest.Replace("= ", "=", StringComparison.Ordinal).Replace("=\t", "=", StringComparison.Ordinal));
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string token in t)
        {
            int eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == token.Length - 1)
            {
                throw reader.Error($"expected 'key= value' pairs after 'letter-probability matrix:'; got '{Clip(token)}'");
            }

            fields[token[..eq]] = token[(eq + 1)..];
        }

        return fields;
    }

    private static bool StartsNumeric(string token) => token.Length > 0 && (char.IsAsciiDigit(token[0]) || token[0] is '.' or '-' or '+');

    private static string? NextNonBlank(MotifTextReader reader)
    {
        string? line;
        while ((line = reader.ReadLine()) is not null && line.Trim().Length == 0)
        {
        }

        return line;
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
