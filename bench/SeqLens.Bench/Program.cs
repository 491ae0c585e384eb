using System.Globalization;
using SeqLens.Kernels;

namespace SeqLens.Bench;

/// <summary>
/// Kernel benchmarks: <c>dotnet run -c Release --project bench/SeqLens.Bench -- gemm|conv|pool [--threads 1,2]
/// [--repeats N] [--filter text] [--no-torch]</c>. Prints medians and GFLOP/s, then PyTorch's medians on the
/// same shapes (tools/bench/torch_kernels.py as a subprocess) and the ratio torch time / our time.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        // Suites with their own option parsing; each is one class with a static Run(args).
        switch (args.Length > 0 ? args[0] : "")
        {
            case "models":
                return Models.ModelBenchmark.Run(args[1..]);
            case "onehot":
                return Sequences.OneHotBenchmark.Run(args[1..]);
            case "fasta-read":
                return IO.FastaReadBenchmark.Run(args[1..]);
            case "qrnn":
                return Recurrent.QrnnBenchmark.Run(args[1..]);
            case "onnx-import":
                return Import.OnnxImportBenchmark.Run(args[1..]);
            case "ism":
                return Attribution.IsmBenchmark.Run(args[1..]);
            case "attribution":
                return Attribution.AttributionBenchmark.Run(args[1..]);
            case "talgata":
                return Attribution.TalGataBenchmark.Run(args[1..]);
        }

        if (args.Length == 0 || args[0] is not ("gemm" or "conv" or "pool"))
        {
            Console.WriteLine("usage: dotnet run -c Release --project bench/SeqLens.Bench -- gemm|conv|pool|models|onehot|fasta-read|onnx-import|ism|attribution|qrnn|talgata [options]");
            Console.WriteLine("  gemm|conv|pool [--threads 1,2] [--repeats N] [--filter text] [--no-torch]");
            Console.WriteLine("  models [--threads 1,2] [--repeats N] [--only basset,deepsea] [--no-torch]");
            return args.Length == 0 ? 0 : 1;
        }

        string suite = args[0];
        var threads = new List<int> { 1, 2 };
        int repeats = suite == "conv" ? 5 : 9;
        string? filter = null;
        bool torch = true;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads":
                    threads = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
                    break;
                case "--repeats":
                    repeats = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--filter":
                    filter = args[++i];
                    break;
                case "--no-torch":
                    torch = false;
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 1;
            }
        }

        Console.WriteLine(FormattableString.Invariant($"SeqLens kernels, suite {suite}: {Environment.ProcessorCount} cores, GEMM path {GemmMicroKernel.Best}, median of {repeats} after 2 warm-ups."));
        var rows = suite switch
        {
            "gemm" => Suites.Gemm(threads, repeats, filter),
            "conv" => Suites.Conv(threads, repeats, filter),
            _ => Suites.Pool(threads, repeats, filter),
        };

        Dictionary<(string, string, int), double>? reference = null;
        if (torch)
        {
            Console.WriteLine("running the PyTorch reference ...");
            (reference, string note) = TorchReference.Run(suite, threads, repeats, filter);
            Console.WriteLine(note);
        }

        Console.WriteLine();
        bool oneDnn = suite == "gemm";
        Console.WriteLine(FormattableString.Invariant($"{"case",-24} {"op",-12} {"thr",3} {"ms",9} {"GFLOP/s",8} {"best GF",8} {"torch ms",9} {"torch GF",8} {"ratio",6}") + (oneDnn ? FormattableString.Invariant($" {"oneDNN ms",9} {"oneDNN GF",9} {"ratio",6}") : ""));
        foreach (var r in rows)
        {
            string gf = r.Flops > 0 ? (r.Flops / r.Milliseconds / 1e6).ToString("F1", CultureInfo.InvariantCulture) : "-";
            string bestGf = r.Flops > 0 ? (r.Flops / r.BestMilliseconds / 1e6).ToString("F1", CultureInfo.InvariantCulture) : "-";
            string line = FormattableString.Invariant($"{r.Case,-24} {r.Op,-12} {r.Threads,3} {r.Milliseconds,9:F2} {gf,8} {bestGf,8} ") + Compare(reference, r, r.Op, 9, 8);
            if (oneDnn)
            {
                line += " " + Compare(reference, r, r.Op + ".onednn", 9, 9);
            }

            Console.WriteLine(line);
        }

        Console.WriteLine();
        Console.WriteLine("ms and GFLOP/s: medians; best GF: the fastest run (a hint of the unloaded speed when other processes compete).");
        Console.WriteLine("ratio = PyTorch median / SeqLens median (above 1: SeqLens is faster).");
        if (oneDnn)
        {
            Console.WriteLine("torch = torch.mm (Debian's build: netlib reference BLAS, a single run); oneDNN = the same product as a 1x1 conv1d over 16 column blocks.");
        }

        return 0;
    }

    private static string Compare(Dictionary<(string, string, int), double>? reference, BenchRow r, string op, int msWidth, int gfWidth)
    {
        if (reference is null || !reference.TryGetValue((r.Case, op, r.Threads), out double t))
        {
            return FormattableString.Invariant($"{"-",9} {"-",8} {"-",6}").PadRight(msWidth + gfWidth + 8);
        }

        string gf = r.Flops > 0 ? (r.Flops / t / 1e6).ToString("F1", CultureInfo.InvariantCulture) : "-";
        return string.Create(CultureInfo.InvariantCulture, $"{t.ToString("F2", CultureInfo.InvariantCulture).PadLeft(msWidth)} {gf.PadLeft(gfWidth)} {(t / r.Milliseconds).ToString("F2", CultureInfo.InvariantCulture),6}");
    }
}
