namespace SeqLens.IO.Intervals;

/// <summary>Conversions between <see cref="Strand"/> and its one-character form.</summary>
public static class StrandExtensions
{
    /// <summary>'+', '-' or '.'.</summary>
    public static char ToChar(this Strand strand) => strand switch
    {
        Strand.Plus => '+',
        Strand.Minus => '-',
        _ => '.',
    };

    /// <summary>Parses '+', '-', '.' (and GFF3's '?', unknown); false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Strand strand)
    {
        strand = Strand.None;
        if (text.Length != 1)
        {
            return false;
        }

        switch (text[0])
        {
            case '+':
                strand = Strand.Plus;
                return true;
            case '-':
                strand = Strand.Minus;
                return true;
            case '.':
            case '?':
                return true;
            default:
                return false;
        }
    }
}
