using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

/// <summary>
/// The blocked GEMM loop nest (Goto/BLIS): for each panel of <see cref="GemmBuffers.Nc"/> columns (half that when
/// one A block holds all rows) and each <see cref="GemmBuffers.Kc"/> block of depth, pack B once, then for each
/// block of rows (M spread evenly over blocks of at most <see cref="GemmBuffers.MaxMc"/>) pack A and sweep
/// register tiles: column sliver by column sliver for deep k blocks, row sliver by row sliver for shallow ones
/// (≤ 128). Operands come through packers, so conv1d feeds its implicit im2col straight into the panels.
/// A large plain C written once is stored non-temporally.
/// </summary>
/// <remarks>
/// Threads split C into disjoint chunks along M or N only; the k blocks are fixed (0, Kc, 2Kc, ...) and every C
/// element is summed in the same order whatever the chunking, so 1 and 2 threads give identical bits.
/// </remarks>
internal static unsafe partial class GemmDriver
{
    /// <summary>Below this many multiply-adds a second thread costs more than it saves.</summary>
    private const long ParallelThreshold = 1L << 21;

    /// <summary>
    /// Up to this k-block depth the packed B block (depth × <see cref="GemmBuffers.Nc"/>, ≤ 1 MiB) stays in L2, and
    /// tiles are swept row sliver by row sliver instead of column sliver by column sliver.
    /// </summary>
    private const int ShallowDepth = 128;

    /// <summary>B panel width when all rows of a chunk fit one A block (Kc × 1024 floats = 1.5 MiB, more than the 1 MiB L2: its slivers stream from L3 past the L2-resident A block; width tuned by measurement).</summary>
    private const int SingleBlockNc = GemmBuffers.Nc / 2;

    /// <summary>From this size of C on (bytes), a C written once goes around the cache (<see cref="Streams"/>).</summary>
    private const long StreamBytes = 8L << 20;

    /// <summary>Computes <c>C (=|+=) A·B</c> (m×k times k×n) with the epilogue described by <paramref name="c"/>.</summary>
    public static void Run<TA, TB>(in TA a, in TB b, int m, int n, int k, in GemmOutput c)
        where TA : unmanaged, IPackA
        where TB : unmanaged, IPackB
    {
        if (m <= 0 || n <= 0)
        {
            return;
        }

        if (k <= 0)
        {
            FillWithoutDepth(m, n, c);
            return;
        }

        var path = GemmMicroKernel.Current;
        int mr = GemmMicroKernel.Mr(path);
        int nr = GemmMicroKernel.Nr(path);
        int rowSlivers = (m + mr - 1) / mr;
        int colSlivers = (n + nr - 1) / nr;
        bool splitN = (long)colSlivers * nr >= (long)rowSlivers * mr;
        int slivers = splitN ? colSlivers : rowSlivers;
        int degree = (long)m * n * k < ParallelThreshold ? 1 : Math.Min(KernelThreads.Effective, slivers);
        int chunks = degree;
        if (degree > 1 && splitN && colSlivers >= 256 * degree)
        {
            // Several chunks per thread balance a thread slowed by other load; each costs one extra A pack.
            chunks = 4 * degree;
        }

        var job = new GemmJob<TA, TB>
        {
            A = a,
            B = b,
            C = c,
            M = m,
            N = n,
            K = k,
            Path = path,
            SplitN = splitN,
            Chunks = chunks,
        };
        KernelParallel.Run(degree, &Work<TA, TB>, &job);
    }

    private static void Work<TA, TB>(void* state)
        where TA : unmanaged, IPackA
        where TB : unmanaged, IPackB
    {
        ref var job = ref Unsafe.AsRef<GemmJob<TA, TB>>(state);
        int mr = GemmMicroKernel.Mr(job.Path);
        int nr = GemmMicroKernel.Nr(job.Path);
        int chunk;
        while ((chunk = Interlocked.Increment(ref job.Next) - 1) < job.Chunks)
        {
            if (job.SplitN)
            {
                int j0 = ChunkStart(job.N, nr, chunk, job.Chunks);
                int j1 = ChunkStart(job.N, nr, chunk + 1, job.Chunks);
                if (j0 < j1)
                {
                    Block(ref job, 0, job.M, j0, j1);
                }
            }
            else
            {
                int i0 = ChunkStart(job.M, mr, chunk, job.Chunks);
                int i1 = ChunkStart(job.M, mr, chunk + 1, job.Chunks);
                if (i0 < i1)
                {
                    Block(ref job, i0, i1, 0, job.N);
                }
            }
        }
    }

    /// <summary>
    /// First row (or column) of chunk <paramref name="chunk"/> of <paramref name="chunks"/> over an extent of
    /// <paramref name="extent"/>: the multiple of <paramref name="unit"/> (a sliver) nearest to the even split
    /// <c>extent · chunk / chunks</c>; <paramref name="extent"/> for <c>chunk ≥ chunks</c>.
    /// </summary>
    /// <remarks>
    /// Splitting the real extent rather than the sliver count keeps the chunks within half a sliver of even when the
    /// last sliver is short: for M = 1024 on two threads the chunks get 518 and 506 rows, where splitting 73 slivers
    /// gave 504 and 520 (the helper, which starts later, had the larger chunk and the caller waited for it).
    /// </remarks>
    internal static int ChunkStart(int extent, int unit, int chunk, int chunks)
    {
        if (chunk >= chunks)
        {
            return extent;
        }

        long twice = (2L * extent * chunk) + ((long)chunks * unit);
        return (int)Math.Min(extent, twice / (2L * chunks * unit) * unit);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TA, TB>(ref GemmJob<TA, TB> job, int i0, int i1, int j0, int j1)
        where TA : unmanaged, IPackA
        where TB : unmanaged, IPackB
    {
        var buffers = GemmBuffers.ForThread();
        float* packA = buffers.PackA;
        float* packB = buffers.PackB;
        float* tile = buffers.Tile;
        float* biasTile = stackalloc float[16];
        var path = job.Path;
        int mr = GemmMicroKernel.Mr(path);
        int nr = GemmMicroKernel.Nr(path);
        int k = job.K;
        int mcBlock = BlockRows(i1 - i0, mr);

        // One A block for all rows: B panels are used by that block only, so keep them in L2 beside it.
        int ncBlock = mcBlock >= i1 - i0 ? SingleBlockNc : GemmBuffers.Nc;
        bool stream = Streams(in job.C, path, job.M, job.N, k);
        int head = 0;
        if (stream)
        {
            // A narrow first panel up to the next 64-byte boundary, so every later tile row starts on a cache line.
            head = (int)(((64 - ((nint)(job.C.Data + job.C.Offset(i0, j0)) & 63)) & 63) / sizeof(float));
        }

        for (int jc = j0; jc < j1;)
        {
            int nc = Math.Min(jc == j0 && head > 0 ? head : ncBlock, j1 - jc);
            for (int pc = 0; pc < k; pc += GemmBuffers.Kc)
            {
                int kc = Math.Min(GemmBuffers.Kc, k - pc);
                job.B.Pack(packB, pc, kc, jc, nc, nr);
                bool first = pc == 0;
                bool last = pc + kc == k;
                bool accumulate = !first || job.C.Accumulate;
                bool addBias = first && job.C.Bias != null;
                bool relu = last && job.C.Relu;
                for (int ic = i0; ic < i1; ic += mcBlock)
                {
                    int mc = Math.Min(mcBlock, i1 - ic);
                    job.A.Pack(packA, ic, mc, pc, kc, mr);
                    if (kc <= ShallowDepth)
                    {
                        // Shallow depth: the whole packed B block stays in L2, so sweep each row sliver across all
                        // columns; C is then written as mr sequential streams the hardware prefetcher follows.
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            for (int jr = 0; jr < nc; jr += nr)
                            {
                                Tile(in job.C, path, packA + ((nint)ir * kc), packB + ((nint)jr * kc), tile, biasTile, kc, ic + ir, rows, jc + jr, Math.Min(nr, nc - jr), accumulate, addBias, relu, stream);
                            }
                        }
                    }
                    else
                    {
                        // While the tiles run, pull the source of the next B block towards the cache (plain B only:
                        // conv packers gather from a small, cache-resident input), so its pack is not a DRAM stall.
                        int nextP = pc + kc < k ? pc + kc : 0;
                        int nextJ = pc + kc < k ? jc : jc + nc;
                        int nextKc = Math.Min(GemmBuffers.Kc, k - nextP);
                        int nextNc = Math.Min(ncBlock, j1 - nextJ);
                        bool prefetch = typeof(TB) == typeof(MatrixB) && ic == i0 && nextJ < j1;
                        int tiles = (mc + mr - 1) / mr;
                        int rowsPerTile = (nextKc + tiles - 1) / tiles;
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            float* bp = packB + ((nint)jr * kc);
                            for (int ir = 0, t = 0; ir < mc; ir += mr, t++)
                            {
                                if (prefetch && jr < nextNc)
                                {
                                    int p0 = t * rowsPerTile;
                                    Unsafe.As<TB, MatrixB>(ref job.B).Prefetch(nextP + p0, Math.Min(rowsPerTile, nextKc - p0), nextJ + jr, Math.Min(nr, nextNc - jr));
                                }

                                Tile(in job.C, path, packA + ((nint)ir * kc), bp, tile, biasTile, kc, ic + ir, Math.Min(mr, mc - ir), jc + jr, Math.Min(nr, nc - jr), accumulate, addBias, relu, stream);
                            }
                        }
                    }
                }
            }

            jc += nc;
        }

        if (stream)
        {
            // Non-temporal stores are weakly ordered: drain them before the caller (or the joining thread) reads C.
            Sse.StoreFence();
        }
    }

    /// <summary>
    /// Whether full tiles are stored non-temporally: AVX-512, a plain row-major C written once (one k block, no
    /// accumulation) whose rows are whole cache lines apart, and larger than <see cref="StreamBytes"/>, so writing it
    /// through the cache would only evict useful lines and cost a read of every C line first.
    /// </summary>
    private static bool Streams(in GemmOutput c, GemmPath path, int m, int n, int k)
        => path == GemmPath.Avx512 && !c.Accumulate && k <= GemmBuffers.Kc && c.ColsPerBatch >= n
            && c.RowStride % 16 == 0 && (long)m * n * sizeof(float) >= StreamBytes;

    /// <summary>
    /// One register tile: C rows <c>[i, i+rows)</c>, columns <c>[j, j+cols)</c> from packed slivers <paramref name="ap"/>
    /// and <paramref name="bp"/>. Full tiles whose columns are contiguous in C go straight to C; others go through the
    /// scratch tile and <see cref="Scatter"/>. A short M tail on AVX-512 runs a kernel of exactly its row count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(
        in GemmOutput c, GemmPath path, float* ap, float* bp, float* tile, float* biasTile, int kc,
        int i, int rows, int j, int cols, bool accumulate, bool addBias, bool relu, bool stream)
    {
        int mr = GemmMicroKernel.Mr(path);
        int nr = GemmMicroKernel.Nr(path);
        bool contiguous = cols == nr && (j % c.ColsPerBatch) + nr <= c.ColsPerBatch;
        float* tileBias = addBias ? c.Bias + i : null;
        if (rows < mr && path == GemmPath.Avx512)
        {
            // The M tail: a kernel of exactly `rows` rows (reads and writes only those).
            if (contiguous)
            {
                float* dst = c.Data + c.Offset(i, j);
                if (accumulate)
                {
                    PrefetchTile(dst, c.RowStride, rows, nr);
                }

                GemmMicroKernel.RunRowsAvx512(rows, kc, ap, bp, dst, c.RowStride, accumulate, tileBias, relu, stream && ((nint)dst & 63) == 0);
            }
            else
            {
                GemmMicroKernel.RunRowsAvx512(rows, kc, ap, bp, tile, nr, accumulate: false, tileBias, relu: false);
                Scatter(in c, tile, nr, i, rows, j, cols, accumulate, relu);
            }

            return;
        }

        if (tileBias != null && rows < mr)
        {
            // The kernel reads mr biases: pad a copy so the last row block never reads past the end.
            for (int r = 0; r < mr; r++)
            {
                biasTile[r] = r < rows ? tileBias[r] : 0f;
            }

            tileBias = biasTile;
        }

        if (contiguous && rows == mr)
        {
            float* dst = c.Data + c.Offset(i, j);
            if (accumulate)
            {
                PrefetchTile(dst, c.RowStride, mr, nr);
            }

            GemmMicroKernel.Run(path, kc, ap, bp, dst, c.RowStride, accumulate, tileBias, relu, stream && ((nint)dst & 63) == 0);
        }
        else
        {
            GemmMicroKernel.Run(path, kc, ap, bp, tile, nr, accumulate: false, tileBias, relu: false);
            Scatter(in c, tile, nr, i, rows, j, cols, accumulate, relu);
        }
    }

    /// <summary>
    /// Rows per packed A block for a chunk of <paramref name="rows"/> rows: the fewest blocks of at most
    /// <see cref="GemmBuffers.MaxMc"/> rows, sized evenly and rounded up to whole slivers of <paramref name="mr"/>.
    /// </summary>
    internal static int BlockRows(int rows, int mr)
    {
        int max = GemmBuffers.MaxMc / mr * mr;
        int blocks = (rows + max - 1) / max;
        int per = (rows + blocks - 1) / blocks;
        return Math.Min(max, (per + mr - 1) / mr * mr);
    }

    /// <summary>
    /// Starts loading the C lines of a tile that the kernel adds into after its k loop (often from L3: a deep
    /// GEMM's C panel does not stay in L2 beside the packed B), so they arrive while the tile computes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint ldc, int rows, int cols)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        for (int r = 0; r < rows; r++, c += ldc)
        {
            for (int x = 0; x < cols; x += 16)
            {
                Sse.Prefetch0(c + x);
            }

            Sse.Prefetch0(c + (cols - 1));
        }
    }

    /// <summary>Adds (or stores) a computed tile (bias already in) into C segment by segment, then applies ReLU like a full tile.</summary>
    private static void Scatter(in GemmOutput c, float* tile, int nr, int i, int rows, int j, int cols, bool accumulate, bool relu)
    {
        int jj = 0;
        while (jj < cols)
        {
            int col = j + jj;
            int within = col % c.ColsPerBatch;
            int len = Math.Min(cols - jj, c.ColsPerBatch - within);
            nint offset = ((nint)(col / c.ColsPerBatch) * c.BatchStride) + within;
            for (int r = 0; r < rows; r++)
            {
                float* dst = c.Data + ((i + r) * c.RowStride) + offset;
                Combine(dst, tile + (r * nr) + jj, len, accumulate);
                if (relu)
                {
                    Relu(dst, len);
                }
            }

            jj += len;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Combine(float* dst, float* src, int len, bool accumulate)
    {
        int x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; x + 8 <= len; x += 8)
            {
                var v = Vector256.Load(src + x);
                Vector256.Store(accumulate ? Vector256.Load(dst + x) + v : v, dst + x);
            }
        }

        for (; x < len; x++)
        {
            dst[x] = accumulate ? dst[x] + src[x] : src[x];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Relu(float* row, int len)
    {
        int x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; x + 8 <= len; x += 8)
            {
                Vector256.Store(Vector256.Max(Vector256.Load(row + x), Vector256<float>.Zero), row + x);
            }
        }

        for (; x < len; x++)
        {
            row[x] = MathF.Max(row[x], 0f);
        }
    }

    private static void FillWithoutDepth(int m, int n, in GemmOutput c)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float* p = c.Data + c.Offset(i, j);
                float v = c.Accumulate ? *p : 0f;
                if (c.Bias != null)
                {
                    v += c.Bias[i];
                }

                *p = c.Relu ? MathF.Max(v, 0f) : v;
            }
        }
    }

    private struct GemmJob<TA, TB>
        where TA : unmanaged, IPackA
        where TB : unmanaged, IPackB
    {
        public TA A;
        public TB B;
        public GemmOutput C;
        public int M;
        public int N;
        public int K;
        public GemmPath Path;
        public bool SplitN;
        public int Chunks;
        public int Next;
    }
}
