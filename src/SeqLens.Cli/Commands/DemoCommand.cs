using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SeqLens.Attribution;
using SeqLens.Attribution.Evaluation;
using SeqLens.Graphs;
using SeqLens.IO.Models;
using SeqLens.Kernels;
using SeqLens.Sequences;
using SeqLens.Sequences.Simulation;
using SeqLens.Training;
using SeqLens.Training.Metrics;

namespace SeqLens.Cli.Commands;

/// <summary>
/// <c>seqlens demo</c>: the whole path on simulated data, as a list of named steps sharing one <see cref="DemoContext"/>
/// — simulate (the <c>simple</c> preset: GATA_disc1 planted in half of the sequences), split 70/15/15, build a small
/// CNN, train, evaluate on the held-out test set (auROC to stdout), save, explain (DeepLIFT-SHAP and gradient × input on
/// the positive test sequences, scored against the planted motifs). Later steps (motifs, report) append to
/// <see cref="Steps"/>.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The demo's steps, in order.</summary>
    internal static IReadOnlyList<(string Name, Action<DemoContext> Run)> Steps { get; } =
    [
        ("simulate", Simulate),
        ("split", Split),
        ("build", Build),
        ("train", Train),
        ("evaluate", Evaluate),
        ("save", Save),
        ("explain", Explain),
    ];

    /// <summary>Name of the DeepLIFT-SHAP scores written by the explain step (the npz of <c>seqlens attribute</c>).</summary>
    internal const string ExplainFileName = "explain.npz";

    /// <summary>Positive test sequences explained (at most).</summary>
    private const int ExplainedSequences = 200;

    /// <summary>Name of the per-epoch log written next to the model.</summary>
    internal const string LogFileName = "training_log.tsv";

    internal static Command Create(CliConsole console)
    {
        var output = new Option<string>("--out") { Description = "Output folder for the data, model and log.", DefaultValueFactory = _ => "seqlens-demo" };
        var seed = new Option<long>("--seed") { Description = "Seed of the simulation, initialisation, split and training.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "Kernel threads (default: all cores); results do not depend on it." };
        var sequences = new Option<int>("--sequences") { Description = "Number of simulated sequences.", DefaultValueFactory = _ => 10000 };
        var epochs = new Option<int>("--epochs") { Description = "Maximum training epochs.", DefaultValueFactory = _ => 15 };
        var command = new Command("demo", "Simulate sequences with a planted motif, train a small CNN, report test auROC and save the model.")
        {
            output, seed, threads, sequences, epochs,
        };
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(threads) is int t)
            {
                KernelThreads.MaxDegree = t;
            }

            int count = parseResult.GetValue(sequences);
            if (count < 20)
            {
                throw new ArgumentException($"--sequences must be at least 20; got {count}.");
            }

            var context = new DemoContext(parseResult.GetValue(output)!, parseResult.GetValue(seed), count, parseResult.GetValue(epochs), console);
            foreach ((string name, Action<DemoContext> run) in Steps)
            {
                var clock = Stopwatch.StartNew();
                run(context);
                console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"demo: {name} done in {clock.Elapsed.TotalSeconds:F1}s"));
            }

            return 0;
        });
        return command;
    }

    private static void Simulate(DemoContext c)
    {
        c.Simulation = Simulator.Generate(SimulationPresets.Simple(), c.SequenceCount, length: null, c.Seed);
        var y = new Tensor(c.Simulation.Sequences.Count, c.Simulation.TaskNames.Count);
        for (int i = 0; i < c.Simulation.Sequences.Count; i++)
        {
            for (int t = 0; t < c.Simulation.TaskNames.Count; t++)
            {
                y.Data[(i * c.Simulation.TaskNames.Count) + t] = c.Simulation.Sequences[i].Labels[t];
            }
        }

        Tensor x = OneHot.Encode(c.Simulation.Sequences.Select(s => s.Sequence).ToArray());
        c.Data = new SequenceDataset(c.Simulation.Sequences.Select(s => s.Name).ToArray(), x, y, c.Simulation.TaskNames);
    }

    private static void Split(DemoContext c)
    {
        (SequenceDataset rest, c.Test) = c.Data.Split(0.15, c.Seed);
        (c.Train, c.Validation) = rest.Split(0.15 / 0.85, c.Seed + 1);
    }

    private static void Build(DemoContext c)
    {
        // conv(32, 15) → ReLU → max-pool 4 → conv(32, 5) → ReLU → global max → dense: a motif detector, then a little context.
        var b = new GraphBuilder(c.Seed);
        var x = b.Input("dna", 4, c.Data.X.Shape[2]);
        var h = b.Relu(b.Conv1d(x, 32, 15, padding: Padding.Same, name: "conv1"), name: "relu1");
        h = b.MaxPool1d(h, 4, name: "pool1");
        h = b.Relu(b.Conv1d(h, 32, 5, padding: Padding.Same, name: "conv2"), name: "relu2");
        h = b.GlobalMaxPool(h, name: "pool2");
        c.Model = b.Build(b.Dense(h, c.Data.TaskNames.Count, name: "logits"), c.Data.TaskNames, OutputActivation.Sigmoid);
    }

    private static void Train(DemoContext c)
    {
        c.Options = new TrainerOptions
        {
            Epochs = c.Epochs,
            BatchSize = 64,
            LearningRate = 3e-3,
            Seed = c.Seed,
            Patience = 3,
            Monitor = MonitoredMetric.Auroc,
        };
        c.Trainer = new Trainer(c.Model, c.Options);
        c.Result = c.Trainer.Fit(c.Train.X, c.Train.Y!, c.Validation.X, c.Validation.Y, new EpochPrinter(c.Console.Error, c.Epochs));
    }

    private static void Evaluate(DemoContext c)
    {
        Tensor logits = Predictor.Predict(c.Model, c.Test.X);
        c.TestMetrics = TaskMetrics.Compute(logits, c.Test.Y!);
        c.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test auROC {c.TestMetrics.MeanAuroc:F4}  auPRC {c.TestMetrics.MeanAuprc:F4}  ({c.Test.Count} held-out sequences, best epoch {c.Result.BestEpoch} of {c.Result.History.Count})"));
    }

    private static void Save(DemoContext c)
    {
        SimulationWriter.Write(Path.Combine(c.OutputDirectory, "data"), c.Simulation);
        JsonObject training = TrainingLog.ToJson(c.Trainer, c.Result, c.Train.Count, c.Validation.Count);
        training["test_auroc"] = Math.Round(c.TestMetrics.MeanAuroc, 6);
        training["test_auprc"] = Math.Round(c.TestMetrics.MeanAuprc, 6);
        var metadata = new JsonObject
        {
            ["description"] = "seqlens demo: simple preset (GATA_disc1 planted in the positives), small CNN.",
            ["simulation"] = new JsonObject { ["preset"] = "simple", ["sequences"] = c.SequenceCount, ["seed"] = c.Seed },
            ["training"] = training,
        };
        ModelFile.Save(c.Model, c.OutputDirectory, metadata);
        TrainingLog.Write(Path.Combine(c.OutputDirectory, LogFileName), c.Result, c.Data.TaskNames);
        c.Console.Out.WriteLine($"model saved to {c.OutputDirectory} ({ModelFile.SpecFileName}, {ModelFile.WeightsFileName}, {LogFileName}, data/)");
    }

    // DeepLIFT-SHAP (20 dinucleotide shuffles per sequence) and gradient × input on up to 200 positive test sequences;
    // each is scored by the per-base auPRC of recovering the planted motif's bases (the simulation's truth), and the
    // DeepLIFT-SHAP scores are written like `seqlens attribute` writes them.
    private static void Explain(DemoContext c)
    {
        int tasks = c.Test.TaskNames.Count;
        int[] rows = Enumerable.Range(0, c.Test.Count).Where(i => c.Test.Y!.Data[i * tasks] == 1f).Take(ExplainedSequences).ToArray();
        if (rows.Length == 0)
        {
            c.Console.Out.WriteLine("explain: no positive test sequence to explain");
            return;
        }

        int perRow = c.Test.X.Length / c.Test.Count;
        var x = new Tensor(rows.Length, c.Test.X.Shape[1], c.Test.X.Shape[2]);
        for (int r = 0; r < rows.Length; r++)
        {
            c.Test.X.Data.AsSpan(rows[r] * perRow, perRow).CopyTo(x.Data.AsSpan(r * perRow, perRow));
        }

        string[] names = [.. rows.Select(i => c.Test.Names[i])];
        var truth = c.Simulation.Sequences.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var planted = names.Select(n => (IReadOnlyList<EmbeddedMotif>)[.. truth[n].Instances.Select(m => new EmbeddedMotif(m.Start, m.Motif, m.Bases))]).ToList();
        AttributionTarget target = AttributionTarget.Task(0);
        AttributionResult shap = new DeepLiftShap(c.Model, AttributionReferences.DinucleotideShuffles(20, c.Seed)).Attribute(x, target);
        AttributionResult gxi = new Saliency(c.Model).GradientTimesInput(x, target);
        double shapPr = MotifRecovery.Auprc(PerBaseScore.ObservedBase(shap.Contributions, x), planted, _ => true);
        double gxiPr = MotifRecovery.Auprc(PerBaseScore.ObservedBase(gxi.Contributions, x), planted, _ => true);
        string path = Path.Combine(c.OutputDirectory, ExplainFileName);
        AttributionNpz.Write(path, shap, x, names);
        c.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"explain: {rows.Length} positive test sequences; planted-motif recovery (per-base auPRC) DeepLIFT-SHAP {shapPr:F4}, gradient x input {gxiPr:F4}; max completeness delta {shap.Deltas.Max():G3} -> {path}"));
    }

    /// <summary>Writes one progress line per epoch, synchronously (to standard error).</summary>
    private sealed class EpochPrinter(TextWriter writer, int epochs) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => writer.WriteLine(TrainingLog.FormatEpoch(value, epochs));
    }

    /// <summary>What the demo's steps share; each step fills in its part.</summary>
    internal sealed class DemoContext(string outputDirectory, long seed, int sequenceCount, int epochs, CliConsole console)
    {
        public string OutputDirectory { get; } = outputDirectory;

        public long Seed { get; } = seed;

        public int SequenceCount { get; } = sequenceCount;

        public int Epochs { get; } = epochs;

        public CliConsole Console { get; } = console;

        public SimulationResult Simulation { get; set; } = null!;

        public SequenceDataset Data { get; set; } = null!;

        public SequenceDataset Train { get; set; } = null!;

        public SequenceDataset Validation { get; set; } = null!;

        public SequenceDataset Test { get; set; } = null!;

        public Graph Model { get; set; } = null!;

        public TrainerOptions Options { get; set; } = null!;

        public Trainer Trainer { get; set; } = null!;

        public TrainingResult Result { get; set; } = null!;

        public TaskMetrics TestMetrics { get; set; } = null!;
    }
}
