using System.Globalization;
using SeqLens.IO.Intervals;
using SeqLens.IO.Text;

namespace SeqLens.IO.Bed;

/// <summary>Reads BED3..BED12 and narrowPeak files (plain or gzip) into <see cref="BedRecord"/>s.</summary>
/// <remarks>
/// Skips blank lines and <c>track</c>, <c>browser</c> and <c>#</c> header lines. Fields are tab-separated (lines
/// without tabs are split on runs of spaces). Every data line must have the same number of columns: 3..9 or 12
/// (BED), or 10 (narrowPeak, also chosen by the <c>narrowPeak</c> argument or a <c>.narrowPeak</c> extension).
/// Checks: integer coordinates with 0 &lt;= start &lt;= end, strand in {+,-,.}, numeric score, thick range inside
/// the record, BED12 block lists of blockCount entries, narrowPeak summit inside the peak. With
/// <c>lenientScore</c>, a non-numeric score column is kept in <see cref="BedRecord.ScoreText"/> only (Score null)
/// instead of failing: some files put a gene name there.
/// </remarks>
public static class BedReader
{
    /// <summary>Reads every record of <paramref name="path"/>.</summary>
    public static List<BedRecord> ReadFile(string path, bool? narrowPeak = null, bool lenientScore = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool np = narrowPeak ?? (path.EndsWith(".narrowPeak", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".narrowPeak.gz", StringComparison.OrdinalIgnoreCase));
        using var reader = new StreamReader(CompressedInput.Open(path));
        return Read(reader, path, np, lenientScore).ToList();
    }

    /// <summary>Streams records from <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    public static IEnumerable<BedRecord> Read(TextReader reader, string source, bool narrowPeak = false, bool lenientScore = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long lineNo = 0;
        int columns = -1;
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
            if (line.Length == 0 || line[0] == '#' || line.StartsWith("track", StringComparison.Ordinal) || line.StartsWith("browser", StringComparison.Ordinal))
            {
                continue;
            }

            string[] f = line.Contains('\t', StringComparison.Ordinal) ? line.Split('\t') : line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns < 0)
            {
                columns = f.Length;
                bool ok = narrowPeak ? columns == 10 : columns is (>= 3 and <= 9) or 12 or 10;
                if (!ok)
                {
                    throw new ParseException(source, lineNo, 0, narrowPeak
                        ? $"narrowPeak needs 10 columns; got {columns}"
                        : $"BED needs 3 to 9 or 12 columns (10 for narrowPeak); got {columns}");
                }

                narrowPeak |= columns == 10;
            }
            else if (f.Length != columns)
            {
                throw new ParseException(source, lineNo, 0, $"expected {columns} columns like the first record; got {f.Length}");
            }

            yield return Parse(f, source, lineNo, narrowPeak, lenientScore);
        }
    }

    private static BedRecord Parse(string[] f, string source, long lineNo, bool narrowPeak, bool lenientScore)
    {
        if (f[0].Length == 0)
        {
            throw new ParseException(source, lineNo, 1, "empty chromosome name");
        }

        long start = Long(f[1], source, lineNo, 2, "start");
        long end = Long(f[2], source, lineNo, 3, "end");
        if (end < start)
        {
            throw new ParseException(source, lineNo, 3, $"end {end} is before start {start} (BED is 0-based half-open, end >= start)");
        }

        var r = new BedRecord(f[0], start, end) { FieldCount = f.Length, ThickStart = start, ThickEnd = end, IsNarrowPeak = narrowPeak };
        if (f.Length > 3)
        {
            r = r with { Name = f[3] };
        }

        if (f.Length > 4)
        {
            r = r with { ScoreText = f[4] };
            if (f[4] != "." && !(lenientScore && !double.TryParse(f[4], NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                r = r with { Score = Double(f[4], source, lineNo, 5, "score") };
            }
        }

        if (f.Length > 5)
        {
            if (!StrandExtensions.TryParse(f[5], out Strand strand) || f[5] == "?")
            {
                throw new ParseException(source, lineNo, 6, $"strand must be '+', '-' or '.'; got '{f[5]}'");
            }

            r = r with { Strand = strand };
        }

        if (narrowPeak)
        {
            long peak = Long(f[9], source, lineNo, 10, "peak", allowMinusOne: true);
            if (peak >= end - start && !(peak == 0 && end == start))
            {
                throw new ParseException(source, lineNo, 10, $"summit offset {peak} is outside the peak of length {end - start}");
            }

            return r with
            {
                SignalValue = Double(f[6], source, lineNo, 7, "signalValue"),
                PValue = Double(f[7], source, lineNo, 8, "pValue"),
                QValue = Double(f[8], source, lineNo, 9, "qValue"),
                Peak = peak,
            };
        }

        if (f.Length > 6)
        {
            long ts = Long(f[6], source, lineNo, 7, "thickStart");
            long te = f.Length > 7 ? Long(f[7], source, lineNo, 8, "thickEnd") : end;
            if (ts < start || te > end || te < ts)
            {
                // NOTE: UCSC allows thickStart = thickEnd = start for non-coding items; that passes this check.
                throw new ParseException(source, lineNo, 7, $"thick range [{ts}, {te}) must lie inside [{start}, {end})");
            }

            r = r with { ThickStart = ts, ThickEnd = te };
        }

        if (f.Length > 8)
        {
            r = r with { ItemRgb = f[8] };
        }

        if (f.Length == 12)
        {
            int count = (int)Long(f[9], source, lineNo, 10, "blockCount");
            int[] sizes = IntList(f[10], source, lineNo, 11, "blockSizes");
            int[] starts = IntList(f[11], source, lineNo, 12, "blockStarts");
            if (sizes.Length != count || starts.Length != count)
            {
                throw new ParseException(source, lineNo, 10, $"blockCount is {count} but blockSizes has {sizes.Length} and blockStarts {starts.Length} entries");
            }

            for (int i = 0; i < count; i++)
            {
                if (start + starts[i] + sizes[i] > end)
                {
                    throw new ParseException(source, lineNo, 12, $"block {i + 1} [{starts[i]}, {starts[i] + sizes[i]}) runs past the record end");
                }
            }

            r = r with { BlockCount = count, BlockSizes = sizes, BlockStarts = starts };
        }

        return r;
    }

    private static long Long(string text, string source, long line, int column, string what, bool allowMinusOne = false)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) && (v >= 0 || (allowMinusOne && v == -1)))
        {
            return v;
        }

        throw new ParseException(source, line, column, $"{what} must be a non-negative integer; got '{text}'");
    }

    private static double Double(string text, string source, long line, int column, string what)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && !double.IsNaN(v))
        {
            return v;
        }

        throw new ParseException(source, line, column, $"{what} must be a number; got '{text}'");
    }

    private static int[] IntList(string text, string source, long line, int column, string what)
    {
        string[] parts = text.TrimEnd(',').Split(',');
        if (text.Length == 0)
        {
            return [];
        }

        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]))
            {
                throw new ParseException(source, line, column, $"{what} must be comma-separated non-negative integers; got '{text}'");
            }
        }

        return result;
    }
}
