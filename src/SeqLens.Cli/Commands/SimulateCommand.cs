using System.CommandLine;
using System.Globalization;
using SeqLens.Sequences.Simulation;

namespace SeqLens.Cli.Commands;

/// <summary><c>seqlens simulate</c>: writes a simulated data set (sequences.fa, labels.tsv, truth.bed, simdata.tsv).</summary>
internal static class SimulateCommand
{
    internal static Command Create(CliConsole console)
    {
        var preset = new Option<string>("--preset")
        {
            Description = "Design: talgata (DeepLIFT TAL/GATA), logic (AND/OR/XOR/NOT tasks), simple (one motif) or cancer (mutated genome windows).",
            Required = true,
        };
        preset.AcceptOnlyFromAmong([.. SimulationPresets.Names, CancerSimulator.PresetName]);
        var n = new Option<int>("--n") { Description = "Number of sequences.", DefaultValueFactory = _ => 1000 };
        var length = new Option<int?>("--length") { Description = "Sequence length (default: the preset's, 200 or 100)." };
        var seed = new Option<long>("--seed") { Description = "Random seed; the same seed gives the same files.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output folder (created when missing).", Required = true };
        var motifs = new Option<string?>("--motifs")
        {
            Description = "talgata only: ENCODE motifs.txt(.gz) to take GATA_disc1 and TAL1_known1 from (default: built-in copies).",
        };
        var gc = new Option<double?>("--gc") { Description = "Background GC fraction (default: the preset's, 0.4 or 0.5)." };
        var genome = new Option<string?>("--genome") { Description = "cancer only: genome FASTA to draw windows from." };
        var annotation = new Option<string?>("--annotation") { Description = "cancer only: GTF/GFF3 in the FASTA record's own coordinates." };
        var genes = new Option<string?>("--genes") { Description = "cancer only: comma-separated target genes (names, gene ids or transcript ids; LABEL=id to label an id, e.g. AXIN1=NM_003502)." };
        var targetFraction = new Option<double>("--target-fraction") { Description = "cancer only: fraction of windows (both classes) drawn over target genes.", DefaultValueFactory = _ => 0.5 };
        var targetUnit = new Option<string>("--target-unit") { Description = "cancer only: on-target windows overlap a target gene's span (gene), its exons (exon) or its hotspots (hotspot).", DefaultValueFactory = _ => "gene" };
        targetUnit.AcceptOnlyFromAmong("gene", "exon", "hotspot");
        var hotspots = new Option<int>("--hotspots") { Description = "cancer only: recurrent hotspot substitutions per target gene (0: none).", DefaultValueFactory = _ => 0 };
        var hotspotRate = new Option<double>("--hotspot-rate") { Description = "cancer only: probability that a tumour window covering a hotspot carries it.", DefaultValueFactory = _ => new CancerOptions().HotspotRate };
        var backgroundRate = new Option<double>("--background-rate") { Description = "cancer only: mutation rate per base in both classes.", DefaultValueFactory = _ => new CancerOptions().BackgroundRate };
        var tumourRate = new Option<double>("--tumour-rate") { Description = "cancer only: extra mutation rate per base in target-gene exons of tumour windows.", DefaultValueFactory = _ => new CancerOptions().TumourExonRate };
        var hotspotSeed = new Option<long>("--hotspot-seed") { Description = "cancer only: seed of the hotspot positions and alleles (keep it to draw a test set of the same cancer with another --seed).", DefaultValueFactory = _ => 1 };
        var shuffleLabels = new Option<long?>("--shuffle-labels") { Description = "cancer only, negative control: write labels.tsv with the classes permuted among the windows (seeded); the truth stays in mutations.tsv and windows.bed." };
        var command = new Command("simulate", "Simulate DNA sequences with embedded motifs, task labels and ground truth.")
        {
            preset, n, length, seed, output, motifs, gc, genome, annotation, genes, targetFraction, targetUnit, backgroundRate, tumourRate, hotspots, hotspotRate, hotspotSeed, shuffleLabels,
        };
        command.SetAction(parseResult =>
        {
            string name = parseResult.GetValue(preset)!;
            if (name == CancerSimulator.PresetName)
            {
                return RunCancer(console, parseResult.GetValue(genome), parseResult.GetValue(annotation), parseResult.GetValue(genes), new CancerOptions
                {
                    Count = parseResult.GetValue(n),
                    Length = parseResult.GetValue(length) ?? 1000,
                    TargetFraction = parseResult.GetValue(targetFraction),
                    TargetUnit = parseResult.GetValue(targetUnit) switch { "exon" => CancerTargetUnit.Exon, "hotspot" => CancerTargetUnit.Hotspot, _ => CancerTargetUnit.Gene },
                    HotspotsPerGene = parseResult.GetValue(hotspots),
                    HotspotRate = parseResult.GetValue(hotspotRate),
                    HotspotSeed = parseResult.GetValue(hotspotSeed),
                    BackgroundRate = parseResult.GetValue(backgroundRate),
                    TumourExonRate = parseResult.GetValue(tumourRate),
                    Seed = parseResult.GetValue(seed),
                }, parseResult.GetValue(output)!, parseResult.GetValue(shuffleLabels));
            }

            if (parseResult.GetValue(genome) is not null || parseResult.GetValue(annotation) is not null || parseResult.GetValue(genes) is not null)
            {
                throw new ArgumentException("--genome, --annotation and --genes apply to --preset cancer only.");
            }

            string? motifPath = parseResult.GetValue(motifs);
            if (motifPath is not null && name != "talgata")
            {
                throw new ArgumentException("--motifs applies to --preset talgata only.");
            }

            int count = parseResult.GetValue(n);
            if (count <= 0)
            {
                throw new ArgumentException($"--n must be positive; got {count}.");
            }

            int? len = parseResult.GetValue(length);
            if (len is <= 0)
            {
                throw new ArgumentException($"--length must be positive; got {len}.");
            }

            double? gcFraction = parseResult.GetValue(gc);
            if (gcFraction is not null && !(gcFraction >= 0 && gcFraction <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--gc must be between 0 and 1; got {gcFraction}."));
            }

            SimulationDesign design = SimulationPresets.ByName(name, motifPath, gcFraction);
            SimulationResult result = Simulator.Generate(design, count, len, parseResult.GetValue(seed));
            string dir = parseResult.GetValue(output)!;
            SimulationWriter.Write(dir, result);
            int instances = result.Sequences.Sum(s => s.Instances.Count);
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"simulate {name}: {count} sequences x {result.Sequences[0].Sequence.Length} bp, {instances} motif instances, tasks {string.Join(",", result.TaskNames)} -> {dir} ({string.Join(", ", SimulationWriter.FileNames)})"));
            return 0;
        });
        return command;
    }

    private static int RunCancer(CliConsole console, string? genome, string? annotation, string? genes, CancerOptions options, string dir, long? shuffleLabels)
    {
        if (genome is null || annotation is null || genes is null)
        {
            throw new ArgumentException("--preset cancer needs --genome, --annotation and --genes.");
        }

        CancerResult result = CancerSimulator.Generate(genome, annotation, options with { Genes = genes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) });
        CancerWriter.Write(dir, result, shuffleLabels);
        int planted = result.Windows.Sum(w => w.Mutations.Count(m => m.InTargetExon && w.Tumour));
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulate cancer: {options.Count} windows x {options.Length} bp from {result.Contig} (genome offset {result.GenomeOffset}), genes {string.Join(",", result.TargetGenes)}, {result.Windows.Sum(w => w.Mutations.Count)} mutations ({planted} in target exons of tumour windows) -> {dir} ({string.Join(", ", CancerWriter.FileNames)}){(shuffleLabels is null ? string.Empty : "; labels.tsv holds SHUFFLED classes (negative control)")}"));
        return 0;
    }
}
