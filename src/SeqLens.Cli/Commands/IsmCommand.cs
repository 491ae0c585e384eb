using System.CommandLine;
using System.Globalization;
using SeqLens.Attribution.Ism;
using SeqLens.IO.Models;
using SeqLens.IO.Npy;
using SeqLens.Kernels;
using SeqLens.Training;

namespace SeqLens.Cli.Commands;

/// <summary>
/// <c>seqlens ism</c>: in-silico mutagenesis of every sequence of a FASTA file with a saved model. Writes an npz with
/// <c>names</c> (N), <c>onehot</c> (N, 4, L), <c>tasks</c> (T), <c>reference</c> (N, T) raw outputs and <c>ism</c>
/// (N, T, 4, L): <c>ism[:, t]</c> is the (N, 4, L) map of task t, 0 at the reference base and outside the window.
/// </summary>
internal static class IsmCommand
{
    internal static Command Create(CliConsole console)
    {
        var model = new ModelOptions();
        var fasta = new Option<string>("--fasta") { Description = "Sequences (plain, gzip or bgzip FASTA), all of the model's input length.", Required = true };
        var output = new Option<string>("--out") { Description = "Output npz: names, onehot, tasks, reference, ism.", Required = true };
        var start = new Option<int>("--start") { Description = "First mutated position (0-based).", DefaultValueFactory = _ => 0 };
        var end = new Option<int?>("--end") { Description = "End of the mutated positions (exclusive; default the sequence length)." };
        var score = new Option<string>("--score") { Description = "difference (of logits) or log-ratio (of sigmoid/softmax probabilities).", DefaultValueFactory = _ => "difference" };
        var rcAverage = new Option<bool>("--rc-average") { Description = "Average with the ISM of the reverse complement, mapped back to the forward strand." };
        var naive = new Option<bool>("--naive") { Description = "Run every mutant through the whole model (slow; for checking the fast method)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Mutant sequences per batch.", DefaultValueFactory = _ => 256 };
        var threads = new Option<int?>("--threads") { Description = "Kernel threads (default: all cores); results do not depend on it." };
        var command = new Command("ism", "In-silico mutagenesis: score every single-base substitution of each sequence.")
        {
            fasta, output, start, end, score, rcAverage, naive, batchSize, threads,
        };
        model.AddTo(command);
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(threads) is int t)
            {
                KernelThreads.MaxDegree = t;
            }

            IsmScore scoreKind = parseResult.GetValue(score) switch
            {
                "difference" => IsmScore.Difference,
                "log-ratio" => IsmScore.LogRatio,
                string other => throw new ArgumentException($"--score must be difference or log-ratio; got '{other}'."),
                null => IsmScore.Difference,
            };
            LoadedModel loaded = model.Load(parseResult);
            int length = SequenceDataset.SequenceLength(loaded.Graph);
            SequenceDataset data = SequenceDataset.FromFasta(parseResult.GetValue(fasta)!, length);
            var options = new IsmOptions
            {
                Start = parseResult.GetValue(start),
                End = parseResult.GetValue(end),
                Score = scoreKind,
                ReverseComplementAverage = parseResult.GetValue(rcAverage),
                Method = parseResult.GetValue(naive) ? IsmMethod.Naive : IsmMethod.Fast,
                BatchSize = parseResult.GetValue(batchSize),
            };
            IsmResult result = new InSilicoMutagenesis(loaded.Graph, options).Attribute(data.X);
            string outPath = parseResult.GetValue(output)!;
            NpzFile.Write(outPath,
            [
                new("names", NpyArray.FromStrings([.. data.Names])),
                new("onehot", NpyArray.FromTensor(data.X)),
                new("tasks", NpyArray.FromStrings([.. result.TaskNames])),
                new("reference", NpyArray.FromTensor(result.Reference)),
                new("ism", NpyArray.FromTensor(result.Scores)),
            ], compress: true);
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ism: {data.Count} sequences x {result.TaskNames.Count} task(s), positions [{result.Start}, {result.End}), {options.Score.ToString().ToLowerInvariant()}{(options.ReverseComplementAverage ? ", RC-averaged" : string.Empty)} -> {outPath}"));
            return 0;
        });
        return command;
    }
}
