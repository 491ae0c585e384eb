using System.Globalization;

namespace SeqLens.Sequences.Simulation;

/// <summary>
/// One motif instance embedded in a simulated sequence: 0-based half-open [<see cref="Start"/>, <see cref="End"/>),
/// the motif id, the exact embedded bases (as they read on the + strand of the sequence), the strand the PWM was
/// sampled on, and the log-odds score (bits) of the sampled site under the PWM against the design's background.
/// </summary>
public sealed record MotifInstance(int Start, string Motif, string Bases, char Strand, double Score)
{
    /// <summary>End (exclusive).</summary>
    public int End => Start + Bases.Length;

    /// <summary>The DeepLIFT simdata embedding string, e.g. <c>pos-17_GATA_disc1-CCAGATAAGA</c>.</summary>
    public string Embedding => string.Create(CultureInfo.InvariantCulture, $"pos-{Start}_{Motif}-{Bases}");
}
