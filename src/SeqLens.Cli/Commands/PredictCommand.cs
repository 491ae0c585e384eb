using System.CommandLine;
using System.Globalization;
using SeqLens.IO;
using SeqLens.IO.Models;
using SeqLens.Kernels;
using SeqLens.Training;
using SeqLens.Training.Metrics;

namespace SeqLens.Cli.Commands;

/// <summary><c>seqlens predict</c>: runs a saved model over a FASTA file and writes one row of predictions per sequence.</summary>
internal static class PredictCommand
{
    internal static Command Create(CliConsole console)
    {
        var model = new ModelOptions();
        var fasta = new Option<string>("--fasta") { Description = "Sequences to score (plain, gzip or bgzip FASTA).", Required = true };
        var output = new Option<string>("--out") { Description = "Predictions TSV: name, then one column per task.", Required = true };
        var logits = new Option<bool>("--logits") { Description = "Write raw logits instead of probabilities (the output activation)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Sequences per batch.", DefaultValueFactory = _ => 256 };
        var fitLength = new Option<bool>("--fit-length") { Description = "Centre-crop or pad sequences to the model's input length instead of rejecting them." };
        var labels = new Option<string?>("--labels") { Description = "Label table (as for train: 'name<TAB>task...'): also report auROC and auPRC per task on these sequences." };
        var threads = new Option<int?>("--threads") { Description = "Kernel threads (default: all cores); results do not depend on it." };
        var command = new Command("predict", "Predict every sequence of a FASTA file with a saved model.")
        {
            fasta, output, logits, batchSize, fitLength, labels, threads,
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
            int length = SequenceDataset.SequenceLength(loaded.Graph);
            string? labelsPath = parseResult.GetValue(labels);
            SequenceDataset data = labelsPath is null
                ? SequenceDataset.FromFasta(parseResult.GetValue(fasta)!, length, parseResult.GetValue(fitLength))
                : SequenceDataset.FromFastaAndLabels(parseResult.GetValue(fasta)!, labelsPath, length, parseResult.GetValue(fitLength));
            bool raw = parseResult.GetValue(logits);
            Tensor predictions = Predictor.Predict(loaded.Graph, data.X, batch, applyActivation: !raw);
            IReadOnlyList<string> tasks = loaded.Graph.Outputs[0].TaskNames;
            string outPath = parseResult.GetValue(output)!;
            AtomicFile.WriteText(outPath, w =>
            {
                w.Write("name\t" + string.Join('\t', tasks) + "\n");
                for (int i = 0; i < data.Count; i++)
                {
                    w.Write(data.Names[i]);
                    for (int t = 0; t < tasks.Count; t++)
                    {
                        w.Write('\t');
                        w.Write(predictions.Data[(i * tasks.Count) + t].ToString(CultureInfo.InvariantCulture));
                    }

                    w.Write('\n');
                }
            });
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"predict: {data.Count} sequences x {tasks.Count} task(s) ({(raw ? "logits" : "probabilities")}) -> {outPath}"));
            if (data.Y is not null)
            {
                if (!data.TaskNames.SequenceEqual(tasks))
                {
                    throw new ArgumentException($"the label table's tasks ({string.Join(", ", data.TaskNames)}) are not the model's ({string.Join(", ", tasks)}) in the same order");
                }

                TaskMetrics metrics = TaskMetrics.Compute(predictions, data.Y);
                for (int k = 0; k < tasks.Count; k++)
                {
                    console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tasks[k]}: auROC {metrics.Auroc[k]:F4}  auPRC {metrics.Auprc[k]:F4}"));
                }
            }
            return 0;
        });
        return command;
    }
}
