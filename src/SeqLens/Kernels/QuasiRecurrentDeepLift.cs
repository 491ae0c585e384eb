using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace SeqLens.Kernels;

/// <summary>
/// The DeepLIFT backward scan of QRNN fo-pooling (the forward is <see cref="QuasiRecurrentPool"/>; DESIGN.md §3): the
/// gradient scan with every value replaced by the average of the pair's input and reference values (Shapley product
/// rule at each two-factor product) and the gate activations on DeepLIFT's Rescale rule.
/// </summary>
/// <remarks>
/// <para>Per pair row r (input row a, reference row b), channel and time t, with bars for pair averages
/// (<c>ō = (o + o₀)/2</c>, …) and m the multipliers of r:</para>
/// <code>
/// m(o_t) = m(h_t)·c̄_t                       u_t = m(h_t)·ō_t
/// G_t    = u_t + f̄_{t+1}·G_{t+1}            (= m(c_t), scanned from the end; G_L = 0)
/// m(z_t) = G_t·(1 − f̄_t)
/// m(f_t) = G_t·(c̄_{t−1} − z̄_t)            (c̄_{−1} = 0)
/// m(z̃) = m(z)·Δz/Δz̃,  m(f̃) = m(f)·s·Δσ/Δf̃,  m(õ) = m(o)·Δo/Δõ
/// </code>
/// <para>Since <c>Δ(uv) = v̄·Δu + ū·Δv</c> exactly, <c>Δc_t = f̄_t·Δc_{t−1} + (c̄_{t−1} − z̄_t)·Δf_t + (1 − f̄_t)·Δz_t</c> and
/// <c>Δh_t = ō_t·Δc_t + c̄_t·Δo_t</c> hold exactly, so the node conserves <c>Σ m(h)·Δh = Σ m(gates)·Δgates</c> up to
/// float32 rounding. Zoneout in evaluation (<c>f = 1 − s·(1 − σ)</c>, s = <c>keepScale</c>) is affine in σ, hence the
/// factor s. NOTE: where <c>|Δã| &lt; 1e-6</c> the Rescale multiplier is the derivative at the input row's value (as
/// <see cref="Graphs.Ops.ElementwiseOp"/> does), leaving an O(Δã²) error per element.</para>
/// <para>Pair rows are independent, so the work is split over (row, channel) units with no cross-unit sums: results are
/// bit-identical for any thread count.</para>
/// </remarks>
public static unsafe class QuasiRecurrentDeepLift
{
    /// <summary>Below this |Δã| a gate's Rescale multiplier falls back to the derivative at the input row (1e-6, as ElementwiseOp).</summary>
    public const float RescaleEpsilon = 1e-6f;

    /// <summary>Below this many row-steps the scan runs on the calling thread only.</summary>
    private const long ParallelThreshold = 1 << 15;

    /// <summary>Per-thread scratch buffers of one row: z, z₀, σ, σ₀, o, o₀, f̄, G.</summary>
    private const int Buffers = 8;

    /// <summary>
    /// Adds the DeepLIFT multipliers of the pre-activation gates <c>(batch, 3·hidden, length)</c> into
    /// <paramref name="gatesMultiplier"/> given those of the output, <paramref name="hMultiplier"/> <c>(batch, hidden, length)</c>.
    /// </summary>
    /// <param name="hidden">Hidden channels H.</param>
    /// <param name="length">Sequence length L.</param>
    /// <param name="inputRow">Per batch row: the row holding x of its pair, or -1 (no multiplier: nothing is added).</param>
    /// <param name="referenceRow">Per batch row: the row holding x0 of its pair, or -1.</param>
    /// <param name="gates">The forward input <c>[Z̃; F̃; Õ]</c> of every row.</param>
    /// <param name="keepScale">The evaluation zoneout scale 1 − p (1 without zoneout); per-element training masks are not supported.</param>
    /// <param name="c">The forward's saved cell states <c>(batch, hidden, length)</c>.</param>
    /// <param name="hMultiplier">m(h) of each pair row.</param>
    /// <param name="gatesMultiplier">m(gates) of each pair row, added into.</param>
    public static void Backward(int hidden, int length, ReadOnlySpan<int> inputRow, ReadOnlySpan<int> referenceRow, ReadOnlySpan<float> gates, float keepScale, ReadOnlySpan<float> c, ReadOnlySpan<float> hMultiplier, Span<float> gatesMultiplier)
    {
        int batch = inputRow.Length;
        if (batch <= 0 || hidden <= 0 || length <= 0 || referenceRow.Length != batch)
        {
            throw new ArgumentException($"QuasiRecurrentDeepLift.Backward: batch, hidden and length must be positive with one reference index per row; got {batch} rows ({referenceRow.Length} references), hidden {hidden}, length {length}.");
        }

        long rows = (long)batch * hidden;
        if (gates.Length != 3 * rows * length || gatesMultiplier.Length != gates.Length || c.Length != rows * length || hMultiplier.Length != rows * length)
        {
            throw new ArgumentException($"QuasiRecurrentDeepLift.Backward: gates and their multipliers need {3 * rows * length} elements, c and m(h) {rows * length}; got {gates.Length}, {gatesMultiplier.Length}, {c.Length} and {hMultiplier.Length}.");
        }

        if (!(keepScale > 0f && keepScale <= 1f))
        {
            throw new ArgumentException($"QuasiRecurrentDeepLift.Backward: keepScale must be in (0, 1]; got {keepScale}.", nameof(keepScale));
        }

        for (int r = 0; r < batch; r++)
        {
            if ((inputRow[r] < 0) != (referenceRow[r] < 0) || inputRow[r] >= batch || referenceRow[r] >= batch)
            {
                throw new ArgumentException($"QuasiRecurrentDeepLift.Backward: row {r} pairs input {inputRow[r]} with reference {referenceRow[r]}; both must be rows 0..{batch - 1} or both -1.");
            }
        }

        fixed (int* pi = inputRow)
        fixed (int* pr = referenceRow)
        fixed (float* pg = gates)
        fixed (float* pc = c)
        fixed (float* pm = hMultiplier)
        fixed (float* pd = gatesMultiplier)
        {
            var job = new Job
            {
                Batch = batch, Hidden = hidden, Length = length, InputRow = pi, ReferenceRow = pr, Gates = pg, KeepScale = keepScale,
                C = pc, HMult = pm, GatesMult = pd,
            };
            long units = rows;
            int degree = units * length < ParallelThreshold ? 1 : (int)Math.Min(KernelThreads.Effective, units);
            job.Units = units;
            job.Chunks = degree == 1 ? 1 : (int)Math.Min(units, 8L * degree);
            KernelParallel.Run(degree, &Work, &job);
        }
    }

    private static void Work(void* state)
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        float* scratch = QuasiRecurrentPool.Scratch(Buffers * job.Length);
        int chunk;
        while ((chunk = Interlocked.Increment(ref job.Next) - 1) < job.Chunks)
        {
            long u0 = job.Units * chunk / job.Chunks;
            long u1 = job.Units * (chunk + 1) / job.Chunks;
            for (long u = u0; u < u1; u++)
            {
                long r = u / job.Hidden;
                if (job.InputRow[r] >= 0)
                {
                    Unit(ref job, r, (int)(u - (r * job.Hidden)), scratch);
                }
            }
        }
    }

    /// <summary>One (pair row, channel): activations of both rows, the reverse scan, then the gate multipliers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Unit(ref Job job, long row, int channel, float* scratch)
    {
        int length = job.Length;
        long block = (long)job.Hidden * length;
        float* ga = job.Gates + ((long)job.InputRow[row] * 3 * block) + ((long)channel * length);
        float* gb = job.Gates + ((long)job.ReferenceRow[row] * 3 * block) + ((long)channel * length);
        float* dz = job.GatesMult + (row * 3 * block) + ((long)channel * length);
        float* df = dz + block;
        float* dox = df + block;
        float* ca = job.C + ((((long)job.InputRow[row] * job.Hidden) + channel) * length);
        float* cb = job.C + ((((long)job.ReferenceRow[row] * job.Hidden) + channel) * length);
        float* mh = job.HMult + (((row * job.Hidden) + channel) * length);
        float* z1 = scratch;
        float* z0 = z1 + length;
        float* s1 = z0 + length;
        float* s0 = s1 + length;
        float* o1 = s0 + length;
        float* o0 = o1 + length;
        float* fbar = o0 + length;
        float* g = fbar + length;

        // NOTE: z, σ, o are recomputed from the gates (TensorPrimitives, as the forward kernel does); c comes from the forward.
        // An ulp of difference from the forward's own activations would only add float32 rounding to summation-to-delta.
        TensorPrimitives.Tanh(new ReadOnlySpan<float>(ga, length), new Span<float>(z1, length));
        TensorPrimitives.Tanh(new ReadOnlySpan<float>(gb, length), new Span<float>(z0, length));
        TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(ga + block, length), new Span<float>(s1, length));
        TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(gb + block, length), new Span<float>(s0, length));
        TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(ga + (2 * block), length), new Span<float>(o1, length));
        TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(gb + (2 * block), length), new Span<float>(o0, length));

        float k = job.KeepScale;
        for (int t = 0; t < length; t++)
        {
            float f1 = k == 1f ? s1[t] : 1f - (k * (1f - s1[t]));
            float f0 = k == 1f ? s0[t] : 1f - (k * (1f - s0[t]));
            fbar[t] = 0.5f * (f1 + f0);
            g[t] = mh[t] * 0.5f * (o1[t] + o0[t]);
        }

        // G_t = u_t + f̄_{t+1}·G_{t+1}
        float acc = 0f, next = 0f;
        for (int t = length - 1; t >= 0; t--)
        {
            acc = MathF.FusedMultiplyAdd(next, acc, g[t]);
            g[t] = acc;
            next = fbar[t];
        }

        float cPrev = 0f;
        for (int t = 0; t < length; t++)
        {
            float cBar = 0.5f * (ca[t] + cb[t]);
            float mo = mh[t] * cBar;
            float mz = g[t] * (1f - fbar[t]);
            float mf = g[t] * (cPrev - (0.5f * (z1[t] + z0[t])));
            cPrev = cBar;

            float d = ga[t] - gb[t];
            dz[t] += mz * (MathF.Abs(d) >= RescaleEpsilon ? (z1[t] - z0[t]) / d : 1f - (z1[t] * z1[t]));
            d = ga[block + t] - gb[block + t];
            df[t] += mf * k * (MathF.Abs(d) >= RescaleEpsilon ? (s1[t] - s0[t]) / d : s1[t] * (1f - s1[t]));
            d = ga[(2 * block) + t] - gb[(2 * block) + t];
            dox[t] += mo * (MathF.Abs(d) >= RescaleEpsilon ? (o1[t] - o0[t]) / d : o1[t] * (1f - o1[t]));
        }
    }

    private struct Job
    {
        public int Batch;
        public int Hidden;
        public int Length;
        public int* InputRow;
        public int* ReferenceRow;
        public float* Gates;
        public float KeepScale;
        public float* C;
        public float* HMult;
        public float* GatesMult;
        public long Units;
        public int Chunks;
        public int Next;
    }
}
