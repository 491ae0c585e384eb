using System.Globalization;

namespace SeqLens.IO.BedGraph;

/// <summary>Writes bedGraph text (<c>chrom start end value</c>, tab-separated, LF), values in invariant culture as the
/// shortest text that round-trips the float32. An optional <c>track type=bedGraph</c> line comes first.</summary>
public static class BedGraphWriter
{
    /// <summary>Writes records to <paramref name="path"/> atomically; <paramref name="trackName"/> adds a track line.</summary>
    public static void WriteFile(string path, IEnumerable<BedGraphRecord> records, string? trackName = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        AtomicFile.WriteText(path, w => Write(w, records, trackName));
    }

    /// <summary>Writes records to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, IEnumerable<BedGraphRecord> records, string? trackName = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(records);
        if (trackName is not null)
        {
            if (trackName.AsSpan().IndexOfAny("\"\r\n") >= 0)
            {
                throw new ArgumentException("track name must not contain quotes or line breaks", nameof(trackName));
            }

            writer.Write("track type=bedGraph name=\"" + trackName + "\"\n");
        }

        foreach (BedGraphRecord r in records)
        {
            if (r.End < r.Start || r.Start < 0)
            {
                throw new ArgumentException($"bedGraph interval {r.Chrom}:{r.Start}-{r.End} needs 0 <= start <= end");
            }

            writer.Write(r.Chrom);
            writer.Write('\t');
            writer.Write(r.Start.ToString(CultureInfo.InvariantCulture));
            writer.Write('\t');
            writer.Write(r.End.ToString(CultureInfo.InvariantCulture));
            writer.Write('\t');
            writer.Write(r.Value.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }
}
