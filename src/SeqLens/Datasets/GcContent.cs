namespace SeqLens.Datasets;

/// <summary>GC fraction of a sequence: (G + C) / (A + C + G + T), case-insensitive, other letters (N, IUPAC) ignored.</summary>
public static class GcContent
{
    /// <summary>The GC fraction over unambiguous bases (NaN when there are none) and the fraction of ambiguous letters.</summary>
    public static (double Gc, double AmbiguousFraction) Of(ReadOnlySpan<char> sequence)
    {
        int gc = 0, at = 0;
        foreach (char c in sequence)
        {
            switch (c)
            {
                case 'G' or 'C' or 'g' or 'c':
                    gc++;
                    break;
                case 'A' or 'T' or 'a' or 't':
                    at++;
                    break;
            }
        }

        int acgt = gc + at;
        return (acgt == 0 ? double.NaN : (double)gc / acgt, sequence.Length == 0 ? 0 : 1.0 - ((double)acgt / sequence.Length));
    }

    /// <summary>The bin of <paramref name="gc"/> among <paramref name="bins"/> equal bins of [0, 1] (1.0 falls in the last).</summary>
    public static int Bin(double gc, int bins) => Math.Clamp((int)(gc * bins), 0, bins - 1);
}
