using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace SeqLens.Kernels;

/// <summary>
/// The QRNN fo-pooling scan (Bradbury et al. 2016, "Quasi-Recurrent Neural Networks", eq. 4), fused with the gate
/// activations. Input: the pre-activation gates <c>(batch, 3·hidden, length)</c> laid out as the three blocks
/// <c>[Z̃; F̃; Õ]</c> of <c>hidden</c> channels each (the output of one convolution). Per row (batch × hidden) and time t:
/// <code>
/// z = tanh(z̃), σ = sigmoid(f̃), o = sigmoid(õ)
/// f = 1 − s·(1 − σ)                       (zoneout: s = keep mask in training, 1 − p in evaluation, 1 without)
/// c_t = f_t·c_{t−1} + (1 − f_t)·z_t,  c_{−1} = 0
/// h_t = o_t·c_t
/// </code>
/// Outputs <c>h</c> and <c>c</c>, both <c>(batch, hidden, length)</c>.
/// </summary>
/// <remarks>
/// Rows are independent, so the work is split over rows (chunks handed out from a counter) with no cross-row sums:
/// results are bit-identical for any thread count. With AVX2 + FMA each row is one sweep over 8-step vectors: the
/// activations (<see cref="VectorActivations"/>), the products and the scan (a 3-step log scan inside the vector plus
/// one carried state) never leave registers, so the gates are read once and h, c written once. Elsewhere (and
/// under <see cref="ForcePortable"/>) the activations run as <see cref="TensorPrimitives"/> passes over the row and
/// the scan is a chain of one fused multiply-add per step, <see cref="Group"/> rows interleaved to hide its latency.
/// The two paths round differently (a few ulp); each is deterministic.
/// </remarks>
public static unsafe partial class QuasiRecurrentPool
{
    /// <summary>Rows whose scans run interleaved.</summary>
    private const int Group = 4;

    /// <summary>Below this many row-steps the scan runs on the calling thread only.</summary>
    private const long ParallelThreshold = 1 << 15;

    [ThreadStatic]
    private static float[]? _scratch;

    /// <summary>
    /// Forward scan. <paramref name="keep"/> is the per-element zoneout keep mask <c>(batch, hidden, length)</c>, or
    /// empty to use the constant <paramref name="keepScale"/> for every element.
    /// </summary>
    public static void Forward(int batch, int hidden, int length, ReadOnlySpan<float> gates, ReadOnlySpan<float> keep, float keepScale, Span<float> h, Span<float> c)
    {
        long rows = (long)batch * hidden;
        Check(nameof(Forward), batch, hidden, length, gates.Length, keep.Length);
        if (h.Length != rows * length || c.Length != rows * length)
        {
            throw new ArgumentException($"QuasiRecurrentPool.Forward: h and c need {rows * length} elements each; got {h.Length} and {c.Length}.");
        }

        fixed (float* pg = gates)
        fixed (float* pk = keep)
        fixed (float* ph = h)
        fixed (float* pc = c)
        {
            var job = new Job { Batch = batch, Hidden = hidden, Length = length, Gates = pg, Keep = keep.IsEmpty ? null : pk, KeepScale = keepScale, H = ph, C = pc };
            if (UseVector)
            {
                Run(ref job, &ForwardVectorWork, 1);
            }
            else
            {
                Run(ref job, &ForwardWork, Group);
            }
        }
    }

    /// <summary>
    /// Backward scan: adds dL/d(gates) into <paramref name="gatesGrad"/> <c>(batch, 3·hidden, length)</c> given
    /// <paramref name="hGrad"/> = dL/dh, the same gates and keep mask as the forward pass, and its saved <paramref name="c"/>.
    /// </summary>
    /// <remarks>
    /// With <c>g_t = dh_t·o_t + f_{t+1}·g_{t+1}</c> (= dL/dc_t, scanned backwards):
    /// <c>dõ = dh·c·o(1−o)</c>, <c>dz̃ = g·(1−f)·(1−z²)</c>, <c>df̃ = g·(c_{t−1} − z_t)·s·σ(1−σ)</c>.
    /// </remarks>
    public static void Backward(int batch, int hidden, int length, ReadOnlySpan<float> gates, ReadOnlySpan<float> keep, float keepScale, ReadOnlySpan<float> c, ReadOnlySpan<float> hGrad, Span<float> gatesGrad)
    {
        long rows = (long)batch * hidden;
        Check(nameof(Backward), batch, hidden, length, gates.Length, keep.Length);
        if (c.Length != rows * length || hGrad.Length != rows * length || gatesGrad.Length != gates.Length)
        {
            throw new ArgumentException($"QuasiRecurrentPool.Backward: c and hGrad need {rows * length} elements, gatesGrad {gates.Length}; got {c.Length}, {hGrad.Length} and {gatesGrad.Length}.");
        }

        fixed (float* pg = gates)
        fixed (float* pk = keep)
        fixed (float* pc = c)
        fixed (float* pdh = hGrad)
        fixed (float* pdg = gatesGrad)
        {
            var job = new Job { Batch = batch, Hidden = hidden, Length = length, Gates = pg, Keep = keep.IsEmpty ? null : pk, KeepScale = keepScale, C = pc, HGrad = pdh, GatesGrad = pdg };
            if (UseVector)
            {
                Run(ref job, &BackwardVectorWork, 1);
            }
            else
            {
                Run(ref job, &BackwardWork, Group);
            }
        }
    }

    private static void Check(string method, int batch, int hidden, int length, int gatesLength, int keepLength)
    {
        if (batch <= 0 || hidden <= 0 || length <= 0)
        {
            throw new ArgumentException($"QuasiRecurrentPool.{method}: batch, hidden and length must be positive; got {batch}, {hidden}, {length}.");
        }

        long rows = (long)batch * hidden;
        if (gatesLength != 3 * rows * length)
        {
            throw new ArgumentException($"QuasiRecurrentPool.{method}: gates (batch {batch}, 3·{hidden}, length {length}) need {3 * rows * length} elements; got {gatesLength}.");
        }

        if (keepLength != 0 && keepLength != rows * length)
        {
            throw new ArgumentException($"QuasiRecurrentPool.{method}: the zoneout mask needs {rows * length} elements (batch, hidden, length) or none; got {keepLength}.");
        }
    }

    /// <summary>Runs <paramref name="body"/> over the rows in work items of <paramref name="rowsPerItem"/> rows (Job.Groups items).</summary>
    private static void Run(ref Job job, delegate*<void*, void> body, int rowsPerItem)
    {
        long rows = (long)job.Batch * job.Hidden;
        int groups = (int)((rows + rowsPerItem - 1) / rowsPerItem);
        int degree = rows * job.Length < ParallelThreshold ? 1 : Math.Min(KernelThreads.Effective, groups);
        job.Groups = groups;
        job.Chunks = degree == 1 ? 1 : Math.Min(groups, 8 * degree);
        fixed (Job* p = &job)
        {
            KernelParallel.Run(degree, body, p);
        }
    }

    /// <summary>This thread's scratch of at least <paramref name="floats"/> floats (shared by the QRNN scans, which never nest).</summary>
    internal static float* Scratch(int floats)
    {
        // NOTE: grown once per thread and kept (pinned by the GC's pinned object heap), so steady state allocates nothing.
        if (_scratch is null || _scratch.Length < floats)
        {
            _scratch = GC.AllocateUninitializedArray<float>(floats, pinned: true);
        }

        return (float*)Unsafe.AsPointer(ref _scratch[0]);
    }

    private static void ForwardWork(void* state)
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        int length = job.Length;
        float* scratch = Scratch(Group * length);
        int chunk;
        while ((chunk = Interlocked.Increment(ref job.Next) - 1) < job.Chunks)
        {
            int g0 = (int)((long)job.Groups * chunk / job.Chunks);
            int g1 = (int)((long)job.Groups * (chunk + 1) / job.Chunks);
            for (int g = g0; g < g1; g++)
            {
                ForwardGroup(ref job, g, scratch);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardGroup(ref Job job, int group, float* scratch)
    {
        int length = job.Length;
        long rows = (long)job.Batch * job.Hidden;
        long r0 = (long)group * Group;
        int count = (int)Math.Min(Group, rows - r0);
        float** f = stackalloc float*[Group];
        float** a = stackalloc float*[Group];
        for (int k = 0; k < count; k++)
        {
            long r = r0 + k;
            float* z = GateRow(ref job, r);
            float* fg = z + ((long)job.Hidden * length);
            var fs = new Span<float>(scratch + ((nint)k * length), length);
            var cs = new Span<float>(job.C + (r * length), length);
            var hs = new Span<float>(job.H + (r * length), length);
            TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(fg, length), fs);
            ApplyZoneout(ref job, r, fs);
            TensorPrimitives.Tanh(new ReadOnlySpan<float>(z, length), cs);

            // a = (1 − f)·z = z − f·z, kept in c; the scan then only needs c_t = f_t·c_{t−1} + a_t.
            TensorPrimitives.Multiply(fs, cs, hs);
            TensorPrimitives.Subtract(cs, hs, cs);
            f[k] = scratch + ((nint)k * length);
            a[k] = job.C + (r * length);
        }

        if (count == Group)
        {
            Scan4(f[0], a[0], f[1], a[1], f[2], a[2], f[3], a[3], length);
        }
        else
        {
            for (int k = 0; k < count; k++)
            {
                Scan1(f[k], a[k], length);
            }
        }

        for (int k = 0; k < count; k++)
        {
            long r = r0 + k;
            float* og = GateRow(ref job, r) + (2L * job.Hidden * length);
            var hs = new Span<float>(job.H + (r * length), length);
            TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(og, length), hs);
            TensorPrimitives.Multiply(hs, new ReadOnlySpan<float>(job.C + (r * length), length), hs);
        }
    }

    /// <summary>f ← 1 − s·(1 − f) in place (s the keep mask row or the constant scale).</summary>
    private static void ApplyZoneout(ref Job job, long row, Span<float> f)
    {
        if (job.Keep is not null)
        {
            TensorPrimitives.Subtract(1f, f, f);
            TensorPrimitives.Multiply(f, new ReadOnlySpan<float>(job.Keep + (row * job.Length), job.Length), f);
            TensorPrimitives.Subtract(1f, f, f);
        }
        else if (job.KeepScale != 1f)
        {
            TensorPrimitives.Subtract(1f, f, f);
            TensorPrimitives.Multiply(f, job.KeepScale, f);
            TensorPrimitives.Subtract(1f, f, f);
        }
    }

    /// <summary>The Z row of <paramref name="row"/>; its F and O rows follow at +H·L and +2H·L.</summary>
    private static float* GateRow(ref Job job, long row)
    {
        long b = row / job.Hidden;
        long j = row - (b * job.Hidden);
        long block = (long)job.Hidden * job.Length;
        return job.Gates + (b * 3 * block) + (j * job.Length);
    }

    /// <summary>c_t = f_t·c_{t−1} + a_t in place over a (a becomes c), four independent rows interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scan4(float* f0, float* a0, float* f1, float* a1, float* f2, float* a2, float* f3, float* a3, int length)
    {
        float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f;
        for (int t = 0; t < length; t++)
        {
            c0 = MathF.FusedMultiplyAdd(f0[t], c0, a0[t]);
            c1 = MathF.FusedMultiplyAdd(f1[t], c1, a1[t]);
            c2 = MathF.FusedMultiplyAdd(f2[t], c2, a2[t]);
            c3 = MathF.FusedMultiplyAdd(f3[t], c3, a3[t]);
            a0[t] = c0;
            a1[t] = c1;
            a2[t] = c2;
            a3[t] = c3;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scan1(float* f, float* a, int length)
    {
        float c = 0f;
        for (int t = 0; t < length; t++)
        {
            c = MathF.FusedMultiplyAdd(f[t], c, a[t]);
            a[t] = c;
        }
    }

    /// <summary>g_t = u_t + f_{t+1}·g_{t+1} in place over u (u becomes g), scanned from the end; four rows interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReverseScan4(float* f0, float* u0, float* f1, float* u1, float* f2, float* u2, float* f3, float* u3, int length)
    {
        float g0 = 0f, g1 = 0f, g2 = 0f, g3 = 0f;
        float n0 = 0f, n1 = 0f, n2 = 0f, n3 = 0f;
        for (int t = length - 1; t >= 0; t--)
        {
            g0 = MathF.FusedMultiplyAdd(n0, g0, u0[t]);
            g1 = MathF.FusedMultiplyAdd(n1, g1, u1[t]);
            g2 = MathF.FusedMultiplyAdd(n2, g2, u2[t]);
            g3 = MathF.FusedMultiplyAdd(n3, g3, u3[t]);
            u0[t] = g0;
            u1[t] = g1;
            u2[t] = g2;
            u3[t] = g3;
            n0 = f0[t];
            n1 = f1[t];
            n2 = f2[t];
            n3 = f3[t];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReverseScan1(float* f, float* u, int length)
    {
        float g = 0f, next = 0f;
        for (int t = length - 1; t >= 0; t--)
        {
            g = MathF.FusedMultiplyAdd(next, g, u[t]);
            u[t] = g;
            next = f[t];
        }
    }

    private static void BackwardWork(void* state)
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        int length = job.Length;
        // Per row of the group: f and g; plus three temporaries.
        float* scratch = Scratch(((2 * Group) + 3) * length);
        int chunk;
        while ((chunk = Interlocked.Increment(ref job.Next) - 1) < job.Chunks)
        {
            int g0 = (int)((long)job.Groups * chunk / job.Chunks);
            int g1 = (int)((long)job.Groups * (chunk + 1) / job.Chunks);
            for (int g = g0; g < g1; g++)
            {
                BackwardGroup(ref job, g, scratch);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardGroup(ref Job job, int group, float* scratch)
    {
        int length = job.Length;
        long rows = (long)job.Batch * job.Hidden;
        long r0 = (long)group * Group;
        int count = (int)Math.Min(Group, rows - r0);
        float* t1 = scratch + ((nint)2 * Group * length);
        float* t2 = t1 + length;
        float* t3 = t2 + length;
        var tmp1 = new Span<float>(t1, length);
        var tmp2 = new Span<float>(t2, length);
        var tmp3 = new Span<float>(t3, length);
        for (int k = 0; k < count; k++)
        {
            long r = r0 + k;
            float* fg = GateRow(ref job, r) + ((long)job.Hidden * length);
            float* og = fg + ((long)job.Hidden * length);
            var fs = new Span<float>(scratch + ((nint)k * length), length);
            var us = new Span<float>(scratch + ((nint)(Group + k) * length), length);
            TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(fg, length), fs);
            ApplyZoneout(ref job, r, fs);

            // u = dh·o: the direct contribution of h_t to dL/dc_t.
            TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(og, length), us);
            TensorPrimitives.Multiply(us, new ReadOnlySpan<float>(job.HGrad + (r * length), length), us);
        }

        if (count == Group)
        {
            float* f = scratch;
            float* u = scratch + ((nint)Group * length);
            nint n = length;
            ReverseScan4(f, u, f + n, u + n, f + (2 * n), u + (2 * n), f + (3 * n), u + (3 * n), length);
        }
        else
        {
            for (int k = 0; k < count; k++)
            {
                ReverseScan1(scratch + ((nint)k * length), scratch + ((nint)(Group + k) * length), length);
            }
        }

        long block = (long)job.Hidden * length;
        for (int k = 0; k < count; k++)
        {
            long r = r0 + k;
            float* zg = GateRow(ref job, r);
            float* fg = zg + block;
            float* og = zg + (2 * block);
            long offset = zg - job.Gates;
            float* dz = job.GatesGrad + offset;
            float* df = dz + block;
            float* dox = dz + (2 * block);
            var fs = new ReadOnlySpan<float>(scratch + ((nint)k * length), length);
            var gs = new ReadOnlySpan<float>(scratch + ((nint)(Group + k) * length), length);
            var cs = new ReadOnlySpan<float>(job.C + (r * length), length);

            // dõ += dh·c·o(1 − o)
            TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(og, length), tmp1);
            TensorPrimitives.Subtract(1f, tmp1, tmp2);
            TensorPrimitives.Multiply(tmp1, tmp2, tmp1);
            TensorPrimitives.Multiply(tmp1, cs, tmp1);
            TensorPrimitives.Multiply(tmp1, new ReadOnlySpan<float>(job.HGrad + (r * length), length), tmp1);
            var dos = new Span<float>(dox, length);
            TensorPrimitives.Add(dos, tmp1, dos);

            // z and g·(1 − f), then dz̃ += g(1 − f)(1 − z²)
            TensorPrimitives.Tanh(new ReadOnlySpan<float>(zg, length), tmp3);
            TensorPrimitives.Subtract(1f, fs, tmp1);
            TensorPrimitives.Multiply(tmp1, gs, tmp1);
            TensorPrimitives.Multiply(tmp3, tmp3, tmp2);
            TensorPrimitives.Subtract(1f, tmp2, tmp2);
            var dzs = new Span<float>(dz, length);
            TensorPrimitives.MultiplyAdd(tmp1, tmp2, dzs, dzs);

            // df̃ += g·(c_{t−1} − z_t)·s·σ(1 − σ), c_{−1} = 0
            tmp2[0] = -tmp3[0];
            TensorPrimitives.Subtract(cs[..^1], tmp3[1..], tmp2[1..]);
            TensorPrimitives.Multiply(tmp2, gs, tmp2);
            TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(fg, length), tmp1);
            TensorPrimitives.Subtract(1f, tmp1, tmp3);
            TensorPrimitives.Multiply(tmp1, tmp3, tmp1);
            if (job.Keep is not null)
            {
                TensorPrimitives.Multiply(tmp1, new ReadOnlySpan<float>(job.Keep + (r * length), length), tmp1);
            }
            else if (job.KeepScale != 1f)
            {
                TensorPrimitives.Multiply(tmp1, job.KeepScale, tmp1);
            }

            var dfs = new Span<float>(df, length);
            TensorPrimitives.MultiplyAdd(tmp1, tmp2, dfs, dfs);
        }
    }

    private struct Job
    {
        public int Batch;
        public int Hidden;
        public int Length;
        public float* Gates;
        public float* Keep;
        public float KeepScale;
        public float* H;
        public float* C;
        public float* HGrad;
        public float* GatesGrad;
        public int Groups;
        public int Chunks;
        public int Next;
    }
}
