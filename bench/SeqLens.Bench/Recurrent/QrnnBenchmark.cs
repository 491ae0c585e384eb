using System.Globalization;
using SeqLens.Graphs;
using SeqLens.Kernels;

namespace SeqLens.Bench.Recurrent;

/// <summary>
/// QRNN layer benchmark (QRNN issue acceptance): batch 64, 4 input channels, length 1000, hidden 128, kernel width 2;
/// eval forward, and forward + backward (input and parameter gradients), against a PyTorch QRNN with a Python loop over
/// time (tools/bench/torch_qrnn.py) measured in the same run.
/// <c>dotnet run -c Release --project bench/SeqLens.Bench -- qrnn [--threads 1,2] [--repeats N] [--no-torch] [--no-backward] [--profile]</c>;
/// <c>--profile</c> prints the mean per-node forward and backward times (conv, pool) per thread count instead of comparing with PyTorch.
/// </summary>
internal static class QrnnBenchmark
{
    public static int Run(string[] args)
    {
        var threads = new List<int> { 1, 2 };
        int repeats = 7;
        bool torch = true;
        bool backward = true;
        bool profile = false;
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
                case "--no-torch":
                    torch = false;
                    break;
                case "--no-backward":
                    backward = false;
                    break;
                case "--profile":
                    profile = true;
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 1;
            }
        }

        const int batch = 64, length = 1000, hidden = 128;
        Console.WriteLine(FormattableString.Invariant($"SeqLens QRNN: batch {batch}, 4 channels, length {length}, hidden {hidden}, width 2; median of {repeats} after 2 warm-ups."));
        var b = new GraphBuilder(1);
        Node x = b.Input("dna", 4, length);
        Graph g = b.Build(b.Qrnn(x, hidden, kernelWidth: 2, name: "qrnn"), activation: OutputActivation.None);
        var input = new Tensor(batch, 4, length);
        var rng = new Rng(7);
        for (int n = 0; n < batch; n++)
        {
            for (int t = 0; t < length; t++)
            {
                input[n, rng.NextInt(4), t] = 1f;
            }
        }

        var seed = new Tensor(batch, hidden, length);
        Array.Fill(seed.Data, 1f);
        if (profile)
        {
            return Profile(g, input, seed, threads, repeats, backward);
        }

        var rows = new List<(string What, int Threads, double Median, double Best)>();
        foreach (int t in threads)
        {
            KernelThreads.MaxDegree = t;
            var exec = new Executor(g);
            var (med, best) = Measure.Milliseconds(() => exec.Forward(input), repeats);
            rows.Add(("forward", t, med, best));
            if (backward)
            {
                var options = new BackwardOptions { ParameterGradients = true, InputGradients = true };
                (med, best) = Measure.Milliseconds(
                    () =>
                    {
                        g.ZeroGrad();
                        exec.Forward(input);
                        exec.Backward(seed, options);
                    },
                    repeats);
                rows.Add(("forward_backward", t, med, best));
            }
        }

        Dictionary<(string, string, int), double>? reference = null;
        if (torch)
        {
            Console.WriteLine("running the PyTorch reference (tools/bench/torch_qrnn.py) ...");
            var targs = new List<string> { "--threads", string.Join(',', threads), "--repeats", Math.Min(repeats, 3).ToString(CultureInfo.InvariantCulture) };
            if (!backward)
            {
                targs.Add("--no-backward");
            }

            (reference, string note) = TorchReference.RunScript("torch_qrnn.py", targs);
            Console.WriteLine(note);
        }

        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"{"what",-17} {"thr",3} {"ms",9} {"best ms",9} {"torch ms",9} {"ratio",6}"));
        foreach (var r in rows)
        {
            string torchMs = "-", ratio = "-";
            if (reference is not null && reference.TryGetValue(("qrnn", r.What, r.Threads), out double tm))
            {
                torchMs = tm.ToString("F1", CultureInfo.InvariantCulture);
                ratio = (tm / r.Median).ToString("F2", CultureInfo.InvariantCulture);
            }

            Console.WriteLine(FormattableString.Invariant($"{r.What,-17} {r.Threads,3} {r.Median,9:F2} {r.Best,9:F2} {torchMs,9} {ratio,6}"));
        }

        Console.WriteLine("ratio = PyTorch median / SeqLens median (above 1: SeqLens is faster). Acceptance: forward ratio >= 10.");
        return 0;
    }

    /// <summary>Mean per-node forward (and forward + backward) times over <paramref name="repeats"/> passes after two warm-ups.</summary>
    private static int Profile(Graph g, Tensor input, Tensor seed, List<int> threads, int repeats, bool backward)
    {
        var options = new BackwardOptions { ParameterGradients = true, InputGradients = true };
        foreach (int t in threads)
        {
            KernelThreads.MaxDegree = t;
            var exec = new Executor(g);
            for (int r = 0; r < 2 + repeats; r++)
            {
                exec.Profile = r >= 2;
                g.ZeroGrad();
                exec.Forward(input);
                if (backward)
                {
                    exec.Backward(seed, options);
                }
            }

            NodeProfile.Print(g, exec, repeats, FormattableString.Invariant($"{t} thread(s), mean ms per pass over {repeats} repeats:"));
        }

        return 0;
    }
}
