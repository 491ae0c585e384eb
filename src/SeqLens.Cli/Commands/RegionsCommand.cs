using System.CommandLine;
using System.Globalization;
using SeqLens.IO.Bed;
using SeqLens.IO.BedGraph;
using SeqLens.IO.BigWig;
using SeqLens.IO.Gtf;
using SeqLens.IO.Intervals;
using SeqLens.Regions;
using SeqLens.Training;

namespace SeqLens.Cli.Commands;

/// <summary>
/// <c>seqlens regions</c>: aggregates per-nucleotide scores of sequences with genomic coordinates over annotated
/// regions, optionally tests them against a null, and writes a ranked TSV (and a bedGraph/bigWig of the combined
/// per-base scores).
/// </summary>
internal static class RegionsCommand
{
    internal static Command Create(CliConsole console)
    {
        var scores = new Option<string>("--scores") { Description = "npz with 'names' (sequence headers) and scores (N, L) or (N, 4, L).", Required = true };
        var annotation = new Option<string>("--annotation") { Description = "Regions: GTF/GFF3 (genes) or BED (.bed: scored as given).", Required = true };
        var bed = new Option<string?>("--bed") { Description = "BED of each sequence's interval by name (0-based half-open); default: coordinates from the names." };
        var output = new Option<string>("--out") { Description = "Ranked TSV to write.", Required = true };
        var tracks = new Option<string?>("--tracks") { Description = "Also write the combined per-base scores: .bw/.bigWig or .bedGraph/.bg." };
        var feature = new Option<string>("--feature") { Description = "gene (span), gene-exons (a gene's exonic bases), exon, cds, intron, utr, promoter or intergenic (GTF/GFF3 only).", DefaultValueFactory = _ => "gene" };
        feature.AcceptOnlyFromAmong("gene", "gene-exons", "exon", "cds", "intron", "utr", "promoter", "intergenic");
        var stat = new Option<string>("--stat") { Description = "sum, mean, max, topk:K (mean of the K largest) or norm (sum/sqrt(n)).", DefaultValueFactory = _ => "mean" };
        var nullKind = new Option<string>("--null") { Description = "none, circular (shift each sequence's track) or permuted (tracks from permuted-label models, --null-scores).", DefaultValueFactory = _ => "none" };
        nullKind.AcceptOnlyFromAmong("none", "circular", "labels", "permuted");
        var permutations = new Option<int>("--permutations") { Description = "Circular-shift null samples.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<long>("--seed") { Description = "Seed of the circular-shift null.", DefaultValueFactory = _ => 1 };
        var nullScores = new Option<string?>("--null-scores") { Description = "Comma-separated npz files from permuted-label models (same names and shapes), for --null permuted." };
        var combine = new Option<string>("--combine") { Description = "Overlapping windows per base: mean or max.", DefaultValueFactory = _ => "mean" };
        combine.AcceptOnlyFromAmong("mean", "max");
        var reduce = new Option<string>("--reduce") { Description = "(N, 4, L) scores: sum over bases, or observed (needs 'onehot' in the npz).", DefaultValueFactory = _ => "sum" };
        reduce.AcceptOnlyFromAmong("sum", "observed");
        var coordinates = new Option<string>("--coordinates")
        {
            Description = "Header numbers: auto (from the sequence length), samtools (1-based closed) or bedtools (0-based half-open).",
            DefaultValueFactory = _ => "auto",
        };
        coordinates.AcceptOnlyFromAmong("auto", "samtools", "bedtools");
        var upstream = new Option<int>("--promoter-upstream") { Description = "Promoter bases upstream of the TSS.", DefaultValueFactory = _ => 1000 };
        var downstream = new Option<int>("--promoter-downstream") { Description = "Promoter bases from the TSS downstream.", DefaultValueFactory = _ => 1000 };
        var bin = new Option<int>("--bin") { Description = "Intergenic bin size.", DefaultValueFactory = _ => 1000 };
        var offset = new Option<long>("--annotation-offset")
        {
            Description = "Added to annotation coordinates (an annotation local to a chunk: GTF position 1 = genome position offset + 1).",
            DefaultValueFactory = _ => 0,
        };
        var mergeLoci = new Option<bool>("--merge-transcripts")
        {
            Description = "GTF/GFF3: merge genes whose transcripts share exonic bases on the same strand into one locus (RefSeq GTFs from UCSC give each transcript its own gene_id).",
        };
        var names = new Option<string?>("--names") { Description = "Display names for genes: LABEL=identifier pairs (gene id, gene name or transcript id), comma-separated, e.g. AXIN1=NM_003502." };
        var member = new Option<string?>("--member") { Description = "npz member holding the scores (default: scores, attributions, contrib or nucleotide, the first present)." };
        var labels = new Option<string?>("--labels") { Description = "Label table (name<TAB>class..., 1/0 as for train): score the class contrast (tumour minus normal per base), tested with --null labels or --null permuted." };
        var labelColumn = new Option<string?>("--label-column") { Description = "--null labels: the column of --labels (default: the only one)." };
        var normalize = new Option<bool>("--normalize") { Description = "Divide each sequence's track by its mean absolute score first (compares where sequences put their score, not how much)." };
        var command = new Command("regions", "Aggregate per-nucleotide scores over genomic regions, test them, and rank them.")
        {
            scores, annotation, bed, output, tracks, feature, stat, nullKind, permutations, seed, nullScores, combine, reduce, coordinates, upstream, downstream, bin, offset, mergeLoci, names, member, labels, labelColumn, normalize,
        };
        command.SetAction(parseResult =>
        {
            RegionStatistic statistic = RegionStatistic.Parse(parseResult.GetValue(stat)!);
            BaseReduction reduction = parseResult.GetValue(reduce) == "observed" ? BaseReduction.Observed : BaseReduction.Sum;
            string scoresPath = parseResult.GetValue(scores)!;
            ScoreTracks observed = ScoreTracks.Read(scoresPath, reduction, parseResult.GetValue(member));
            bool normalized = parseResult.GetValue(normalize);
            if (normalized)
            {
                observed = observed.PerSequenceNormalized();
            }

            string? bedPath = parseResult.GetValue(bed);
            CoordinateConvention convention = parseResult.GetValue(coordinates) switch
            {
                "samtools" => CoordinateConvention.OneBasedClosed,
                "bedtools" => CoordinateConvention.ZeroBasedHalfOpen,
                _ => CoordinateConvention.Auto,
            };
            GenomicInterval[] intervals = bedPath is null
                ? SequenceCoordinates.FromHeaders(observed.Names, observed.Lengths, convention, scoresPath)
                : SequenceCoordinates.FromBed(bedPath, observed.Names, observed.Lengths);

            string annotationPath = parseResult.GetValue(annotation)!;
            string featureName = parseResult.GetValue(feature)!;
            bool isBed = annotationPath.EndsWith(".bed", StringComparison.OrdinalIgnoreCase) || annotationPath.EndsWith(".bed.gz", StringComparison.OrdinalIgnoreCase);
            List<Region> regions;
            long shift = parseResult.GetValue(offset);
            if (isBed)
            {
                if (parseResult.GetValue(mergeLoci) || parseResult.GetValue(names) is not null)
                {
                    throw new ArgumentException("--merge-transcripts and --names apply to a GTF/GFF3 annotation, not to a BED (whose regions are scored as given).");
                }

                regions = RegionCatalog.FromBed(BedReader.ReadFile(annotationPath, lenientScore: true)
                    .Select(r => r with { Start = r.Start + shift, End = r.End + shift, ThickStart = r.ThickStart + shift, ThickEnd = r.ThickEnd + shift }));
                RegionScorer.CheckContigs(intervals, observed.Names, regions.Select(r => r.Chrom), annotationPath);
            }
            else
            {
                GeneAnnotation genes = GeneAnnotation.ReadFile(annotationPath);
                RegionScorer.CheckContigs(intervals, observed.Names, genes.Genes.Select(g => g.Chrom), annotationPath);
                var extents = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
                foreach (var group in intervals.GroupBy(x => x.Chrom, StringComparer.Ordinal))
                {
                    extents[group.Key] = (group.Min(x => x.Start), group.Max(x => x.End));
                }

                RegionFeature f = Enum.Parse<RegionFeature>(featureName.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);
                var loci = new GeneLoci(parseResult.GetValue(mergeLoci), parseResult.GetValue(names) is { } n ? GeneLoci.ParseLabels(n) : null);
                regions = RegionCatalog.FromAnnotation(genes, f, extents, parseResult.GetValue(upstream), parseResult.GetValue(downstream), parseResult.GetValue(bin), shift, loci);
            }

            IRegionNull? nullModel = parseResult.GetValue(nullKind) switch
            {
                "circular" => new CircularShiftNull(parseResult.GetValue(permutations), parseResult.GetValue(seed)),
                "permuted" => PermutedNull(parseResult.GetValue(nullScores), observed, reduction, parseResult.GetValue(member), normalized),
                _ => null,
            };
            if (nullModel is null && parseResult.GetValue(nullScores) is not null)
            {
                throw new ArgumentException("--null-scores applies to --null permuted only.");
            }

            string? labelsPath = parseResult.GetValue(labels);
            bool contrast = labelsPath is not null;
            if (parseResult.GetValue(nullKind) == "labels" && !contrast)
            {
                throw new ArgumentException("--null labels needs --labels (each sequence's class).");
            }

            if (contrast && parseResult.GetValue(nullKind) is not ("labels" or "permuted"))
            {
                throw new ArgumentException("--labels (a class contrast) goes with --null labels (permute the classes) or --null permuted (permuted-label models' contrasts).");
            }

            OverlapCombine how = parseResult.GetValue(combine) == "max" ? OverlapCombine.Max : OverlapCombine.Mean;
            bool[]? classes = contrast ? Classes(labelsPath!, parseResult.GetValue(labelColumn), observed.Names) : null;
            List<RegionScore> result = classes is null
                ? RegionScorer.Score(regions, intervals, observed.Tracks, statistic, how, nullModel)
                : nullModel is not null
                    ? RegionScorer.ScoreContrastAgainstModels(regions, intervals, observed.Tracks, classes, statistic, nullModel, how)
                    : RegionScorer.ScoreContrast(regions, intervals, observed.Tracks, classes, statistic, how, parseResult.GetValue(permutations), parseResult.GetValue(seed));
            GenomeTrack track = classes is null ? GenomeTrack.Build(intervals, observed.Tracks, how) : GenomeTrack.BuildContrast(intervals, observed.Tracks, classes, how);
            if (result.Count > 0 && result.All(r => r.CoveredBases == 0))
            {
                // NOTE: the usual cause is an annotation in chunk-local coordinates scored against genome-coordinate headers.
                string seqSpan = string.Join(", ", track.Contigs.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c}:{track.Extent(c).Start + 1}-{track.Extent(c).End}")));
                string regSpan = string.Join(", ", regions.GroupBy(r => r.Chrom, StringComparer.Ordinal).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}:{g.Min(r => r.Start) + 1}-{g.Max(r => r.End)}")));
                throw new ArgumentException($"no {(isBed ? "BED" : featureName)} region overlaps any sequence: sequences span {seqSpan}; regions span {regSpan}. For an annotation local to a chunk, pass --annotation-offset (0-based genome position of the chunk's first base).");
            }

            string outPath = parseResult.GetValue(output)!;
            RegionTableWriter.WriteFile(outPath, result);
            if (parseResult.GetValue(tracks) is { } tracksPath)
            {
                WriteTracks(tracksPath, track);
            }

            int uncovered = result.Count(r => r.CoveredBases == 0);
            RegionScore? top = result.FirstOrDefault(r => r.Rank == 1);
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"regions: {observed.Names.Count} sequences covering {track.CoveredBases} bases{(classes is null ? string.Empty : " (by both classes)")}; {result.Count} {(isBed ? "BED" : featureName)} regions, {result.Count - uncovered} covered, {uncovered} never covered (not ranked); statistic {statistic}{(nullModel is null ? string.Empty : $", null {parseResult.GetValue(nullKind)} x {nullModel.Count}")}{(classes is null ? string.Empty : $", class contrast ({classes.Count(c => c)} vs {classes.Count(c => !c)} sequences){(nullModel is null ? $", null labels x {parseResult.GetValue(permutations)}" : string.Empty)}")}{(normalized ? ", per-sequence normalised" : string.Empty)} -> {outPath}"));
            if (top is not null)
            {
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"top: {top.Region.Id} {top.Region.GeneName} {top.Region.Chrom}:{top.Region.Start + 1}-{top.Region.End} statistic {top.Statistic:G6} p {top.P:G4} q {top.Q:G4}"));
            }

            return 0;
        });
        return command;
    }

    // Class per sequence from a label table: 1 = the class of interest, 0 = the other; anything else is an error naming the sequence.
    private static bool[] Classes(string path, string? column, IReadOnlyList<string> names)
    {
        LabelTable table = LabelTable.Read(path);
        int c = column is null
            ? table.TaskNames.Count == 1 ? 0 : throw new ArgumentException($"{path} has columns {string.Join(", ", table.TaskNames)}: choose one with --label-column")
            : table.TaskNames.ToList().IndexOf(column) is var k && k >= 0 ? k : throw new ArgumentException($"{path} has no column '{column}'; columns: {string.Join(", ", table.TaskNames)}");
        var classes = new bool[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            if (!table.TryGet(names[i], out float[] row))
            {
                throw new ArgumentException($"{path}: no label for sequence '{names[i]}' (record {i + 1} of the scores)");
            }

            classes[i] = row[c] switch
            {
                1f => true,
                0f => false,
                _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{path}: sequence '{names[i]}' has label {row[c]} in column {table.TaskNames[c]}; a class contrast needs 1 or 0")),
            };
        }

        return classes;
    }

    private static PermutedModelNull PermutedNull(string? list, ScoreTracks observed, BaseReduction reduction, string? member, bool normalized)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            throw new ArgumentException("--null permuted needs --null-scores a.npz,b.npz,... (scores from models trained on permuted labels).");
        }

        var sets = new List<IReadOnlyList<float[]>>();
        foreach (string path in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ScoreTracks t = ScoreTracks.Read(path, reduction, member);
            if (normalized)
            {
                t = t.PerSequenceNormalized();
            }

            if (!t.Names.SequenceEqual(observed.Names, StringComparer.Ordinal))
            {
                throw new ArgumentException($"{path}: sequence names differ from --scores (the permuted-model scores must be for the same sequences, same order).");
            }

            sets.Add(t.Tracks);
        }

        return new PermutedModelNull(sets);
    }

    private static void WriteTracks(string path, GenomeTrack track)
    {
        if (path.EndsWith(".bw", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".bigwig", StringComparison.OrdinalIgnoreCase))
        {
            var sizes = track.Contigs.Select(c => new KeyValuePair<string, long>(c, track.Extent(c).End));
            BigWigWriter.Write(path, sizes, track.ToBedGraph());
        }
        else if (path.EndsWith(".bedgraph", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".bg", StringComparison.OrdinalIgnoreCase))
        {
            BedGraphWriter.WriteFile(path, track.ToBedGraph(), "seqlens regions");
        }
        else
        {
            throw new ArgumentException($"--tracks {path}: expected a .bw/.bigWig or .bedGraph/.bg file name.");
        }
    }
}
