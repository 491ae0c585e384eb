using System.Globalization;
using System.Text.RegularExpressions;
using SeqLens.IO;
using SeqLens.IO.Bed;
using SeqLens.IO.Intervals;

namespace SeqLens.Regions;

/// <summary>
/// Genomic coordinates of sequences (windows, reads): parsed from names/headers, or looked up by name in a BED file.
/// Results are 0-based half-open <see cref="GenomicInterval"/>s; strand '-' means the sequence is the reverse
/// complement of the forward-strand interval, so its position <c>i</c> is the genomic base <c>End - 1 - i</c>.
/// </summary>
/// <remarks>
/// Header forms (the whole name, or its first word): <c>chr:start-end</c>, <c>chr:start-end(+)</c> /
/// <c>chr:start-end(-)</c> / <c>(.)</c>, and <c>name::chr:start-end[(strand)]</c> as bedtools getfasta
/// <c>-name</c> writes; thousands separators (<c>chr1:1,000-2,000</c>) are accepted. Numbers are 1-based closed like
/// samtools regions by default, but bedtools getfasta writes 0-based starts: <see cref="CoordinateConvention.Auto"/>
/// decides per record from the sequence length, which differs by one between the two readings.
/// </remarks>
public static partial class SequenceCoordinates
{
    [GeneratedRegex(@"^(?:(?<name>.+?)::)?(?<chrom>[^\s:]+):(?<start>[0-9][0-9,]*)-(?<end>[0-9][0-9,]*)(?:\((?<strand>[+\-.])\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderPattern();

    /// <summary>
    /// Parses a header into (chrom, first, last, strand) as written, without applying a convention; false when it
    /// has none of the accepted forms.
    /// </summary>
    public static bool TryParseHeader(string header, out string chrom, out long first, out long second, out Strand strand)
    {
        ArgumentNullException.ThrowIfNull(header);
        chrom = string.Empty;
        first = second = 0;
        strand = Strand.None;
        string text = header.Trim();
        int space = text.IndexOfAny([' ', '\t']);
        if (space >= 0)
        {
            text = text[..space];
        }

        Match m = HeaderPattern().Match(text);
        if (!m.Success
            || !long.TryParse(m.Groups["start"].Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out first)
            || !long.TryParse(m.Groups["end"].Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out second))
        {
            return false;
        }

        chrom = m.Groups["chrom"].Value;
        if (m.Groups["strand"].Success && !StrandExtensions.TryParse(m.Groups["strand"].ValueSpan, out strand))
        {
            return false;
        }

        return true;
    }

    /// <summary>
    /// The 0-based half-open interval of the sequence called <paramref name="header"/> of <paramref name="length"/>
    /// bases. Throws a <see cref="ParseException"/> (record = <paramref name="record"/>, 1-based) naming the sequence
    /// when the header has no coordinates or its interval length differs from the sequence length.
    /// </summary>
    public static GenomicInterval FromHeader(string header, int length, CoordinateConvention convention = CoordinateConvention.Auto, string source = "scores", int record = 0)
    {
        if (!TryParseHeader(header, out string chrom, out long a, out long b, out Strand strand))
        {
            throw new ParseException(source, record, 0,
                $"sequence '{header}' has no genomic coordinates; expected chr:start-end (1-based closed, samtools), chr:start-end(+|-) or name::chr:start-end (bedtools getfasta), or give a BED of intervals by name");
        }

        long span = b - a;
        CoordinateConvention used = convention;
        if (convention == CoordinateConvention.Auto)
        {
            used = span + 1 == length ? CoordinateConvention.OneBasedClosed : span == length ? CoordinateConvention.ZeroBasedHalfOpen : CoordinateConvention.Auto;
        }

        (long start, long end) = used switch
        {
            CoordinateConvention.OneBasedClosed => (a - 1, b),
            CoordinateConvention.ZeroBasedHalfOpen => (a, b),
            _ => (-1L, -1L),
        };
        if (used == CoordinateConvention.OneBasedClosed && a < 1)
        {
            throw new ParseException(source, record, 0, $"sequence '{header}': 1-based start must be at least 1");
        }

        if (end - start != length || start < 0)
        {
            throw new ParseException(source, record, 0, string.Create(CultureInfo.InvariantCulture,
                $"sequence '{header}' has {length} bases but its header interval {chrom}:{a}-{b} spans {span + 1} bases read 1-based closed (samtools) or {span} read 0-based half-open (bedtools){(convention == CoordinateConvention.Auto ? string.Empty : $"; convention {convention} was requested")}"));
        }

        return new GenomicInterval(chrom, start, end, strand) { Kind = "sequence", GeneName = header };
    }

    /// <summary>
    /// Intervals of sequences by name from a BED file (0-based half-open; column 4 = the sequence name, column 6 the
    /// strand when present). Every name must be found and the interval length must equal the sequence length; a
    /// <see cref="ParseException"/> names the sequence otherwise. Duplicate names in the BED are an error.
    /// </summary>
    public static GenomicInterval[] FromBed(string bedPath, IReadOnlyList<string> names, IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(lengths);
        var byName = new Dictionary<string, BedRecord>(StringComparer.Ordinal);
        int line = 0;
        foreach (BedRecord r in BedReader.ReadFile(bedPath, lenientScore: true))
        {
            line++;
            if (r.FieldCount < 4 || r.Name.Length == 0)
            {
                throw new ParseException(bedPath, 0, 4, $"BED record {line} ({r.Chrom}:{r.Start}-{r.End}) has no name; the sequence BED needs column 4 = sequence name");
            }

            if (!byName.TryAdd(r.Name, r))
            {
                throw new ParseException(bedPath, 0, 4, $"BED record {line}: sequence name '{r.Name}' appears twice");
            }
        }

        var result = new GenomicInterval[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            if (!byName.TryGetValue(names[i], out BedRecord? r))
            {
                throw new ParseException(bedPath, 0, 0, $"sequence '{names[i]}' (record {i + 1} of the scores) has no interval in the BED");
            }

            if (r.End - r.Start != lengths[i])
            {
                throw new ParseException(bedPath, 0, 0, string.Create(CultureInfo.InvariantCulture,
                    $"sequence '{names[i]}' has {lengths[i]} bases but its BED interval {r.Chrom}:{r.Start}-{r.End} spans {r.End - r.Start}"));
            }

            result[i] = new GenomicInterval(r.Chrom, r.Start, r.End, r.Strand) { Kind = "sequence", GeneName = names[i] };
        }

        return result;
    }

    /// <summary>Intervals of every sequence from its name (see <see cref="FromHeader"/>).</summary>
    public static GenomicInterval[] FromHeaders(IReadOnlyList<string> names, IReadOnlyList<int> lengths, CoordinateConvention convention = CoordinateConvention.Auto, string source = "scores")
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(lengths);
        var result = new GenomicInterval[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            result[i] = FromHeader(names[i], lengths[i], convention, source, i + 1);
        }

        return result;
    }
}
