using System.Globalization;

namespace SeqLens.IO.Tsv;

/// <summary>
/// Writes tab-separated rows with invariant-culture numbers: integers as digits, float/double as the shortest
/// round-tripping text (NaN as "nan", infinities as "inf"/"-inf", as numpy and pandas read them), booleans as
/// 0/1. A field holding a tab or line break is an <see cref="ArgumentException"/> (TSV cannot quote it).
/// </summary>
public sealed class TsvWriter
{
    private readonly TextWriter _writer;
    private readonly int _columns;

    /// <summary>Writes the <paramref name="header"/> row to <paramref name="writer"/>; rows must then have as many fields.</summary>
    public TsvWriter(TextWriter writer, IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(header);
        _writer = writer;
        _columns = header.Count;
        WriteFields(header.Cast<object?>().ToArray());
    }

    /// <summary>Writes one row.</summary>
    public void WriteRow(params object?[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Length != _columns)
        {
            throw new ArgumentException($"row has {fields.Length} fields; the header has {_columns}", nameof(fields));
        }

        WriteFields(fields);
    }

    /// <summary>Writes a whole table to <paramref name="path"/> atomically.</summary>
    public static void WriteFile(string path, IReadOnlyList<string> header, IEnumerable<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        AtomicFile.WriteText(path, w =>
        {
            var tsv = new TsvWriter(w, header);
            foreach (object?[] row in rows)
            {
                tsv.WriteRow(row);
            }
        });
    }

    /// <summary>The text of one field.</summary>
    public static string Format(object? value) => value switch
    {
        null => string.Empty,
        string s => s.AsSpan().IndexOfAny("\t\r\n") >= 0 ? throw new ArgumentException($"TSV field contains a tab or line break: '{s}'", nameof(value)) : s,
        float f => float.IsNaN(f) ? "nan" : float.IsPositiveInfinity(f) ? "inf" : float.IsNegativeInfinity(f) ? "-inf" : f.ToString(CultureInfo.InvariantCulture),
        double d => double.IsNaN(d) ? "nan" : double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        char c => Format(c.ToString()),
        IFormattable x => Format(x.ToString(null, CultureInfo.InvariantCulture)),
        _ => Format(value.ToString()),
    };

    private void WriteFields(object?[] fields)
    {
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                _writer.Write('\t');
            }

            _writer.Write(Format(fields[i]));
        }

        _writer.Write('\n');
    }
}
