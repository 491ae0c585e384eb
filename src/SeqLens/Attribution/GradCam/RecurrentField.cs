namespace SeqLens.Attribution.GradCam;

/// <summary>How the positions of a recurrent (QRNN fo-pool) node map to input positions in a <see cref="ReceptiveField"/>.</summary>
public enum RecurrentField
{
    /// <summary>
    /// The exact field: position p of a forward recurrence depends on every input up to p (the backward direction, built
    /// with Reverse, on every input from p on). Exact, but it spreads a node position over the whole prefix, so a
    /// nucleotide-level map averages over hundreds of positions and loses the peak.
    /// </summary>
    Prefix,

    /// <summary>
    /// Position p of the recurrence stands for its own step: the field of the fo-pool's input at p (for a QRNN, the
    /// width-k gate convolution ending at p). The usual reading of a recurrent state h_t as "step t"; it ignores what
    /// the state carries from earlier steps, which the forget gates make decay.
    /// </summary>
    Local,
}
