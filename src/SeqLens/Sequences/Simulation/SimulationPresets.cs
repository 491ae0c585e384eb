using SeqLens.IO.Motifs;

namespace SeqLens.Sequences.Simulation;

/// <summary>Ready-made simulation designs: <c>talgata</c>, <c>logic</c> and <c>simple</c>.</summary>
public static class SimulationPresets
{
    /// <summary>The preset names, for command lines.</summary>
    public static IReadOnlyList<string> Names { get; } = ["talgata", "logic", "simple"];

    /// <summary>
    /// The preset called <paramref name="name"/>; <paramref name="encodeMotifsPath"/> is used by <c>talgata</c> only;
    /// <paramref name="gc"/> overrides the preset's background GC fraction.
    /// </summary>
    public static SimulationDesign ByName(string name, string? encodeMotifsPath = null, double? gc = null) => name switch
    {
        "talgata" => TalGata(encodeMotifsPath, gc ?? 0.4),
        "logic" => Logic(gc ?? 0.4),
        "simple" => Simple(null, gc ?? 0.5),
        _ => throw new ArgumentException($"Unknown simulation preset '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// The DeepLIFT paper's TAL/GATA simulation (Shrikumar et al. 2017, ICML, section 4.2): 200 bp at 40 % GC, four
    /// equally frequent classes <c>empty</c>, <c>gata_only</c>, <c>tal1_only</c>, <c>gata_tal1</c>; each present motif
    /// has 1-3 instances (Poisson mean 2, redrawn outside [1, 3]) on the + strand, as in the published data.
    /// Tasks: <c>task1</c> = GATA and TAL1, <c>task2</c> = GATA, <c>task3</c> = TAL1.
    /// </summary>
    /// <remarks>
    /// NOTE: the published data (talgata/sequences.simdata.gz) has 46 % GC even in its <c>empty</c> class
    /// (A 0.27, C 0.23, G 0.23, T 0.27), although the paper states 40 %; pass <paramref name="gc"/> = 0.46 to match it.
    /// </remarks>
    /// <param name="encodeMotifsPath">ENCODE motifs.txt(.gz) to take <c>GATA_disc1</c> and <c>TAL1_known1</c> from;
    /// null uses <see cref="BuiltInMotifs"/> (the same values).</param>
    /// <param name="gc">Background GC fraction (default 0.4).</param>
    public static SimulationDesign TalGata(string? encodeMotifsPath = null, double gc = 0.4)
    {
        Motif gata = BuiltInMotifs.GataDisc1, tal = BuiltInMotifs.Tal1Known1;
        if (encodeMotifsPath is not null)
        {
            IReadOnlyList<Motif> all = EncodeMotifsFormat.Read(encodeMotifsPath);
            gata = all.FirstOrDefault(m => m.Id == "GATA_disc1") ?? throw new ArgumentException($"{encodeMotifsPath} has no motif GATA_disc1.", nameof(encodeMotifsPath));
            tal = all.FirstOrDefault(m => m.Id == "TAL1_known1") ?? throw new ArgumentException($"{encodeMotifsPath} has no motif TAL1_known1.", nameof(encodeMotifsPath));
        }

        var g = new MotifEmbedding(gata, 1, 1, 3, 2);
        var t = new MotifEmbedding(tal, 1, 1, 3, 2);
        return new SimulationDesign(
            "talgata",
            new GcBackground(gc),
            [
                new SimulationClass("empty", []),
                new SimulationClass("gata_only", [g]),
                new SimulationClass("tal1_only", [t]),
                new SimulationClass("gata_tal1", [g, t]),
            ],
            [
                new SimulationTask("task1", LabelRule.And(LabelRule.Motif(gata.Id), LabelRule.Motif(tal.Id))),
                new SimulationTask("task2", LabelRule.Motif(gata.Id)),
                new SimulationTask("task3", LabelRule.Motif(tal.Id)),
            ],
            DefaultLength: 200,
            BothStrands: false);
    }

    /// <summary>
    /// DeepResolve-style logic simulation: 200 bp at 40 % GC; one class where each of AP1, CTCF, GATA and SP1
    /// (<see cref="BuiltInMotifs"/>) is present independently with probability 1/2 (one instance, either strand).
    /// Tasks: <c>ap1_and_ctcf</c>, <c>gata_or_sp1</c>, <c>ap1_xor_gata</c>, <c>ctcf_not_sp1</c> (CTCF and not SP1).
    /// </summary>
    /// <param name="gc">Background GC fraction (default 0.4).</param>
    public static SimulationDesign Logic(double gc = 0.4)
    {
        Motif[] motifs = [BuiltInMotifs.Ap1, BuiltInMotifs.Ctcf, BuiltInMotifs.Gata, BuiltInMotifs.Sp1];
        return new SimulationDesign(
            "logic",
            new GcBackground(gc),
            [new SimulationClass("logic", motifs.Select(m => new MotifEmbedding(m, Probability: 0.5)).ToArray())],
            [
                new SimulationTask("ap1_and_ctcf", LabelRule.Parse("AP1 & CTCF")),
                new SimulationTask("gata_or_sp1", LabelRule.Parse("GATA | SP1")),
                new SimulationTask("ap1_xor_gata", LabelRule.Parse("AP1 ^ GATA")),
                new SimulationTask("ctcf_not_sp1", LabelRule.Parse("CTCF & !SP1")),
            ],
            DefaultLength: 200,
            BothStrands: true);
    }

    /// <summary>
    /// The smallest useful task: two equally frequent classes, <c>negative</c> (background only) and <c>positive</c>
    /// (one instance of <paramref name="motif"/>, default <see cref="BuiltInMotifs.GataDisc1"/>, either strand);
    /// 100 bp at 50 % GC; one task <c>positive</c>.
    /// </summary>
    /// <param name="motif">The motif (default GATA_disc1).</param>
    /// <param name="gc">Background GC fraction (default 0.5).</param>
    public static SimulationDesign Simple(Motif? motif = null, double gc = 0.5)
    {
        motif ??= BuiltInMotifs.GataDisc1;
        return new SimulationDesign(
            "simple",
            new GcBackground(gc),
            [new SimulationClass("negative", []), new SimulationClass("positive", [new MotifEmbedding(motif)])],
            [new SimulationTask("positive", LabelRule.Motif(motif.Id))],
            DefaultLength: 100,
            BothStrands: true);
    }
}
