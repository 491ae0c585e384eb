using System.Diagnostics;
using System.Globalization;
using SeqLens.Attribution.Ism;
using SeqLens.Graphs;

namespace SeqLens.Bench.Attribution;

/// <summary>
/// Fast ISM of one 600-bp sequence on the full-size Basset-like model (all 1800 substitutions, 164 tasks), median of
/// repeated runs after a warm-up, against PyTorch's naive ISM (1800 batched forward passes, eval, no_grad) timed by
/// <c>tools/bench/torch_ism.py</c> in the same run. Target: at least 10x PyTorch.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project bench/SeqLens.Bench -- ism [repeats] [batch] [length]</c> (defaults 5,
/// 256, 600). PyTorch runs as a subprocess when <c>/usr/bin/python3</c> has torch; otherwise the benchmark says so.
/// </remarks>
public static class IsmBenchmark
{
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        int batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
        int length = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 600;
        Graph graph = BassetLike(length);
        var rng = new Rng(5);
        var x = new Tensor(1, 4, length);
        for (int p = 0; p < length; p++)
        {
            x[0, rng.NextInt(4), p] = 1f;
        }

        var ism = new InSilicoMutagenesis(graph, new IsmOptions { BatchSize = batch });
        ism.Attribute(x); // warm-up (tier-1 JIT, packing)
        var times = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            ism.Attribute(x);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        double ours = Median(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"what\": \"seqlens_fast_ism\", \"length\": {length}, \"mutants\": {3 * length}, \"batch\": {batch}, \"threads\": {Kernels.KernelThreads.MaxDegree}, \"median_ms\": {ours:F1}, \"runs\": {repeats}}}"));
        double? torch = RunTorch(length);
        if (torch is double t)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"speed-up vs PyTorch naive ISM: {t / ours:F1}x (target >= 10x)"));
        }

        return 0;
    }

    /// <summary>Conv(4,300,19,same)+BN+ReLU+MaxPool3 → Conv(300,200,11)+BN+ReLU+MaxPool4 → Conv(200,200,7)+BN+ReLU+MaxPool4 → Dense(1000)+ReLU → Dense(164).</summary>
    public static Graph BassetLike(int length)
    {
        var b = new GraphBuilder(seed: 1);
        Node x = b.Input("dna", 4, length);
        Node h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(x, 300, 19, padding: Padding.Symmetric(9)))), 3);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 200, 11))), 4);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 200, 7))), 4);
        h = b.Relu(b.Dense(b.Flatten(h), 1000));
        return b.Build(b.Dense(h, 164));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[(n / 2) - 1] + values[n / 2]);
    }

    private static double? RunTorch(int length)
    {
        const string python = "/usr/bin/python3";
        string script = Path.Combine(FindRoot(), "tools", "bench", "torch_ism.py");
        if (!File.Exists(python) || !File.Exists(script))
        {
            Console.WriteLine($"PyTorch comparison skipped: {python} or {script} is missing.");
            return null;
        }

        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { script, "--length", length.ToString(CultureInfo.InvariantCulture), "--threads", Kernels.KernelThreads.MaxDegree.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Console.WriteLine(output);
        if (process.ExitCode == 3)
        {
            Console.WriteLine("PyTorch comparison skipped: /usr/bin/python3 has no torch (apt-get install -y python3-torch).");
            return null;
        }

        using var json = System.Text.Json.JsonDocument.Parse(output);
        return json.RootElement.GetProperty("median_ms").GetDouble();
    }

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "SeqLens.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? Directory.GetCurrentDirectory();
    }
}
