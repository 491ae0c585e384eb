using System.Diagnostics;
using System.Globalization;
using SeqLens.Graphs;
using SeqLens.Import.Onnx;

namespace SeqLens.Bench.Import;

/// <summary>
/// ONNX import time of the full-size DeepSEA (Conv(4,320,8)+ReLU+MaxPool4 → Conv(320,480,8)+ReLU+MaxPool4 →
/// Conv(480,960,8)+ReLU → Dense(925)+ReLU → Dense(919), L = 1000; ~210 MB): writes the model with seeded random weights
/// to a temporary file, then times <see cref="OnnxImporter.Import(string, OnnxImportOptions?)"/> (file read, protobuf
/// decode, mapping, weight copy) after one warm-up, and prints every run and the median. Target: under 1 second.
/// Usage: <c>onnx-import [--runs N] [--file existing.onnx]</c>.
/// </summary>
public static class OnnxImportBenchmark
{
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int runs = 5;
        string? file = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length)
            {
                runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--file" && i + 1 < args.Length)
            {
                file = args[++i];
            }
        }

        string path = file ?? Path.Combine(Path.GetTempPath(), $"seqlens-bench-{Guid.NewGuid():N}.onnx");
        try
        {
            if (file is null)
            {
                SeqLens.IO.AtomicFile.Write(path, s => OnnxReferenceModels.DeepSea(seed: 1).Write(s));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"onnx-import: {path} ({new FileInfo(path).Length / 1e6:F0} MB)"));
            Graph warm = OnnxImporter.Import(path);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"onnx-import: {warm.Nodes.Count} nodes, {warm.ParameterCount} parameters"));
            var times = new List<double>();
            warm = null!;
            for (int rep = 0; rep < runs; rep++)
            {
                // The previous graph (~210 MB) is garbage: collect it outside the timed region.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var sw = Stopwatch.StartNew();
                Graph g = OnnxImporter.Import(path);
                times.Add(sw.Elapsed.TotalSeconds);
                GC.KeepAlive(g);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"onnx-import: run {rep + 1}: {times[^1]:F3} s"));
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"onnx-import: median {times[times.Count / 2]:F3} s over {runs} runs (target < 1 s)"));
            return 0;
        }
        finally
        {
            if (file is null)
            {
                File.Delete(path);
            }
        }
    }
}
