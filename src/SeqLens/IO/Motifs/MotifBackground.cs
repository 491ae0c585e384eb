using System.Globalization;

namespace SeqLens.IO.Motifs;

/// <summary>Background base frequencies (A, C, G, T) for log-odds scores and information content.</summary>
public sealed record MotifBackground
{
    /// <summary>A background; the frequencies must be positive and are normalised to sum to 1.</summary>
    public MotifBackground(double a, double c, double g, double t)
    {
        double sum = a + c + g + t;
        if (!(a > 0 && c > 0 && g > 0 && t > 0) || !double.IsFinite(sum))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Background frequencies must be positive and finite; got A={a} C={c} G={g} T={t}."));
        }

        A = a / sum;
        C = c / sum;
        G = g / sum;
        T = t / sum;
    }

    /// <summary>0.25 each.</summary>
    public static MotifBackground Uniform { get; } = new(0.25, 0.25, 0.25, 0.25);

    public double A { get; }

    public double C { get; }

    public double G { get; }

    public double T { get; }

    /// <summary>Frequency of base <paramref name="index"/> (0 = A, 1 = C, 2 = G, 3 = T).</summary>
    public double this[int index] => index switch
    {
        0 => A,
        1 => C,
        2 => G,
        3 => T,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "Base index must be 0..3 (A, C, G, T)."),
    };

    /// <summary>A background with GC fraction <paramref name="gc"/>: C = G = gc/2, A = T = (1 - gc)/2.</summary>
    public static MotifBackground FromGc(double gc)
    {
        if (!(gc > 0 && gc < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gc), gc, "GC fraction must be strictly between 0 and 1.");
        }

        return new MotifBackground((1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2);
    }
}
