using System.CommandLine;
using System.Globalization;
using SeqLens.Attribution.GradCam;
using SeqLens.IO.Models;
using SeqLens.IO.Npy;
using SeqLens.Kernels;
using SeqLens.Training;

namespace SeqLens.Cli.Commands;

/// <summary><c>seqlens gradcam</c>: Grad-CAM of a saved model's layer for every sequence of a FASTA file, written as npz.</summary>
internal static class GradCamCommand
{
    internal static Command Create(CliConsole console)
    {
        var model = new ModelOptions();
        var fasta = new Option<string>("--fasta") { Description = "Sequences to explain (plain, gzip or bgzip FASTA).", Required = true };
        var layer = new Option<string>("--layer") { Description = "Name of the node to explain (a conv, pooling, activation or QRNN node with a length axis).", Required = true };
        var output = new Option<string>("--out") { Description = "Output .npz: names, onehot (N,4,L), cam (N,Lnode), nucleotide (N,L), weights (N,C), field_start/field_end (Lnode) [, guided (N,4,L)].", Required = true };
        var target = new Option<string?>("--target") { Description = "Task name or index to explain (default: the first task)." };
        var contrast = new Option<string?>("--contrast") { Description = "Task name or index to subtract: explains logit[target] - logit[contrast]." };
        var plusPlus = new Option<bool>("--plusplus") { Description = "Grad-CAM++ channel weights (Chattopadhyay et al. 2018)." };
        var guided = new Option<bool>("--guided") { Description = "Also write guided Grad-CAM: nucleotide cam x gradient x input." };
        var noRelu = new Option<bool>("--no-relu") { Description = "Keep negative cam values." };
        var aggregate = new Option<string>("--aggregate") { Description = "Nucleotide score from covering node positions: mean or max.", DefaultValueFactory = _ => "mean" };
        var recurrence = new Option<string>("--recurrent-field") { Description = "QRNN nodes: local (each step stands for its own input window) or prefix (the exact, unbounded field; blurs the map).", DefaultValueFactory = _ => "local" };
        recurrence.AcceptOnlyFromAmong("local", "prefix");
        var batchSize = new Option<int>("--batch-size") { Description = "Sequences per batch.", DefaultValueFactory = _ => 64 };
        var fitLength = new Option<bool>("--fit-length") { Description = "Centre-crop or pad sequences to the model's input length instead of rejecting them." };
        var threads = new Option<int?>("--threads") { Description = "Kernel threads (default: all cores); results do not depend on it." };
        var command = new Command("gradcam", "Grad-CAM (1-D) of a model layer for every sequence of a FASTA file, mapped to nucleotides through the receptive field.")
        {
            fasta, layer, output, target, contrast, plusPlus, guided, noRelu, aggregate, recurrence, batchSize, fitLength, threads,
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

            var aggregation = parseResult.GetValue(aggregate) switch
            {
                "mean" => NucleotideAggregation.Mean,
                "max" => NucleotideAggregation.Max,
                string other => throw new ArgumentException($"--aggregate must be mean or max; got '{other}'."),
                null => NucleotideAggregation.Mean,
            };

            LoadedModel loaded = model.Load(parseResult);
            IReadOnlyList<string> tasks = loaded.Graph.Outputs[0].TaskNames;
            int task = parseResult.GetValue(target) is string ts ? TaskIndex(ts, tasks, "--target") : 0;
            int? versus = parseResult.GetValue(contrast) is string cs ? TaskIndex(cs, tasks, "--contrast") : null;
            var options = new GradCamOptions
            {
                PlusPlus = parseResult.GetValue(plusPlus),
                Guided = parseResult.GetValue(guided),
                Relu = !parseResult.GetValue(noRelu),
                Aggregation = aggregation,
                Recurrence = parseResult.GetValue(recurrence) == "prefix" ? RecurrentField.Prefix : RecurrentField.Local,
            };
            var explainer = new GradCamExplainer(loaded.Graph, parseResult.GetValue(layer)!, options);
            int length = SequenceDataset.SequenceLength(loaded.Graph);
            SequenceDataset data = SequenceDataset.FromFasta(parseResult.GetValue(fasta)!, length, parseResult.GetValue(fitLength));
            int n = data.Count;
            if (n == 0)
            {
                throw new ArgumentException($"{parseResult.GetValue(fasta)} holds no sequences.");
            }

            int channels = data.X.Shape[1];
            int nodeLength = explainer.Field.NodeLength;
            float[] cam = new float[n * nodeLength];
            float[] nucleotide = new float[n * length];
            float[]? guidedScores = options.Guided ? new float[n * channels * length] : null;
            float[]? channelWeights = null;
            int width = 0;
            for (int start = 0; start < n; start += batch)
            {
                int rows = Math.Min(batch, n - start);
                var x = new Tensor(data.X.Data.AsSpan(start * channels * length, rows * channels * length).ToArray(), rows, channels, length);
                GradCamResult r = explainer.Attribute(x, new GradCamTarget(task, versus));
                width = r.Weights.Shape[1];
                channelWeights ??= new float[n * width];
                r.Cam.Data.CopyTo(cam, start * nodeLength);
                r.Nucleotide.Data.CopyTo(nucleotide, start * length);
                r.Weights.Data.CopyTo(channelWeights, start * width);
                r.Guided?.Data.CopyTo(guidedScores!, start * channels * length);
            }

            var arrays = new List<KeyValuePair<string, NpyArray>>
            {
                new("names", NpyArray.FromStrings(data.Names.ToArray())),
                new("onehot", NpyArray.FromSingle(data.X.Data, n, channels, length)),
                new("cam", NpyArray.FromSingle(cam, n, nodeLength)),
                new("nucleotide", NpyArray.FromSingle(nucleotide, n, length)),
                new("weights", NpyArray.FromSingle(channelWeights!, n, width)),
                new("field_start", NpyArray.FromInt32(explainer.Field.Start.ToArray(), nodeLength)),
                new("field_end", NpyArray.FromInt32(explainer.Field.End.ToArray(), nodeLength)),
            };
            if (guidedScores is not null)
            {
                arrays.Add(new("guided", NpyArray.FromSingle(guidedScores, n, channels, length)));
            }

            string outPath = parseResult.GetValue(output)!;
            NpzFile.Write(outPath, arrays);
            string what = versus is int v ? $"{tasks[task]} - {tasks[v]}" : tasks[task];
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gradcam: {n} sequences, layer {parseResult.GetValue(layer)} ({nodeLength} positions x {width} channels), target {what}{(options.PlusPlus ? ", Grad-CAM++" : "")} -> {outPath}"));
            return 0;
        });
        return command;
    }

    private static int TaskIndex(string value, IReadOnlyList<string> tasks, string option)
    {
        for (int i = 0; i < tasks.Count; i++)
        {
            if (tasks[i] == value)
            {
                return i;
            }
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < tasks.Count)
        {
            return index;
        }

        throw new ArgumentException($"{option} '{value}' is neither a task name nor an index below {tasks.Count}; tasks: {string.Join(", ", tasks)}.");
    }
}
