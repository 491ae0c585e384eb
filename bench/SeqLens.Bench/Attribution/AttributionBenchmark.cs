using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SeqLens.Attribution;
using SeqLens.Graphs;

namespace SeqLens.Bench.Attribution;

/// <summary>
/// Attribution throughput on the full-size Basset-like model (Conv(4,300,19,same)+BN+ReLU+MaxPool3 →
/// Conv(300,200,11)+BN+ReLU+MaxPool4 → Conv(200,200,7)+BN+ReLU+MaxPool4 → Dense(1000)+ReLU → Dense(164), L = 600):
/// DeepLIFT-SHAP with 20 dinucleotide-shuffle references (shared input rows, and the stacked layout for comparison) and
/// integrated gradients with 50 steps, in sequences per second (median of rounds after a warm-up).
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project bench/SeqLens.Bench -- attribution [sequences] [rounds] [--torch|--profile|--ab|--sparse]</c>
/// (defaults 2 sequences, 3 rounds). With <c>--torch</c> the PyTorch equivalents (tools/bench/torch_attribution.py) run
/// right after, in the same run, and the speed-ups are printed; targets ≥ 4× (DeepLIFT-SHAP) and ≥ 2× (IG). <c>--profile</c>:
/// per-node times of a DeepLIFT-SHAP chunk and of IG batches (generic, linear path, linear path fused); <c>--ab</c>:
/// interleaved IG with layer fusion off and on (wall and process CPU time per sequence, medians).
/// </remarks>
public static class AttributionBenchmark
{
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string[] numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        int sequences = numbers.Length > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 2;
        int rounds = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 3;
        bool torch = args.Contains("--torch");
        Graph g = Basset();
        if (args.Contains("--profile"))
        {
            return Profile(g, rounds);
        }

        if (args.Contains("--chunk-ab"))
        {
            return ChunkAb(g, rounds);
        }

        var rng = new Rng(1);
        var seqs = new string[sequences];
        for (int i = 0; i < sequences; i++)
        {
            seqs[i] = new string(Enumerable.Range(0, 600).Select(_ => "ACGT"[rng.NextInt(4)]).ToArray());
        }

        Tensor x = SeqLens.Sequences.OneHot.Encode(seqs);
        var target = AttributionTarget.Task(0);
        if (args.Contains("--sparse"))
        {
            // Sparse vs dense input gradient of the Basset-like second convolution, per density (process CPU time).
            var geo = new SeqLens.Kernels.Conv1dGeometry(20, 300, 200, 200, 11);
            var rs = new Rng(4);
            float[] w = Enumerable.Range(0, 200 * 300 * 11).Select(_ => (float)(rs.NextDouble() - 0.5)).ToArray();
            float[] dx = new float[20 * 300 * 200];
            foreach (double density in new[] { 0.0, 0.02, 0.1, 0.2, 0.3, 0.4 })
            {
                float[] dy = Enumerable.Range(0, 20 * 200 * geo.OutLength).Select(_ => rs.NextDouble() < density ? 1f : 0f).ToArray();
                (double _, double dense) = WallAndCpu(rounds, () => { for (int r = 0; r < rounds; r++) { SeqLens.Kernels.Conv1d.BackwardInput(geo, dy, w, dx); } });
                (double _, double sparse) = WallAndCpu(rounds, () => { for (int r = 0; r < rounds; r++) { SparseConvBackward.ScatterAll(geo, dy, w, dx); } });
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"density {density:F2}: dense {dense * 1000:F1} ms cpu, sparse {sparse * 1000:F1} ms cpu"));
            }

            return 0;
        }

        if (args.Contains("--ab"))
        {
            // Interleaved A/B of integrated gradients (same load for both): layer fusion (batch-norm folding, ReLU fusion) off and on.
            var unfolded = new IntegratedGradients(g) { Steps = 50, BatchSize = 52, Fusion = false };
            var folded = new IntegratedGradients(g) { Steps = 50, BatchSize = 52 };
            unfolded.Attribute(x, AttributionReferences.Zeros(), target);
            folded.Attribute(x, AttributionReferences.Zeros(), target);
            var wa = new List<double>();
            var wb = new List<double>();
            var ca = new List<double>();
            var cb = new List<double>();
            for (int r = 0; r < rounds; r++)
            {
                (double a, double cpuA) = WallAndCpu(sequences, () => unfolded.Attribute(x, AttributionReferences.Zeros(), target));
                (double b, double cpuB) = WallAndCpu(sequences, () => folded.Attribute(x, AttributionReferences.Zeros(), target));
                wa.Add(a);
                wb.Add(b);
                ca.Add(cpuA);
                cb.Add(cpuB);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ig fusion off {a:F3} s/seq (cpu {cpuA:F3}), on {b:F3} s/seq (cpu {cpuB:F3})"));
            }

            wa.Sort();
            wb.Sort();
            ca.Sort();
            cb.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: fusion off {wa[rounds / 2]:F3} s/seq (cpu {ca[rounds / 2]:F3}), on {wb[rounds / 2]:F3} s/seq (cpu {cb[rounds / 2]:F3}); wall ratio {wa[rounds / 2] / wb[rounds / 2]:F3}, cpu ratio {ca[rounds / 2] / cb[rounds / 2]:F3}"));
            return 0;
        }

        if (args.Contains("--dls-batch"))
        {
            // Interleaved DeepLIFT-SHAP (shared rows) with 1, 2 and 8 sequences per executor batch: wall and CPU per sequence.
            int[] sizes = [1, 2, 8];
            var runs = sizes.Select(b => new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(20, 1), new DeepLiftOptions { BatchSize = b })).ToArray();
            var walls = sizes.Select(_ => new List<double>()).ToArray();
            var cpus = sizes.Select(_ => new List<double>()).ToArray();
            for (int r = -1; r < rounds; r++)
            {
                for (int k = 0; k < runs.Length; k++)
                {
                    (double w, double c) = WallAndCpu(sequences, () => runs[k].Attribute(x, target));
                    if (r >= 0)
                    {
                        walls[k].Add(w);
                        cpus[k].Add(c);
                    }
                }
            }

            for (int k = 0; k < runs.Length; k++)
            {
                walls[k].Sort();
                cpus[k].Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deeplift-shap batch {sizes[k]}: {1 / walls[k][rounds / 2]:F2} seq/s (wall {walls[k][rounds / 2] * 1000:F1} ms/seq, cpu {cpus[k][rounds / 2] * 1000:F1} ms/seq)"));
            }

            return 0;
        }

        if (args.Contains("--dls-only"))
        {
            // DeepLIFT-SHAP alone (shared rows, the library defaults): median wall and process CPU per sequence over the rounds.
            var only = new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(20, 1), new DeepLiftOptions());
            only.Attribute(x, target);
            var walls = new List<double>();
            var cpus = new List<double>();
            for (int r = 0; r < rounds; r++)
            {
                (double w, double c) = WallAndCpu(sequences, () => only.Attribute(x, target));
                walls.Add(w);
                cpus.Add(c);
            }

            walls.Sort();
            cpus.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seqlens deeplift-shap x20 (shared input rows): {1 / walls[rounds / 2]:F3} seq/s (wall {walls[rounds / 2] * 1000:F1} ms/seq, cpu {cpus[rounds / 2] * 1000:F1} ms/seq)"));
            return 0;
        }

        if (args.Contains("--piecewise"))
        {
            return Piecewise(g, x, rounds);
        }

        if (args.Contains("--ig-only"))
        {
            var igOnly = new IntegratedGradients(g) { Steps = 50, BatchSize = 52 };
            double s = Median(rounds, sequences, () => igOnly.Attribute(x, AttributionReferences.Zeros(), target));
            (double _, double cpu) = WallAndCpu(sequences, () => igOnly.Attribute(x, AttributionReferences.Zeros(), target));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  process cpu {cpu:F3} s/seq"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seqlens ig x50: {1 / s:F3} seq/s ({s:F3} s/seq); second-layer breakpoints per sequence {igOnly.LastBreakpoints / (double)sequences:F0}, fallbacks {igOnly.LastFallbacks}"));
            return 0;
        }

        // The library's (and `seqlens attribute`'s) default batch: 8 sequences, i.e. 8 × 21 rows with shared input rows.
        var shared = new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(20, 1), new DeepLiftOptions());
        var stacked = new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(20, 1), new DeepLiftOptions { ShareInputRows = false });
        var ig = new IntegratedGradients(g) { Steps = 50, BatchSize = 52 };
        double dls = Median(rounds, sequences, () => shared.Attribute(x, target));
        double igs = Median(rounds, sequences, () => ig.Attribute(x, AttributionReferences.Zeros(), target));
        double dlsStacked = Median(Math.Max(1, rounds / 2), sequences, () => stacked.Attribute(x, target));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seqlens deeplift-shap x20 (shared input rows): {1 / dls:F3} seq/s ({dls:F2} s/seq)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seqlens deeplift-shap x20 (stacked [x; x0]):   {1 / dlsStacked:F3} seq/s ({dlsStacked:F2} s/seq)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seqlens ig x50:                                {1 / igs:F3} seq/s ({igs:F2} s/seq)"));
        if (!torch)
        {
            return 0;
        }

        string script = Path.Combine(FindRoot(), "tools", "bench", "torch_attribution.py");
        var psi = new ProcessStartInfo("/usr/bin/python3", [script, "--sequences", sequences.ToString(CultureInfo.InvariantCulture), "--rounds", rounds.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        };
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("Could not start python3.");
        var torchSeconds = new Dictionary<string, double>(StringComparer.Ordinal);
        while (p.StandardOutput.ReadLine() is string line)
        {
            Console.WriteLine("torch " + line);
            using JsonDocument doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("what", out JsonElement what))
            {
                torchSeconds[what.GetString()!] = doc.RootElement.GetProperty("median_s_per_seq").GetDouble();
            }
        }

        p.WaitForExit();
        if (torchSeconds.TryGetValue("deeplift-shap x20", out double t1) && torchSeconds.TryGetValue("ig x50", out double t2))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"speed-up deeplift-shap: {t1 / dls:F2}x (target 4x); ig: {t2 / igs:F2}x (target 2x)"));
            return t1 / dls >= 4 && t2 / igs >= 2 ? 0 : 1;
        }

        return 1;
    }

    /// <summary>
    /// The parts of integrated gradients' piecewise second layer on the first sequence, 1 and 2 threads (wall time, best
    /// of <paramref name="rounds"/>): breakpoints and A, B at the first step (Begin), the forward fill of 50 steps, the
    /// backward accumulation of 50 steps (random gradient, 30 % nonzero).
    /// </summary>
    private static int Piecewise(Graph g, Tensor x, int rounds)
    {
        var tg = new TargetGradient(g, AttributionTarget.Task(0));
        PiecewiseSecondLayer layer = PiecewiseSecondLayer.TryCreate(tg, g.Nodes[1], g.Nodes[2], g.Nodes[3]) ?? throw new InvalidOperationException("The benchmark model has no piecewise second layer.");
        layer.Refresh();
        var ends = new Tensor(2, 4, 600);
        x.Data.AsSpan(0, 2400).CopyTo(ends.Data);
        var exec = new Executor(g);
        exec.Forward(ends);
        float[] z = exec.Value(g.Nodes[2]).Data;
        int n = z.Length / 2;
        float[] z0 = z.AsSpan(n, n).ToArray();
        float[] dz = new float[n];
        for (int e = 0; e < n; e++)
        {
            dz[e] = z[e] - z0[e];
        }

        // As integrated gradients runs it: 50 Gauss–Legendre steps between the path's ends α = 0 and 1 (weight 0).
        (double[] points, double[] quadrature) = IntegrationPoints.Get(IntegrationMethod.GaussLegendre, 50);
        double[] alphas = [0.0, .. points, 1.0];
        double[] weights = [0.0, .. quadrature, 0.0];
        var output = new Tensor(52, 200, 190);
        float[] gradient = new float[52 * 200 * 190];
        var rng = new Rng(2);
        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] = rng.NextDouble() < 0.3 ? (float)(rng.NextDouble() - 0.5) : 0f;
        }

        double[] sum = new double[n];
        // NOTE: wall time, best of the rounds (interference only adds); process CPU time on Linux counts in 10 ms ticks.
        static double Cpu() => Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;

        foreach (int threads in new[] { 1, 2 })
        {
            SeqLens.Kernels.KernelThreads.MaxDegree = threads;
            var begin = new List<double>();
            var fill = new List<double>();
            var accumulate = new List<double>();
            for (int r = 0; r < rounds + 1; r++)
            {
                double t0 = Cpu();
                layer.Begin(z0, dz, alphas);
                double t1 = Cpu();
                layer.Fill(output, 0, 52);
                double t2 = Cpu();
                layer.Accumulate(gradient, 0, 52, weights, sum);
                double t3 = Cpu();
                if (r > 0)
                {
                    begin.Add(t1 - t0);
                    fill.Add(t2 - t1);
                    accumulate.Add(t3 - t2);
                }
            }

            static double Med(List<double> v) => v.Min();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"piecewise, {threads} thread(s), {layer.Breakpoints} breakpoints: begin {Med(begin):F2} ms, fill 52 rows {Med(fill):F2} ms, accumulate {Med(accumulate):F2} ms (wall, best of the rounds)"));
        }

        return 0;
    }

    /// <summary>Wall and process CPU seconds per sequence of one run.</summary>
    private static (double Wall, double Cpu) WallAndCpu(int sequences, Action run)
    {
        using var self = Process.GetCurrentProcess();
        TimeSpan cpu = self.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        run();
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds / sequences;
        self.Refresh();
        return (wall, (self.TotalProcessorTime - cpu).TotalSeconds / sequences);
    }

    /// <summary>Median seconds per sequence over <paramref name="rounds"/> timed runs after one warm-up run.</summary>
    private static double Median(int rounds, int sequences, Action run)
    {
        run();
        var seconds = new double[rounds];
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        int collections = GC.CollectionCount(2);
        for (int i = 0; i < rounds; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds / sequences;
        }

        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ({allocated / (double)rounds / sequences / (1 << 20):F1} MB allocated per sequence, {GC.CollectionCount(2) - collections} gen-2 collections)"));
        Array.Sort(seconds);
        return seconds[rounds / 2];
    }

    /// <summary>Per-node forward and backward times of one DeepLIFT-SHAP chunk (1 sequence + 20 references, shared rows) and one IG batch of 52 rows.</summary>
    private static int Profile(Graph g, int repeats)
    {
        var x = new Tensor(21, 4, 600);
        var rng = new Rng(3);
        for (int r = 0; r < 21; r++)
        {
            for (int p = 0; p < 600; p++)
            {
                x[r, rng.NextInt(4), p] = 1f;
            }
        }

        var dls = new Executor(g);
        var seed = new Tensor(21, 164);
        for (int r = 1; r < 21; r++)
        {
            seed[r, 0] = 1f;
        }

        var options = new BackwardOptions { NodeRules = DeepLiftRules.Resolve(g, DeepLiftRule.Rescale), Pairs = RowPairs.Shared(1, 20), InputGradients = true };
        Report("deeplift-shap chunk (21 rows)", g, dls, repeats, () =>
        {
            dls.Forward(x);
            dls.Backward(seed, options);
        });
        var dlsFolded = new Executor(g) { FoldBatchNorm = true, FuseReluMaxPool = true };
        Report("deeplift-shap chunk (21 rows), batch-norms folded, ReLU + max-pool rules fused (the library default)", g, dlsFolded, repeats, () =>
        {
            dlsFolded.Forward(x);
            dlsFolded.Backward(seed, options);
        });
        var xi = new Tensor(52, 4, 600);
        for (int r = 0; r < 52; r++)
        {
            for (int e = 0; e < 2400; e++)
            {
                xi.Data[(r * 2400) + e] = x.Data[e] * r / 51f;
            }
        }

        var ig = new Executor(g);
        var seedIg = new Tensor(52, 164);
        for (int r = 0; r < 50; r++)
        {
            seedIg[r, 0] = 1f;
        }

        Report("ig batch (52 rows)", g, ig, repeats, () =>
        {
            ig.Forward(xi);
            ig.Backward(seedIg, BackwardOptions.InputOnly);
        });

        // The real IG path (IntegratedGradients' linear first layer): conv1 + BN1 filled in closed form, backward stops above BN1.
        Node head = g.Nodes[2];
        float[] z = ig.Value(head).Data;
        var linear = new Executor(g);
        var seedLogits = new Tensor(52, 164);
        for (int r = 0; r < 50; r++)
        {
            seedLogits[r, 0] = 1f;
        }

        Report("ig linear-path batch (52 rows)", g, linear, repeats, () =>
        {
            linear.ForwardReplacing(xi, head, t => z.CopyTo(t.Data, 0));
            linear.BackwardAbove(g.Nodes[^1], seedLogits, BackwardOptions.InputOnly, head);
        });
        var linearFolded = new Executor(g) { FoldBatchNorm = true, FuseRelu = true };
        Report("ig linear-path batch (52 rows), batch-norms folded, ReLUs fused", g, linearFolded, repeats, () =>
        {
            linearFolded.ForwardReplacing(xi, head, t => z.CopyTo(t.Data, 0));
            linearFolded.BackwardAbove(g.Nodes[^1], seedLogits, BackwardOptions.InputOnly, head);
        });
        return 0;
    }

    /// <summary>
    /// Interleaved A/B/C of one DeepLIFT-SHAP chunk (21 rows, Rescale): unfolded, batch-norms folded, folded + ReLU/max-pool
    /// rules fused; median wall ms per pass of each (interleaving gives all three the same machine load).
    /// </summary>
    private static int ChunkAb(Graph g, int repeats)
    {
        var x = new Tensor(21, 4, 600);
        var rng = new Rng(3);
        for (int r = 0; r < 21; r++)
        {
            for (int p = 0; p < 600; p++)
            {
                x[r, rng.NextInt(4), p] = 1f;
            }
        }

        var seed = new Tensor(21, 164);
        for (int r = 1; r < 21; r++)
        {
            seed[r, 0] = 1f;
        }

        var options = new BackwardOptions { NodeRules = DeepLiftRules.Resolve(g, DeepLiftRule.Rescale), Pairs = RowPairs.Shared(1, 20), InputGradients = true };
        Executor[] execs = [new Executor(g) { Profile = true }, new Executor(g) { FoldBatchNorm = true, Profile = true }, new Executor(g) { FoldBatchNorm = true, FuseReluMaxPool = true, Profile = true }];
        string[] names = ["unfolded", "folded", "folded + relu/pool fused"];
        var ms = execs.Select(_ => new List<double>()).ToArray();
        var cpu = execs.Select(_ => new List<double>()).ToArray();
        const int block = 5; // passes per timed block (process CPU time has a coarse clock)
        for (int r = -1; r < repeats; r++)
        {
            for (int e = 0; e < execs.Length; e++)
            {
                (double wall, double cpuSeconds) = WallAndCpu(block, () =>
                {
                    for (int k = 0; k < block; k++)
                    {
                        execs[e].Forward(x);
                        execs[e].Backward(seed, options);
                    }
                });
                if (r >= 0)
                {
                    ms[e].Add(wall * 1000);
                    cpu[e].Add(cpuSeconds * 1000);
                }
            }
        }

        double tick = 1000.0 / Stopwatch.Frequency / (repeats * block);
        Console.WriteLine("per node, mean fwd/bwd ms per pass (includes the warm-up block): " + string.Join(" | ", names));
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            Console.WriteLine($"  {g.Nodes[i].Name,-16}" + string.Concat(execs.Select(ex => FormattableString.Invariant($" {ex.ForwardTicks[i] * tick,7:F2} {ex.BackwardTicks[i] * tick,7:F2} |"))));
        }

        for (int e = 0; e < execs.Length; e++)
        {
            ms[e].Sort();
            cpu[e].Sort();
            Console.WriteLine(FormattableString.Invariant($"{names[e],-26} median wall {ms[e][repeats / 2],7:F1} ms (quartiles {ms[e][repeats / 4],6:F1} {ms[e][3 * repeats / 4],6:F1}), cpu {cpu[e][repeats / 2],7:F1} ms per pass"));
        }

        return 0;
    }

    private static void Report(string what, Graph g, Executor exec, int repeats, Action pass)
    {
        pass();
        exec.Profile = true;
        long start = Stopwatch.GetTimestamp();
        for (int r = 0; r < repeats; r++)
        {
            pass();
        }

        double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds / repeats;
        double ms = 1000.0 / Stopwatch.Frequency / repeats;
        Console.WriteLine(FormattableString.Invariant($"{what}, {SeqLens.Kernels.KernelThreads.MaxDegree} threads, mean ms per pass over {repeats} repeats (wall {wall:F1} ms):"));
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            Tensor? grad = exec.FoldBatchNorm || exec.FuseReluMaxPool ? null : exec.Gradient(g.Nodes[i]);
            double density = grad is null ? 0 : grad.Data.Count(v => v != 0f) / (double)grad.Length;
            Console.WriteLine(FormattableString.Invariant($"  {g.Nodes[i].Name,-16} {g.Nodes[i].Op.Kind,-14} {exec.ForwardTicks[i] * ms,9:F2} {exec.BackwardTicks[i] * ms,9:F2}   gradient nonzero {density:P0}"));
        }

        Console.WriteLine(FormattableString.Invariant($"  {"total",-31} {exec.ForwardTicks.Sum() * ms,9:F2} {exec.BackwardTicks.Sum() * ms,9:F2}"));
    }

    private static Graph Basset()
    {
        var b = new GraphBuilder(0);
        Node x = b.Input("dna", 4, 600);
        Node h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(x, 300, 19, padding: Padding.Same))), 3);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 200, 11))), 4);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 200, 7))), 4);
        Node f = b.Relu(b.Dense(b.Flatten(h), 1000));
        Graph g = b.Build(b.Dense(f, 164), activation: OutputActivation.Sigmoid);
        Calibrate(g);
        return g;
    }

    /// <summary>
    /// Makes the random model look trained where attribution speed depends on it: biases drawn as PyTorch initialises them
    /// (U(±1/√fan-in)), batch-norm running statistics set from 64 random sequences (layer by layer, as training would leave
    /// them), and γ, β drawn near 1 and 0. Zero biases would make every ReLU and max-pool along a zero-baseline IG path
    /// exactly homogeneous, which no trained model is.
    /// </summary>
    private static void Calibrate(Graph g)
    {
        var rng = new Rng(11);
        foreach (Node node in g.Nodes)
        {
            (Parameter? bias, int fanIn) = node.Op switch
            {
                SeqLens.Graphs.Ops.Conv1dOp c => (c.Bias, c.Weight.Value.Length / c.OutChannels),
                SeqLens.Graphs.Ops.DenseOp d => (d.Bias, d.Weight.Value.Length / d.Bias!.Value.Length),
                _ => ((Parameter?)null, 1),
            };
            if (bias is not null)
            {
                float bound = 1f / MathF.Sqrt(fanIn);
                for (int i = 0; i < bias.Value.Length; i++)
                {
                    bias.Value.Data[i] = (float)((rng.NextDouble() * 2) - 1) * bound;
                }
            }
        }

        var seqs = Enumerable.Range(0, 64).Select(_ => new string(Enumerable.Range(0, 600).Select(_ => "ACGT"[rng.NextInt(4)]).ToArray())).ToArray();
        Tensor x = SeqLens.Sequences.OneHot.Encode(seqs);
        var exec = new Executor(g);
        foreach (Node node in g.Nodes)
        {
            if (node.Op is not SeqLens.Graphs.Ops.BatchNorm1dOp bn)
            {
                continue;
            }

            exec.Forward(x);
            float[] v = exec.Value(node.Inputs[0]).Data;
            int channels = bn.Channels;
            int length = v.Length / 64 / channels;
            for (int c = 0; c < channels; c++)
            {
                double sum = 0;
                double sq = 0;
                for (int r = 0; r < 64; r++)
                {
                    for (int l = 0; l < length; l++)
                    {
                        double e = v[(((r * channels) + c) * length) + l];
                        sum += e;
                        sq += e * e;
                    }
                }

                double mean = sum / (64 * length);
                bn.RunningMean.Value.Data[c] = (float)mean;
                bn.RunningVar.Value.Data[c] = (float)Math.Max(1e-4, (sq / (64 * length)) - (mean * mean));
                bn.Weight!.Value.Data[c] = (float)(0.8 + (0.4 * rng.NextDouble()));
                bn.Bias!.Value.Data[c] = (float)((rng.NextDouble() - 0.5) * 0.4);
            }
        }
    }

    private static string FindRoot()
    {
        for (string? d = AppContext.BaseDirectory; d is not null; d = Path.GetDirectoryName(d))
        {
            if (File.Exists(Path.Combine(d, "SeqLens.slnx")))
            {
                return d;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
