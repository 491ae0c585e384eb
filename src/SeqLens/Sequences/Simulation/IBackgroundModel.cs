namespace SeqLens.Sequences.Simulation;

/// <summary>A generator of random background DNA (uppercase A, C, G, T).</summary>
public interface IBackgroundModel
{
    /// <summary>Fills <paramref name="destination"/> with background bases drawn from <paramref name="rng"/>.</summary>
    void Sample(Span<byte> destination, Rng rng);
}
