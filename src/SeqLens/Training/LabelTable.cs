using System.Globalization;
using SeqLens.IO;

namespace SeqLens.Training;

/// <summary>
/// Per-sequence labels from a tab-separated file: a header row (first column the sequence name, then one column per
/// task, whose header is the task name), then one row per sequence. Values are numbers; <c>NA</c>, <c>NaN</c>, <c>.</c>
/// or an empty cell mean a missing label and become <c>-1</c> (masked by the classification losses and metrics).
/// </summary>
/// <remarks>This is the <c>labels.tsv</c> that <c>seqlens simulate</c> writes. Lines starting with <c>#</c> are skipped.</remarks>
public sealed class LabelTable
{
    private readonly Dictionary<string, float[]> _rows;

    private LabelTable(string path, IReadOnlyList<string> taskNames, Dictionary<string, float[]> rows)
    {
        Path = path;
        TaskNames = taskNames;
        _rows = rows;
    }

    /// <summary>The file that was read.</summary>
    public string Path { get; }

    /// <summary>Task names from the header.</summary>
    public IReadOnlyList<string> TaskNames { get; }

    /// <summary>Number of labelled sequences.</summary>
    public int Count => _rows.Count;

    /// <summary>The labels of <paramref name="name"/>, or false when the table has no row for it.</summary>
    public bool TryGet(string name, out float[] labels) => _rows.TryGetValue(name, out labels!);

    /// <summary>Reads a label table; every malformed line is a <see cref="ParseException"/> with line and column.</summary>
    public static LabelTable Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path);
        string[]? header = null;
        var rows = new Dictionary<string, float[]>(StringComparer.Ordinal);
        long lineNumber = 0;
        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] fields = line.Split('\t');
            if (header is null)
            {
                if (fields.Length < 2)
                {
                    throw new ParseException(path, lineNumber, 0, "the header needs a name column and at least one task column, separated by tabs.");
                }

                header = fields;
                continue;
            }

            if (fields.Length != header.Length)
            {
                throw new ParseException(path, lineNumber, 0, $"expected {header.Length} tab-separated fields (as the header); got {fields.Length}.");
            }

            string name = fields[0];
            if (name.Length == 0)
            {
                throw new ParseException(path, lineNumber, 1, "empty sequence name.");
            }

            var labels = new float[header.Length - 1];
            int column = name.Length + 2;
            for (int t = 0; t < labels.Length; t++)
            {
                string cell = fields[t + 1].Trim();
                if (cell.Length == 0 || cell == "." || cell.Equals("NA", StringComparison.OrdinalIgnoreCase) || cell.Equals("NaN", StringComparison.OrdinalIgnoreCase))
                {
                    labels[t] = -1f;
                }
                else if (float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v))
                {
                    labels[t] = v;
                }
                else
                {
                    throw new ParseException(path, lineNumber, column, $"task '{header[t + 1]}': expected a number, NA or empty; got '{cell}'.");
                }

                column += fields[t + 1].Length + 1;
            }

            if (!rows.TryAdd(name, labels))
            {
                throw new ParseException(path, lineNumber, 1, $"sequence '{name}' is labelled twice.");
            }
        }

        if (header is null)
        {
            throw new ParseException(path, 0, 0, "the file is empty; expected a header row and one row per sequence.");
        }

        return new LabelTable(path, header[1..], rows);
    }
}
