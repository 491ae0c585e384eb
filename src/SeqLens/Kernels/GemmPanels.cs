using System.Runtime.CompilerServices;

namespace SeqLens.Kernels;

/// <summary>Receives a finished C panel (all k blocks summed) of a <see cref="GemmDriver.RunPanels"/> GEMM.</summary>
internal unsafe interface IPanelSink
{
    /// <summary>Consumes C rows <c>[0, m)</c>, columns <c>[j0, j0+nc)</c>; element (i, j) at <c>panel[i·ld + j − j0]</c>.</summary>
    void Flush(float* panel, nint ld, int m, int j0, int nc);
}

/// <summary>The panel-at-a-time GEMM: C never goes to memory in place; each finished panel goes to a sink.</summary>
internal static unsafe partial class GemmDriver
{
    /// <summary>
    /// Computes C = A·B (m×k times k×n, m ≤ <see cref="GemmBuffers.Mc"/>) in panels of
    /// <paramref name="panelWidth"/> columns (≤ <see cref="GemmBuffers.Nc"/>), handing each finished panel to
    /// <paramref name="sink"/>. Panels are fixed by the shape and each is produced and flushed by one thread,
    /// so a sink that writes only its panel's part of the output is deterministic for any thread count.
    /// </summary>
    public static void RunPanels<TA, TB, TS>(in TA a, in TB b, in TS sink, int m, int n, int k, int panelWidth)
        where TA : unmanaged, IPackA
        where TB : unmanaged, IPackB
        where TS : unmanaged, IPanelSink
    {
        if (m <= 0 || n <= 0)
        {
            return;
        }

        if (m > GemmBuffers.Mc || panelWidth <= 0 || panelWidth > GemmBuffers.Nc)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"Panel GEMM needs m ≤ {GemmBuffers.Mc} and 0 < panel width ≤ {GemmBuffers.Nc}; got m={m}, width={panelWidth}.");
        }

        int panels = (n + panelWidth - 1) / panelWidth;
        int degree = (long)m * n * Math.Max(k, 1) < ParallelThreshold ? 1 : Math.Min(KernelThreads.Effective, panels);
        var job = new PanelJob<TA, TB, TS>
        {
            A = a,
            B = b,
            Sink = sink,
            M = m,
            N = n,
            K = k,
            Path = GemmMicroKernel.Current,
            PanelWidth = panelWidth,
            Panels = panels,
        };
        KernelParallel.Run(degree, &PanelWork<TA, TB, TS>, &job);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PanelWork<TA, TB, TS>(void* state)
        where TA : unmanaged, IPackA
        where TB : unmanaged, IPackB
        where TS : unmanaged, IPanelSink
    {
        ref var job = ref Unsafe.AsRef<PanelJob<TA, TB, TS>>(state);
        var buffers = GemmBuffers.ForThread();
        float* packA = buffers.PackA;
        float* packB = buffers.PackB;
        float* panel = buffers.Panel;
        const int ld = GemmBuffers.PanelStride;
        var path = job.Path;
        int mr = GemmMicroKernel.Mr(path);
        int nr = GemmMicroKernel.Nr(path);
        int m = job.M;
        int index;
        while ((index = Interlocked.Increment(ref job.Next) - 1) < job.Panels)
        {
            int j0 = index * job.PanelWidth;
            int nc = Math.Min(job.PanelWidth, job.N - j0);
            if (job.K == 0)
            {
                for (int i = 0; i < m; i++)
                {
                    new Span<float>(panel + ((nint)i * ld), nc).Clear();
                }
            }

            for (int pc = 0; pc < job.K; pc += GemmBuffers.Kc)
            {
                int kc = Math.Min(GemmBuffers.Kc, job.K - pc);
                job.B.Pack(packB, pc, kc, j0, nc, nr);
                job.A.Pack(packA, 0, m, pc, kc, mr);
                for (int jr = 0; jr < nc; jr += nr)
                {
                    float* bp = packB + ((nint)jr * kc);
                    for (int ir = 0; ir < m; ir += mr)
                    {
                        // Tiles past m or nc land in the panel's slack (rows < Mc, columns < Nc ≤ stride) and are ignored.
                        GemmMicroKernel.Run(path, kc, packA + ((nint)ir * kc), bp, panel + ((nint)ir * ld) + jr, ld, accumulate: pc > 0);
                    }
                }
            }

            job.Sink.Flush(panel, ld, m, j0, nc);
        }
    }

    private struct PanelJob<TA, TB, TS>
        where TA : unmanaged, IPackA
        where TB : unmanaged, IPackB
        where TS : unmanaged, IPanelSink
    {
        public TA A;
        public TB B;
        public TS Sink;
        public int M;
        public int N;
        public int K;
        public GemmPath Path;
        public int PanelWidth;
        public int Panels;
        public int Next;
    }
}
