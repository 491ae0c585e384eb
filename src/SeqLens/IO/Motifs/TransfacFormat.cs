using System.Globalization;
using System.Text;

namespace SeqLens.IO.Motifs;

/// <summary>
/// TRANSFAC matrix format (as in JASPAR's <c>*_pfms_transfac.txt</c>): records of two-letter line codes
/// (<c>AC</c> accession, <c>ID</c> name, <c>DE</c> description, <c>PO</c>/<c>P0</c> matrix header naming the base
/// columns, numbered count rows, <c>XX</c> separators, <c>CC</c> comments) ending with <c>//</c>.
/// </summary>
/// <remarks>
/// The header's base letters may come in any order of A, C, G, T; rows are <c>NN v1 v2 v3 v4 [consensus]</c>.
/// Id = AC (or ID when there is no AC), name = ID. Records with neither AC, ID nor a matrix (a <c>VV</c> file
/// header) are skipped. A record without its closing <c>//</c> is an error. Values are counts unless every row
/// sums to 1 with fractional values (then probabilities).
/// </remarks>
public static class TransfacFormat
{
    /// <summary>Reads a TRANSFAC file (plain or gzip).</summary>
    public static IReadOnlyList<Motif> Read(string path)
    {
        using var reader = MotifTextReader.Open(path);
        return Read(reader);
    }

    /// <summary>Reads TRANSFAC text; <paramref name="sourceName"/> names it in errors.</summary>
    public static IReadOnlyList<Motif> Read(TextReader text, string sourceName)
    {
        using var reader = new MotifTextReader(text, sourceName);
        return Read(reader);
    }

    /// <summary>Writes motifs in TRANSFAC format to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<Motif> motifs) => AtomicFile.WriteText(path, w => Write(w, motifs));

    /// <summary>Writes motifs in TRANSFAC format (AC, ID, DE, PO A C G T, rows, //), shortest round-trip numbers.</summary>
    public static void Write(TextWriter writer, IEnumerable<Motif> motifs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(motifs);
        var sb = new StringBuilder();
        foreach (Motif motif in motifs)
        {
            sb.Clear().Append("AC ").Append(motif.Id).Append("\nXX\nID ").Append(motif.Name).Append("\nXX\n");
            if (!string.IsNullOrEmpty(motif.Description))
            {
                sb.Append("DE ").Append(motif.Description).Append('\n');
            }

            sb.Append("PO\tA\tC\tG\tT\n");
            for (int i = 0; i < motif.Width; i++)
            {
                sb.Append((i + 1).ToString("00", CultureInfo.InvariantCulture));
                for (int j = 0; j < 4; j++)
                {
                    sb.Append('\t').Append(MotifTextReader.Format(motif[i, j]));
                }

                sb.Append('\n');
            }

            sb.Append("XX\n//\n");
            writer.Write(sb.ToString());
        }
    }

    private static List<Motif> Read(MotifTextReader reader)
    {
        var motifs = new List<Motif>();
        var record = new Record();
        string? line;
        bool any = false;
        while ((line = reader.ReadLine()) is not null)
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            any = true;
            if (trimmed.StartsWith("//", StringComparison.Ordinal))
            {
                if (record.Started)
                {
                    Motif? motif = record.Build(reader);
                    if (motif is not null)
                    {
                        motifs.Add(motif);
                    }
                }

                record = new Record();
                continue;
            }

            if (!record.Started)
            {
                record.StartLine = reader.LineNumber;
                record.Started = true;
            }

            string code = trimmed.Length >= 2 ? trimmed[..2] : trimmed;
            string value = trimmed.Length > 2 ? trimmed[2..].Trim() : string.Empty;
            if (trimmed.Length > 2 && !char.IsWhiteSpace(trimmed[2]))
            {
                throw reader.Error($"expected a two-letter code, whitespace and a value; got '{Clip(trimmed)}'");
            }

            if (record.Columns is not null && char.IsAsciiDigit(code[0]))
            {
                record.AddRow(reader, line, trimmed);
                continue;
            }

            if (record.Columns is not null)
            {
                record.MatrixDone = true;
            }

            switch (code)
            {
                case "AC":
                    record.Accession = value;
                    break;
                case "ID":
                    record.Name = value;
                    break;
                case "DE":
                    record.Description = value;
                    break;
                case "PO":
                case "P0":
                    record.SetColumns(reader, value);
                    break;
                default:
                    if (!(char.IsAsciiLetterUpper(code[0]) && code.Length == 2 && char.IsAsciiLetterOrDigit(code[1])))
                    {
                        throw reader.Error($"expected a TRANSFAC line (two-letter code such as AC, ID, PO, XX, or //); got '{Clip(trimmed)}'");
                    }

                    break;
            }
        }

        if (record.Started)
        {
            throw reader.ErrorAt(reader.LineNumber, $"record starting at line {record.StartLine} has no closing '//'");
        }

        if (!any)
        {
            throw reader.ErrorAt(1, "empty file; expected TRANSFAC records (AC, ID, PO, rows, //)");
        }

        return motifs;
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..57] + "...";

    private sealed class Record
    {
        private readonly List<double> _values = [];

        public bool Started { get; set; }

        public long StartLine { get; set; }

        public string? Accession { get; set; }

        public string? Name { get; set; }

        public string? Description { get; set; }

        public int[]? Columns { get; private set; }

        public bool MatrixDone { get; set; }

        private long MatrixLine { get; set; }

        public void SetColumns(MotifTextReader reader, string value)
        {
            if (Columns is not null)
            {
                throw reader.Error("second PO/P0 matrix header in one record");
            }

            string[] t = MotifTextReader.Tokens(value);
            var columns = new int[4];
            bool[] seen = new bool[4];
            if (t.Length != 4)
            {
                throw reader.Error($"expected matrix header 'PO A C G T'; got {t.Length} base columns");
            }

            for (int j = 0; j < 4; j++)
            {
                int b = t[j].Length == 1 ? "ACGT".IndexOf(char.ToUpperInvariant(t[j][0]), StringComparison.Ordinal) : -1;
                if (b < 0 || seen[b])
                {
                    throw reader.Error($"expected matrix header 'PO A C G T' (each base once); got '{Clip(value)}'");
                }

                seen[b] = true;
                columns[j] = b;
            }

            Columns = columns;
            MatrixLine = reader.LineNumber;
        }

        public void AddRow(MotifTextReader reader, string line, string trimmed)
        {
            if (MatrixDone)
            {
                throw reader.Error("matrix row after the end of the matrix");
            }

            string[] t = MotifTextReader.Tokens(trimmed);
            if (!int.TryParse(t[0], NumberStyles.None, CultureInfo.InvariantCulture, out int position) || position != (_values.Count / 4) + 1)
            {
                throw reader.Error($"expected matrix row number {(_values.Count / 4) + 1:00}; got '{Clip(t[0])}'", 1);
            }

            if (t.Length is not (5 or 6))
            {
                throw reader.Error($"expected 'NN a c g t [consensus]' (4 values) in matrix row {position}; got {t.Length - 1} values");
            }

            if (t.Length == 6 && (t[5].Length != 1 || !char.IsAsciiLetter(t[5][0])))
            {
                throw reader.Error($"expected a consensus letter after the 4 values of row {position}; got '{Clip(t[5])}'");
            }

            Span<double> row = stackalloc double[4];
            for (int j = 0; j < 4; j++)
            {
                row[Columns![j]] = reader.ParseNumber(line, t[j + 1], "a count");
            }

            foreach (double v in row)
            {
                _values.Add(v);
            }
        }

        public Motif? Build(MotifTextReader reader)
        {
            string? id = Accession ?? Name;
            if (id is null && Columns is null)
            {
                return null; // a file header record such as "VV  TRANSFAC MATRIX TABLE ... //"
            }

            if (id is null)
            {
                throw reader.ErrorAt(StartLine, "record has a matrix but neither AC nor ID");
            }

            if (Columns is null)
            {
                throw reader.ErrorAt(StartLine, $"record {id} has no PO/P0 matrix");
            }

            if (_values.Count == 0)
            {
                throw reader.ErrorAt(MatrixLine, $"record {id}: the matrix has no rows");
            }

            double[] m = _values.ToArray();
            MotifMatrixKind kind = MotifMatrixChecks.GuessKind(m);
            return new Motif(id, m, kind, Name) { Description = Description, Sites = MotifMatrixChecks.SitesFor(m, kind), Source = reader.Path };
        }
    }
}
