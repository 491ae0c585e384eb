using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SeqLens.IO.Models;
using SeqLens.Kernels;
using SeqLens.Training;

namespace SeqLens.Cli.Commands;

/// <summary>
/// <c>seqlens train</c>: trains a model spec on FASTA data (positives/negatives, or sequences with a label table) and
/// writes <c>model.json</c>, <c>model.safetensors</c> and <c>training_log.tsv</c>.
/// </summary>
internal static class TrainCommand
{
    /// <summary>Name of the per-epoch log written next to the model.</summary>
    internal const string LogFileName = "training_log.tsv";

    internal static Command Create(CliConsole console)
    {
        var spec = new Option<string>("--spec") { Description = "Model spec (model.json, or a folder holding one); see examples/cnn.json.", Required = true };
        var pos = new Option<string?>("--pos") { Description = "FASTA of positive sequences (one binary task; with --neg)." };
        var neg = new Option<string?>("--neg") { Description = "FASTA of negative sequences (with --pos)." };
        var fasta = new Option<string?>("--fasta") { Description = "FASTA of all sequences (multi-task; with --labels)." };
        var labels = new Option<string?>("--labels") { Description = "Label table: header 'name<TAB>task...', one row per sequence id; NA = missing (with --fasta)." };
        var output = new Option<string>("--out") { Description = "Output folder (created when missing).", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Maximum epochs.", DefaultValueFactory = _ => 20 };
        var batchSize = new Option<int>("--batch-size") { Description = "Minibatch size.", DefaultValueFactory = _ => 64 };
        var lr = new Option<double>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 1e-3 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam, adamw or sgd (momentum 0.9).", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("adam", "adamw", "sgd");
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay (L2 for adam/sgd, decoupled for adamw).", DefaultValueFactory = _ => 0 };
        var seed = new Option<long>("--seed") { Description = "Seed of initialisation, split, shuffles and dropout.", DefaultValueFactory = _ => 0 };
        var validFraction = new Option<double>("--valid-fraction") { Description = "Fraction of sequences held out for validation.", DefaultValueFactory = _ => 0.1 };
        var patience = new Option<int>("--patience") { Description = "Stop after this many epochs without improvement (0: never).", DefaultValueFactory = _ => 5 };
        var monitor = new Option<string>("--monitor") { Description = "Early stopping and best checkpoint follow: loss, auroc or auprc.", DefaultValueFactory = _ => "loss" };
        monitor.AcceptOnlyFromAmong("loss", "auroc", "auprc");
        var maxGradNorm = new Option<double?>("--max-grad-norm") { Description = "Clip gradients to this global L2 norm (default: no clipping)." };
        var plateauFactor = new Option<double?>("--plateau-factor") { Description = "Multiply the learning rate by this after 2 epochs without improvement (default: fixed rate)." };
        var fitLength = new Option<bool>("--fit-length") { Description = "Centre-crop or pad sequences to the model's input length instead of rejecting them." };
        var threads = new Option<int?>("--threads") { Description = "Kernel threads (default: all cores); results do not depend on it." };
        var command = new Command("train", "Train a model spec on sequences and save model.json, model.safetensors and a training log.")
        {
            spec, pos, neg, fasta, labels, output, epochs, batchSize, lr, optimizer, weightDecay, seed, validFraction, patience, monitor, maxGradNorm, plateauFactor, fitLength, threads,
        };
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(threads) is int t)
            {
                KernelThreads.MaxDegree = t;
            }

            string? posPath = parseResult.GetValue(pos), negPath = parseResult.GetValue(neg);
            string? fastaPath = parseResult.GetValue(fasta), labelsPath = parseResult.GetValue(labels);
            bool pairs = posPath is not null || negPath is not null;
            bool table = fastaPath is not null || labelsPath is not null;
            if (pairs == table || (pairs && (posPath is null || negPath is null)) || (table && (fastaPath is null || labelsPath is null)))
            {
                throw new ArgumentException("Give either --pos and --neg, or --fasta and --labels.");
            }

            long seedValue = parseResult.GetValue(seed);
            bool fit = parseResult.GetValue(fitLength);
            string specPath = parseResult.GetValue(spec)!;

            // The spec fixes the input length; label names (when the spec has none) come from the label table.
            LoadedModel probe = ModelFile.LoadSpec(specPath, seedValue);
            int length = SequenceDataset.SequenceLength(probe.Graph);
            SequenceDataset data = pairs
                ? SequenceDataset.FromPositivesAndNegatives(posPath!, negPath!, length, fit, probe.Graph.Outputs[0].TaskNames[0])
                : SequenceDataset.FromFastaAndLabels(fastaPath!, labelsPath!, length, fit);
            LoadedModel model = pairs ? probe : ModelFile.LoadSpec(specPath, seedValue, data.TaskNames);
            if (!pairs && !model.Graph.Outputs[0].TaskNames.SequenceEqual(data.TaskNames))
            {
                throw new ArgumentException($"The spec's tasks ({string.Join(", ", model.Graph.Outputs[0].TaskNames)}) differ from the label columns ({string.Join(", ", data.TaskNames)}); rename them, or drop 'tasks' from the spec to take the label names.");
            }

            var options = new TrainerOptions
            {
                Epochs = parseResult.GetValue(epochs),
                BatchSize = parseResult.GetValue(batchSize),
                LearningRate = parseResult.GetValue(lr),
                Optimizer = parseResult.GetValue(optimizer) switch { "adamw" => OptimizerKind.AdamW, "sgd" => OptimizerKind.Sgd, _ => OptimizerKind.Adam },
                WeightDecay = parseResult.GetValue(weightDecay),
                Seed = seedValue,
                Patience = parseResult.GetValue(patience) is int p && p > 0 ? p : null,
                Monitor = parseResult.GetValue(monitor) switch { "auroc" => MonitoredMetric.Auroc, "auprc" => MonitoredMetric.Auprc, _ => MonitoredMetric.Loss },
                MaxGradientNorm = parseResult.GetValue(maxGradNorm),
                PlateauFactor = parseResult.GetValue(plateauFactor),
            };
            double fraction = parseResult.GetValue(validFraction);
            (SequenceDataset train, SequenceDataset valid) = data.Split(fraction, seedValue);
            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"train: {train.Count} training and {valid.Count} validation sequences of {length} bp, {data.TaskNames.Count} task(s), {model.Graph.ParameterCount} parameters"));
            var trainer = new Trainer(model.Graph, options);
            TrainingResult result = trainer.Fit(
                train.X, train.Y!, valid.Count > 0 ? valid.X : null, valid.Count > 0 ? valid.Y : null, new EpochPrinter(console.Error, options.Epochs));

            string outDir = parseResult.GetValue(output)!;
            JsonObject metadata = model.Metadata;
            JsonObject training = TrainingLog.ToJson(trainer, result, train.Count, valid.Count);
            training["valid_fraction"] = fraction;
            metadata["training"] = training;
            ModelFile.Save(model.Graph, outDir, metadata);
            TrainingLog.Write(Path.Combine(outDir, LogFileName), result, data.TaskNames);
            console.Out.WriteLine(Summary(result, model.Graph.Outputs[0].TaskNames, outDir));
            return 0;
        });
        return command;
    }

    /// <summary>One stdout line: best epoch and validation auROC per task.</summary>
    internal static string Summary(TrainingResult result, IReadOnlyList<string> tasks, string outDir)
    {
        string metrics = result.Best.Validation is { } m
            ? " validation auROC " + string.Join(", ", tasks.Select((t, i) => string.Create(CultureInfo.InvariantCulture, $"{t} {m.Auroc[i]:F4}")))
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"trained: best epoch {result.BestEpoch} of {result.History.Count}{(result.StoppedEarly ? " (stopped early)" : string.Empty)};{metrics} -> {outDir}");
    }

    /// <summary>Writes one progress line per epoch, synchronously (to standard error).</summary>
    private sealed class EpochPrinter(TextWriter writer, int epochs) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => writer.WriteLine(TrainingLog.FormatEpoch(value, epochs));
    }
}
