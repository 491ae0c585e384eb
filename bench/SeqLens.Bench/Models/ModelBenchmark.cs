using System.Globalization;
using SeqLens.Graphs;
using SeqLens.Kernels;
using SeqLens.Training.Losses;
using SeqLens.Training.Optimizers;

namespace SeqLens.Bench.Models;

/// <summary>
/// Whole-model benchmarks of the engine issue: Basset-like forward and training step (forward + BCE + backward +
/// Adam), DeepSEA-like forward, batch 64, against PyTorch (tools/bench/torch_models.py) in the same run.
/// <c>dotnet run -c Release --project bench/SeqLens.Bench -- models [--threads 1,2] [--repeats N] [--only basset,deepsea] [--no-torch]</c>
/// </summary>
internal static class ModelBenchmark
{
    public static int Run(string[] args)
    {
        var threads = new List<int> { 1, 2 };
        int repeats = 7;
        string only = "basset,deepsea";
        bool torch = true;
        int profileBatch = 0;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads":
                    threads = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
                    break;
                case "--repeats":
                    repeats = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--only":
                    only = args[++i];
                    break;
                case "--no-torch":
                    torch = false;
                    break;
                case "--profile":
                    profileBatch = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 1;
            }
        }

        if (profileBatch > 0)
        {
            return ProfileBasset(profileBatch, repeats);
        }

        Console.WriteLine(FormattableString.Invariant($"SeqLens models: batch 64, median of {repeats} after 2 warm-ups; GEMM path {GemmMicroKernel.Best}."));
        var rows = new List<(string Model, string What, int Threads, double Median, double Best)>();
        foreach (int t in threads)
        {
            KernelThreads.MaxDegree = t;
            if (only.Contains("basset", StringComparison.Ordinal))
            {
                Graph g = ReferenceModels.BassetLike();
                var x = ReferenceModels.RandomOneHot(64, 600, 7);
                var exec = new Executor(g, seed: 1);
                var (med, best) = Measure.Milliseconds(() => exec.Forward(x), repeats);
                rows.Add(("basset", "forward", t, med, best));

                var y = new Tensor(64, 164);
                var rng = new Rng(3);
                for (int i = 0; i < y.Length; i++)
                {
                    y.Data[i] = rng.NextInt(2);
                }

                var train = new Executor(g, seed: 1) { Training = true };
                var optimizer = new Adam(g.TrainableParameters, 1e-3);
                var loss = new BinaryCrossEntropyWithLogitsLoss();
                var grad = new Tensor(64, 164);
                (med, best) = Measure.Milliseconds(
                    () =>
                    {
                        optimizer.ZeroGrad();
                        Tensor logits = train.Forward(x);
                        loss.Compute(logits, y, grad);
                        train.Backward(grad, BackwardOptions.Training);
                        optimizer.Step();
                    },
                    repeats);
                rows.Add(("basset", "train_step", t, med, best));
            }

            if (only.Contains("deepsea", StringComparison.Ordinal))
            {
                Graph g = ReferenceModels.DeepSeaLike();
                var x = ReferenceModels.RandomOneHot(64, 1000, 7);
                var exec = new Executor(g, seed: 1);
                var (med, best) = Measure.Milliseconds(() => exec.Forward(x), repeats);
                rows.Add(("deepsea", "forward", t, med, best));
            }
        }

        Dictionary<(string, string, int), double>? reference = null;
        if (torch)
        {
            Console.WriteLine("running the PyTorch reference (tools/bench/torch_models.py) ...");
            (reference, string note) = TorchReference.RunScript("torch_models.py", ["--threads", string.Join(',', threads), "--repeats", repeats.ToString(CultureInfo.InvariantCulture), "--only", only]);
            Console.WriteLine(note);
        }

        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"{"model",-8} {"what",-11} {"thr",3} {"ms",9} {"best ms",9} {"torch ms",9} {"ratio",6}"));
        foreach (var r in rows)
        {
            string torchMs = "-", ratio = "-";
            if (reference is not null && reference.TryGetValue((r.Model, r.What, r.Threads), out double tm))
            {
                torchMs = tm.ToString("F1", CultureInfo.InvariantCulture);
                ratio = (tm / r.Median).ToString("F2", CultureInfo.InvariantCulture);
            }

            Console.WriteLine(FormattableString.Invariant($"{r.Model,-8} {r.What,-11} {r.Threads,3} {r.Median,9:F1} {r.Best,9:F1} {torchMs,9} {ratio,6}"));
        }

        Console.WriteLine("ratio = PyTorch median / SeqLens median (above 1: SeqLens is faster).");
        return 0;
    }

    /// <summary>Per-node forward and backward (input gradients only, as attribution runs it) times of the Basset-like model.</summary>
    private static int ProfileBasset(int batch, int repeats)
    {
        Graph g = ReferenceModels.BassetLike();
        var x = ReferenceModels.RandomOneHot(batch, 600, 7);
        var exec = new Executor(g, seed: 1);
        var seed = new Tensor(batch, 164);
        Array.Fill(seed.Data, 1f);
        exec.Forward(x);
        exec.Backward(seed, BackwardOptions.InputOnly);
        exec.Profile = true;
        for (int r = 0; r < repeats; r++)
        {
            exec.Forward(x);
            exec.Backward(seed, BackwardOptions.InputOnly);
        }

        NodeProfile.Print(g, exec, repeats, FormattableString.Invariant($"Basset-like, batch {batch}, {KernelThreads.MaxDegree} threads, mean ms per pass over {repeats} repeats:"));
        return 0;
    }
}
