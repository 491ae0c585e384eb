using System.Diagnostics;
using System.Globalization;
using SeqLens.Attribution.Evaluation;
using SeqLens.Graphs;
using SeqLens.Import.Keras;
using SeqLens.IO.Text;
using SeqLens.Sequences;

namespace SeqLens.Bench.Attribution;

/// <summary>
/// The DeepLIFT paper's simulation benchmark on its own TAL-GATA model: per-position auPRC of recovering the embedded
/// motif positions from each method's per-base scores, per task, over the test split (definitions in docs/benchmarks.md
/// and <see cref="PerBaseAttribution"/>). Prints a markdown table.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project bench/SeqLens.Bench -- talgata [--data DIR] [--limit N] [--methods a,b]</c>;
/// DIR defaults to <c>../shared/data/talgata</c> beside the repository; N (default all 800) keeps the first N test rows
/// in file order.
/// </remarks>
public static class TalGataBenchmark
{
    /// <summary>Task t (output t): its name and which embedded motifs are ground truth for it.</summary>
    private static readonly (string Name, Func<EmbeddedMotif, bool> Relevant)[] Tasks =
    [
        ("task1 (GATA and TAL1)", m => m.Name.StartsWith("GATA", StringComparison.Ordinal) || m.Name.StartsWith("TAL1", StringComparison.Ordinal)),
        ("task2 (GATA)", m => m.Name.StartsWith("GATA", StringComparison.Ordinal)),
        ("task3 (TAL1)", m => m.Name.StartsWith("TAL1", StringComparison.Ordinal)),
    ];

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? data = null;
        int limit = int.MaxValue;
        IReadOnlyList<string> methods = PerBaseAttribution.Methods;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data":
                    data = args[++i];
                    break;
                case "--limit":
                    limit = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--methods":
                    methods = args[++i].Split(',');
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 1;
            }
        }

        data ??= DefaultDataFolder();
        Graph graph = KerasImporter.Import(
            Path.Combine(data, "keras2_conv1d_record_5_model_PQzyq_modelJson.json"),
            Path.Combine(data, "keras2_conv1d_record_5_model_PQzyq_modelWeights.h5"));
        var testNames = ReadLines(Path.Combine(data, "test.txt.gz")).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        var records = SimulatedTable.Read(Path.Combine(data, "sequences.simdata.gz"), testNames).Take(limit).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"TAL-GATA motif recovery: {records.Length} test sequences, {Environment.ProcessorCount} cores"));

        var auprc = new Dictionary<(string, int), double>();
        var seconds = new Dictionary<string, double>();
        var baseline = new double[Tasks.Length];
        var counts = new int[Tasks.Length];
        for (int t = 0; t < Tasks.Length; t++)
        {
            var positive = records.Where(r => r.Labels[t] == 1).ToArray();
            counts[t] = positive.Length;
            Tensor x = OneHot.Encode(positive.Select(r => r.Sequence).ToArray());
            var embeddings = positive.Select(r => r.Embeddings).ToArray();
            float[] labels = MotifRecovery.Labels(embeddings, x.Shape[2], Tasks[t].Relevant);
            baseline[t] = labels.Average();
            foreach (string method in methods)
            {
                var sw = Stopwatch.StartNew();
                Tensor perBase = PerBaseAttribution.Compute(graph, method, x, t);
                seconds[method] = seconds.GetValueOrDefault(method) + sw.Elapsed.TotalSeconds;
                auprc[(method, t)] = MotifRecovery.Auprc(perBase, embeddings, Tasks[t].Relevant);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Tasks[t].Name} {method}: auPRC {auprc[(method, t)]:F4} ({sw.Elapsed.TotalSeconds:F1} s)"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| method | " + string.Join(" | ", Tasks.Select((k, t) => string.Create(CultureInfo.InvariantCulture, $"{k.Name}, n={counts[t]}"))) + " | seconds |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", Tasks.Length)) + "---:|");
        foreach (string method in methods)
        {
            Console.WriteLine("| " + method + " | " + string.Join(" | ", Enumerable.Range(0, Tasks.Length).Select(t => auprc[(method, t)].ToString("F3", CultureInfo.InvariantCulture)))
                + " | " + seconds[method].ToString("F1", CultureInfo.InvariantCulture) + " |");
        }

        Console.WriteLine("| random (positive fraction) | " + string.Join(" | ", baseline.Select(b => b.ToString("F3", CultureInfo.InvariantCulture))) + " | |");
        return 0;
    }

    private static string DefaultDataFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SeqLens.slnx")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.Parent?.FullName ?? ".", "shared", "data", "talgata");
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        using var reader = new StreamReader(CompressedInput.Open(path));
        while (reader.ReadLine() is string line)
        {
            yield return line.Trim();
        }
    }
}
