using System.Globalization;
using SeqLens.IO.Intervals;

namespace SeqLens.IO.Bed;

/// <summary>Writes <see cref="BedRecord"/>s as tab-separated BED (each record's <see cref="BedRecord.FieldCount"/>
/// columns; narrowPeak records as 10 columns), numbers in invariant culture, LF line endings.</summary>
public static class BedWriter
{
    /// <summary>Writes records to <paramref name="path"/> atomically.</summary>
    public static void WriteFile(string path, IEnumerable<BedRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        AtomicFile.WriteText(path, w =>
        {
            foreach (BedRecord r in records)
            {
                Write(w, r);
            }
        });
    }

    /// <summary>Writes one record as a line.</summary>
    public static void Write(TextWriter writer, BedRecord r)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(r);
        int n = r.IsNarrowPeak ? 10 : r.FieldCount;
        var f = new List<string>(n) { r.Chrom, I(r.Start), I(r.End) };
        if (n > 3)
        {
            f.Add(r.Name.Length == 0 ? "." : r.Name);
        }

        if (n > 4)
        {
            f.Add(r.Score is { } s ? D(s) : r.ScoreText.Length > 0 ? r.ScoreText : (r.IsNarrowPeak ? "0" : "."));
        }

        if (n > 5)
        {
            f.Add(r.Strand.ToChar().ToString());
        }

        if (r.IsNarrowPeak)
        {
            f.Add(D(r.SignalValue));
            f.Add(D(r.PValue));
            f.Add(D(r.QValue));
            f.Add(I(r.Peak));
        }
        else
        {
            if (n > 6)
            {
                f.Add(I(r.ThickStart));
            }

            if (n > 7)
            {
                f.Add(I(r.ThickEnd));
            }

            if (n > 8)
            {
                f.Add(r.ItemRgb.Length == 0 ? "0" : r.ItemRgb);
            }

            if (n == 12)
            {
                f.Add(I(r.BlockCount));
                f.Add(string.Join(',', r.BlockSizes.Select(x => I(x))) + ",");
                f.Add(string.Join(',', r.BlockStarts.Select(x => I(x))) + ",");
            }
        }

        writer.Write(string.Join('\t', f));
        writer.Write('\n');
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
