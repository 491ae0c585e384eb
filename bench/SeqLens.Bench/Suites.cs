using SeqLens.Kernels;

namespace SeqLens.Bench;

/// <summary>One measured row.</summary>
internal sealed record BenchRow(string Case, string Op, int Threads, double Milliseconds, double BestMilliseconds, double Flops);

/// <summary>The benchmark suites over <see cref="BenchCases"/>.</summary>
internal static class Suites
{
    public static List<BenchRow> Gemm(IReadOnlyList<int> threads, int repeats, string? filter)
    {
        var rows = new List<BenchRow>();
        foreach (var c in BenchCases.Gemms.Where(c => filter is null || c.Name.Contains(filter, StringComparison.Ordinal)))
        {
            var a = Random(c.M * c.K, 1);
            var b = Random(c.K * c.N, 2);
            var result = new float[c.M * c.N];
            foreach (int t in threads)
            {
                KernelThreads.MaxDegree = t;
                var (ms, best) = Measure.Milliseconds(() => SeqLens.Kernels.Gemm.Multiply(false, false, c.M, c.N, c.K, a, c.K, b, c.N, result, c.N), repeats);
                rows.Add(Report(new BenchRow(c.Name, "mm", t, ms, best, c.Flops)));
            }
        }

        return rows;
    }

    public static List<BenchRow> Conv(IReadOnlyList<int> threads, int repeats, string? filter)
    {
        var rows = new List<BenchRow>();
        foreach (var c in BenchCases.Convs.Where(c => filter is null || c.Name.Contains(filter, StringComparison.Ordinal)))
        {
            var g = c.Geometry;
            var x = Random(g.Batch * g.InChannels * g.Length, 1);
            var w = Random(g.OutChannels * (g.InChannels / g.Groups) * g.KernelSize, 2);
            var bias = Random(g.OutChannels, 3);
            var y = new float[g.Batch * g.OutChannels * g.OutLength];
            var dy = Random(y.Length, 4);
            var dx = new float[x.Length];
            var dw = new float[w.Length];
            var db = new float[bias.Length];
            foreach (int t in threads)
            {
                KernelThreads.MaxDegree = t;
                rows.Add(Report(Row(c.Name, "forward", t, Measure.Milliseconds(() => Conv1d.Forward(g, x, w, bias, y), repeats), c.Flops)));
                rows.Add(Report(Row(c.Name, "input-grad", t, Measure.Milliseconds(() => Conv1d.BackwardInput(g, dy, w, dx), repeats), c.Flops)));
                rows.Add(Report(Row(c.Name, "weight-grad", t, Measure.Milliseconds(() => Conv1d.BackwardWeight(g, x, dy, dw, db), repeats), c.Flops)));
            }
        }

        return rows;
    }

    public static List<BenchRow> Pool(IReadOnlyList<int> threads, int repeats, string? filter)
    {
        // The pooling layers that follow the conv layers above (rows = batch × channels).
        (string Name, int Rows, int Length, int Kernel)[] cases =
        [
            ("basset.pool1", BenchCases.Batch * 300, 600, 3),
            ("basset.pool2", BenchCases.Batch * 200, 190, 4),
            ("deepsea.pool1", BenchCases.Batch * 320, 993, 4),
            ("deepsea.pool2", BenchCases.Batch * 480, 241, 4),
        ];
        var rows = new List<BenchRow>();
        foreach (var c in cases.Where(c => filter is null || c.Name.Contains(filter, StringComparison.Ordinal)))
        {
            int outLength = Pool1d.OutLength(c.Length, c.Kernel, c.Kernel);
            var x = Random(c.Rows * c.Length, 1);
            var y = new float[c.Rows * outLength];
            var argmax = new int[y.Length];
            var dx = new float[x.Length];
            foreach (int t in threads)
            {
                KernelThreads.MaxDegree = t;
                rows.Add(Report(Row(c.Name, "max-forward", t, Measure.Milliseconds(() => Pool1d.MaxForward(c.Rows, c.Length, c.Kernel, c.Kernel, 0, outLength, x, y, argmax), repeats), 0)));
                rows.Add(Report(Row(c.Name, "max-backward", t, Measure.Milliseconds(() => Pool1d.MaxBackward(c.Rows, c.Length, outLength, y, argmax, dx), repeats), 0)));
                rows.Add(Report(Row(c.Name, "avg-forward", t, Measure.Milliseconds(() => Pool1d.AvgForward(c.Rows, c.Length, c.Kernel, c.Kernel, 0, outLength, true, x, y), repeats), 0)));
            }
        }

        return rows;
    }

    private static BenchRow Row(string name, string op, int threads, (double Median, double Best) time, double flops)
        => new(name, op, threads, time.Median, time.Best, flops);

    private static BenchRow Report(BenchRow row)
    {
        Console.WriteLine(FormattableString.Invariant($"  {row.Case} {row.Op} threads={row.Threads}: median {row.Milliseconds:F2} ms, best {row.BestMilliseconds:F2} ms"));
        return row;
    }

    private static float[] Random(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var data = new float[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = (rng.NextSingle() * 2f) - 1f;
        }

        return data;
    }
}
