using System.CommandLine;
using System.Globalization;
using SeqLens.Datasets;
using SeqLens.IO.Bed;
using SeqLens.IO.Fasta;

namespace SeqLens.Cli.Commands;

/// <summary><c>seqlens dataset</c>: fixed-width windows around peaks of one or more BEDs, negatives, chromosome
/// split, written as train/valid/test FASTA and labels.tsv.</summary>
internal static class DatasetCommand
{
    internal static Command Create(CliConsole console)
    {
        var bed = new Option<string[]>("--bed")
        {
            Description = "Peaks (BED or narrowPeak, plain or gzip); repeat for several tasks (one label column each).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var taskNames = new Option<string?>("--task-names") { Description = "Comma-separated task names, one per --bed (default: the BED file names)." };
        var genome = new Option<string>("--genome") { Description = "Genome FASTA (plain or bgzip; uses/builds the .fai index).", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder (created when missing).", Required = true };
        var width = new Option<int>("--width") { Description = "Window width, centred on the summit (narrowPeak) or peak centre.", DefaultValueFactory = _ => 1000 };
        var negatives = new Option<string>("--negatives") { Description = "gc (GC-matched genome windows), shuffle (dinucleotide shuffles) or none.", DefaultValueFactory = _ => "gc" };
        negatives.AcceptOnlyFromAmong("gc", "shuffle", "none");
        var ratio = new Option<int>("--negatives-per-positive") { Description = "Negatives per positive.", DefaultValueFactory = _ => 1 };
        var seed = new Option<long>("--seed") { Description = "Random seed; the same inputs and seed give the same files.", DefaultValueFactory = _ => 1 };
        var test = new Option<string>("--test-chroms") { Description = "Comma-separated test chromosomes.", DefaultValueFactory = _ => "chr8,chr9" };
        var valid = new Option<string>("--valid-chroms") { Description = "Comma-separated validation chromosomes.", DefaultValueFactory = _ => "chr10" };
        var rc = new Option<bool>("--reverse-complement") { Description = "Add the reverse complement of every training example." };
        var command = new Command("dataset", "Build a train/valid/test sequence dataset from peak BEDs and a genome FASTA.")
        {
            bed, taskNames, genome, output, width, negatives, ratio, seed, test, valid, rc,
        };
        command.SetAction(parseResult =>
        {
            string[] beds = parseResult.GetValue(bed)!;
            string[] names = parseResult.GetValue(taskNames) is { } tn
                ? tn.Split(',', StringSplitOptions.TrimEntries)
                : beds.Select(TaskName).ToArray();
            if (names.Length != beds.Length)
            {
                throw new ArgumentException($"--task-names has {names.Length} names for {beds.Length} --bed files.");
            }

            int w = parseResult.GetValue(width);
            if (w <= 0)
            {
                throw new ArgumentException($"--width must be positive; got {w}.");
            }

            var options = new DatasetOptions
            {
                Width = w,
                Negatives = parseResult.GetValue(negatives) switch
                {
                    "shuffle" => NegativeKind.Shuffle,
                    "none" => NegativeKind.None,
                    _ => NegativeKind.GcMatched,
                },
                NegativesPerPositive = parseResult.GetValue(ratio),
                Seed = parseResult.GetValue(seed),
                Split = new ChromosomeSplit(List(parseResult.GetValue(test)!), List(parseResult.GetValue(valid)!)),
                ReverseComplementTrain = parseResult.GetValue(rc),
            };
            var tasks = beds.Select((b, i) => (names[i], (IReadOnlyList<BedRecord>)BedReader.ReadFile(b))).ToList();
            using IndexedFasta fasta = IndexedFasta.Open(parseResult.GetValue(genome)!);
            Dataset dataset = DatasetBuilder.Build(tasks, fasta, options);
            string dir = parseResult.GetValue(output)!;
            dataset.Write(dir);
            foreach (string note in dataset.Notes)
            {
                console.Error.WriteLine("note: " + note);
            }

            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dataset: {dataset.Examples.Count} examples (train {dataset.Count(DatasetSplit.Train)}, valid {dataset.Count(DatasetSplit.Valid)}, test {dataset.Count(DatasetSplit.Test)}), tasks {string.Join(",", dataset.Tasks)} -> {dir} (train.fa, valid.fa, test.fa, labels.tsv)"));
            return 0;
        });
        return command;
    }

    private static string[] List(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string TaskName(string path)
    {
        string name = Path.GetFileName(path);
        foreach (string ext in new[] { ".gz", ".narrowPeak", ".bed" })
        {
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^ext.Length];
            }
        }

        return name;
    }
}
