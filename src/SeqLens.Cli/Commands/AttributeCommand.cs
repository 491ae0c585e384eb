using System.CommandLine;
using System.Globalization;
using SeqLens.Attribution;
using SeqLens.Graphs;
using SeqLens.IO.Models;
using SeqLens.Kernels;
using SeqLens.Training;

namespace SeqLens.Cli.Commands;

/// <summary>
/// <c>seqlens attribute</c>: scores every base of every FASTA sequence for a target of a saved model and writes an npz
/// (<see cref="AttributionNpz"/>: onehot, contrib, hypothetical, delta, names, metadata); <c>--modisco</c> also writes
/// the two files tfmodisco-lite reads.
/// </summary>
internal static class AttributeCommand
{
    internal static Command Create(CliConsole console)
    {
        var model = new ModelOptions();
        var fasta = new Option<string>("--fasta") { Description = "Sequences to explain (plain, gzip or bgzip FASTA).", Required = true };
        var output = new Option<string>("--out") { Description = "Scores npz.", Required = true };
        var method = new Option<string>("--method") { Description = "saliency | grad-x-input | ig | deeplift | deeplift-shap.", DefaultValueFactory = _ => "deeplift-shap" };
        var rule = new Option<string>("--rule") { Description = "DeepLIFT rule: rescale | reveal-cancel | genomics.", DefaultValueFactory = _ => "rescale" };
        var refs = new Option<int>("--refs") { Description = "References per sequence for deeplift-shap (dinucleotide shuffles).", DefaultValueFactory = _ => 20 };
        var reference = new Option<string?>("--reference") { Description = "shuffle | zeros | gc | a FASTA of references (default: shuffle for deeplift-shap, gc for deeplift, zeros for ig)." };
        var target = new Option<string>("--target") { Description = "Task index or name; 'a,b' sums, 'mean:a,b' averages, 'a-b' contrasts.", DefaultValueFactory = _ => "0" };
        var steps = new Option<int>("--steps") { Description = "Integrated-gradients steps (Gauss-Legendre).", DefaultValueFactory = _ => 50 };
        var seed = new Option<long>("--seed") { Description = "Seed of the shuffled references.", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int>("--batch-size") { Description = "Sequences per batch.", DefaultValueFactory = _ => 8 };
        var modisco = new Option<bool>("--modisco") { Description = "Also write <out>.ohe.npz and <out>.shap.npz for 'modisco motifs -s ... -a ...'." };
        var fitLength = new Option<bool>("--fit-length") { Description = "Centre-crop or pad sequences to the model's input length instead of rejecting them." };
        var threads = new Option<int?>("--threads") { Description = "Kernel threads (default: all cores); results do not depend on it." };
        var command = new Command("attribute", "Explain a saved model's predictions base by base (DeepLIFT-SHAP, DeepLIFT, integrated gradients, gradients).")
        {
            fasta, output, method, rule, refs, reference, target, steps, seed, batchSize, modisco, fitLength, threads,
        };
        model.AddTo(command);
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(threads) is int t)
            {
                KernelThreads.MaxDegree = t;
            }

            int batch = parseResult.GetValue(batchSize);
            if (batch < 1)
            {
                throw new ArgumentException($"--batch-size must be at least 1; got {batch}.");
            }

            LoadedModel loaded = model.Load(parseResult);
            Graph graph = loaded.Graph;
            int length = SequenceDataset.SequenceLength(graph);
            SequenceDataset data = SequenceDataset.FromFasta(parseResult.GetValue(fasta)!, length, parseResult.GetValue(fitLength));
            AttributionTarget tgt = ParseTarget(parseResult.GetValue(target)!, graph.Outputs[0].TaskNames);
            string m = parseResult.GetValue(method)!;
            long s = parseResult.GetValue(seed);
            var options = new DeepLiftOptions { Rule = ParseRule(parseResult.GetValue(rule)!), BatchSize = batch };
            string? refKind = parseResult.GetValue(reference);
            AttributionResult result = m switch
            {
                "saliency" => new Saliency(graph, batch).Attribute(data.X, tgt),
                "grad-x-input" => new Saliency(graph, batch).GradientTimesInput(data.X, tgt),
                "ig" => new IntegratedGradients(graph) { Steps = parseResult.GetValue(steps) }.Attribute(data.X, References(refKind ?? "zeros", 1, s), tgt),
                "deeplift" => new DeepLift(graph, options).Attribute(data.X, References(refKind ?? "gc", 1, s), tgt),
                "deeplift-shap" => new DeepLiftShap(graph, References(refKind ?? "shuffle", parseResult.GetValue(refs), s), options).Attribute(data.X, tgt),
                _ => throw new ArgumentException($"--method must be saliency, grad-x-input, ig, deeplift or deeplift-shap; got '{m}'."),
            };
            string outPath = parseResult.GetValue(output)!;
            AttributionNpz.Write(outPath, result, data.X, data.Names);
            if (parseResult.GetValue(modisco))
            {
                string stem = outPath.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? outPath[..^4] : outPath;
                AttributionNpz.WriteModisco(stem + ".ohe.npz", stem + ".shap.npz", result, data.X);
            }

            string audit = result.Audit is CompletenessReport a
                ? string.Create(CultureInfo.InvariantCulture, $"; max completeness delta {a.MaxDelta:G3}{(a.Passed ? "" : $", {a.FailedPairs} pair(s) over tolerance{(a.CulpritNode is null ? "" : ", first failing node " + a.CulpritNode)}")}")
                : "";
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"attribute: {data.Count} sequences, {result.Method} {result.Rule} ({result.Target}){audit} -> {outPath}"));
            return 0;
        });
        return command;
    }

    private static DeepLiftRule ParseRule(string text) => text switch
    {
        "rescale" => DeepLiftRule.Rescale,
        "reveal-cancel" => DeepLiftRule.RevealCancel,
        "genomics" => DeepLiftRule.Genomics,
        _ => throw new ArgumentException($"--rule must be rescale, reveal-cancel or genomics; got '{text}'."),
    };

    private static AttributionReferences References(string kind, int count, long seed) => kind switch
    {
        "shuffle" => AttributionReferences.DinucleotideShuffles(count, seed),
        "zeros" => AttributionReferences.Zeros(),
        "gc" => AttributionReferences.Background(),
        _ => AttributionReferences.FromFasta(kind),
    };

    /// <summary>Task index or name; <c>a,b</c> (sum), <c>mean:a,b</c>, <c>a-b</c> (contrast); a whole task name wins.</summary>
    internal static AttributionTarget ParseTarget(string text, IReadOnlyList<string> tasks)
    {
        int Task(string t)
        {
            int byName = tasks.ToList().IndexOf(t);
            if (byName >= 0)
            {
                return byName;
            }

            if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < tasks.Count)
            {
                return i;
            }

            throw new ArgumentException($"--target: '{t}' is neither a task index (0..{tasks.Count - 1}) nor a task name ({string.Join(", ", tasks)}).");
        }

        if (tasks.Contains(text))
        {
            return AttributionTarget.Task(Task(text));
        }

        if (text.StartsWith("mean:", StringComparison.Ordinal))
        {
            return AttributionTarget.Tasks(text[5..].Split(',').Select(Task).ToArray(), TaskAggregation.Mean);
        }

        if (text.Contains(',', StringComparison.Ordinal))
        {
            return AttributionTarget.Tasks(text.Split(',').Select(Task).ToArray());
        }

        int dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? AttributionTarget.Contrast(Task(text[..dash]), Task(text[(dash + 1)..])) : AttributionTarget.Task(Task(text));
    }
}
