using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

// The fused single-sweep path (AVX-512F): one pass over each row computes the activations, scans and writes h and c.
public static unsafe partial class QuasiRecurrentPool
{
    /// <summary>Lanes per vector step.</summary>
    private const int W = 16;

    [ThreadStatic]
    private static bool _forcePortable;

    /// <summary>Forces the portable (TensorPrimitives, scalar scan) path for kernels started on this thread (tests).</summary>
    internal static void ForcePortable(bool portable) => _forcePortable = portable;

    /// <summary>Whether kernels started on this thread take the fused vector path.</summary>
    private static bool UseVector => VectorActivations.IsSupported && !_forcePortable;

    private static void ForwardVectorWork(void* state)
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        long block = (long)job.Hidden * job.Length;
        int chunk;
        while ((chunk = Interlocked.Increment(ref job.Next) - 1) < job.Chunks)
        {
            long r0 = job.Groups * (long)chunk / job.Chunks;
            long r1 = job.Groups * (long)(chunk + 1) / job.Chunks;
            for (long r = r0; r < r1; r++)
            {
                float* z = GateRow(ref job, r);
                float* keep = job.Keep is null ? null : job.Keep + (r * job.Length);
                ForwardRow(z, z + block, z + (2 * block), keep, job.KeepScale, job.H + (r * job.Length), job.C + (r * job.Length), job.Length);
            }
        }
    }

    private static void BackwardVectorWork(void* state)
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        int length = job.Length;
        float* scratch = Scratch(2 * (length + (2 * W)));
        long block = (long)job.Hidden * length;
        int chunk;
        while ((chunk = Interlocked.Increment(ref job.Next) - 1) < job.Chunks)
        {
            long r0 = job.Groups * (long)chunk / job.Chunks;
            long r1 = job.Groups * (long)(chunk + 1) / job.Chunks;
            for (long r = r0; r < r1; r++)
            {
                float* z = GateRow(ref job, r);
                float* dz = job.GatesGrad + (z - job.Gates);
                var row = new RowGrad
                {
                    Z = z,
                    F = z + block,
                    O = z + (2 * block),
                    Keep = job.Keep is null ? null : job.Keep + (r * length),
                    KeepScale = job.KeepScale,
                    C = job.C + (r * length),
                    HGrad = job.HGrad + (r * length),
                    DZ = dz,
                    DF = dz + block,
                    DO = dz + (2 * block),
                    Sigma = scratch,
                    OneMinusF = scratch + length + (2 * W),
                    Length = length,
                };
                BackwardRow(ref row);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRow(float* z, float* fg, float* og, float* keep, float keepScale, float* h, float* c, int length)
    {
        Vector512<float> carry = Vector512<float>.Zero;
        int t = 0;
        for (; t + W <= length; t += W)
        {
            carry = ForwardStep(z + t, fg + t, og + t, keep is null ? null : keep + t, keepScale, h + t, c + t, carry);
        }

        int rest = length - t;
        if (rest > 0)
        {
            // NOTE: the last partial vector runs on zero-padded copies (finite activations; the lanes past the row are
            // dropped), so the main loop needs no masks.
            float* zs = stackalloc float[W];
            float* fs = stackalloc float[W];
            float* os = stackalloc float[W];
            float* ks = stackalloc float[W];
            float* hs = stackalloc float[W];
            float* cs = stackalloc float[W];
            Stage(zs, z + t, rest);
            Stage(fs, fg + t, rest);
            Stage(os, og + t, rest);
            if (keep is not null)
            {
                Stage(ks, keep + t, rest);
            }

            ForwardStep(zs, fs, os, keep is null ? null : ks, keepScale, hs, cs, carry);
            Copy(h + t, hs, rest);
            Copy(c + t, cs, rest);
        }
    }

    /// <summary>One 16-step vector of the forward sweep; returns c of its last step in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ForwardStep(float* z, float* fg, float* og, float* keep, float keepScale, float* h, float* c, Vector512<float> carry)
    {
        Vector512<float> one = Vector512.Create(1f);
        Vector512<float> om = OneMinusForget(VectorActivations.Sigmoid(Avx512F.LoadVector512(fg)), keep, keepScale);
        Vector512<float> f = Avx512F.Subtract(one, om);
        Vector512<float> a = Avx512F.Multiply(om, VectorActivations.Tanh(Avx512F.LoadVector512(z)));

        // NOTE: c_t = f_t·c_{t−1} + a_t inside the vector by a log-step (Hillis–Steele) scan of the affine maps
        // (f, a): after shifts by 1, 2, 4 and 8 lanes, lane i holds the composition over lanes 0…i, so
        // c = a + f·c_before. Rounding differs from the sequential chain (a few ulp) but is fixed for a row.
        a = Avx512F.FusedMultiplyAdd(f, ShiftUp1(a, Vector512<float>.Zero), a);
        f = Avx512F.Multiply(f, ShiftUp1(f, one));
        a = Avx512F.FusedMultiplyAdd(f, ShiftUp2(a, Vector512<float>.Zero), a);
        f = Avx512F.Multiply(f, ShiftUp2(f, one));
        a = Avx512F.FusedMultiplyAdd(f, ShiftUp4(a, Vector512<float>.Zero), a);
        f = Avx512F.Multiply(f, ShiftUp4(f, one));
        a = Avx512F.FusedMultiplyAdd(f, ShiftUp8(a, Vector512<float>.Zero), a);
        f = Avx512F.Multiply(f, ShiftUp8(f, one));
        Vector512<float> cv = Avx512F.FusedMultiplyAdd(f, carry, a);
        Avx512F.Store(c, cv);
        Avx512F.Store(h, Avx512F.Multiply(VectorActivations.Sigmoid(Avx512F.LoadVector512(og)), cv));
        return Avx512F.PermuteVar16x32(cv, Vector512.Create(15));
    }

    /// <summary>1 − f = s·(1 − σ): the keep mask, the constant scale, or plain 1 − σ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> OneMinusForget(Vector512<float> sigma, float* keep, float keepScale)
    {
        Vector512<float> om = Avx512F.Subtract(Vector512.Create(1f), sigma);
        if (keep is not null)
        {
            return Avx512F.Multiply(om, Avx512F.LoadVector512(keep));
        }

        return keepScale != 1f ? Avx512F.Multiply(om, Vector512.Create(keepScale)) : om;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRow(ref RowGrad row)
    {
        int length = row.Length;
        float* s1 = stackalloc float[W];
        float* s2 = stackalloc float[W];

        // Pass 1 (forward in time): σ(f̃) and 1 − f into the scratch rows (padded to whole vectors), so the reverse
        // pass reads f_{t+1} one lane over.
        for (int t = 0; t < length; t += W)
        {
            float* fg = row.F + t;
            float* keep = row.Keep is null ? null : row.Keep + t;
            if (t + W > length)
            {
                Stage(s1, fg, length - t);
                fg = s1;
                if (keep is not null)
                {
                    Stage(s2, keep, length - t);
                    keep = s2;
                }
            }

            Vector512<float> sigma = VectorActivations.Sigmoid(Avx512F.LoadVector512(fg));
            Avx512F.Store(row.Sigma + t, sigma);
            Avx512F.Store(row.OneMinusF + t, OneMinusForget(sigma, keep, row.KeepScale));
        }

        // f past the row is 0 (1 − f = 1): g_L = 0 anyway, but the lanes must hold finite numbers.
        Avx512F.Store(row.OneMinusF + length, Vector512.Create(1f));

        // Pass 2 (backward in time): g_t = dh_t·o_t + f_{t+1}·g_{t+1}, then the three gate gradients.
        Vector512<float> carry = Vector512<float>.Zero;
        int last = (length - 1) / W * W;
        var step = default(BackwardPointers);
        float* staged = stackalloc float[8 * W];
        for (int t = last; t >= 0; t -= W)
        {
            int rest = Math.Min(W, length - t);
            step.HGrad = row.HGrad + t;
            step.O = row.O + t;
            step.Z = row.Z + t;
            step.C = row.C + t;
            step.CPrev = row.C + t - 1;
            step.DZ = row.DZ + t;
            step.DF = row.DF + t;
            step.DO = row.DO + t;
            if (rest < W || t == 0)
            {
                // NOTE: the partial last vector and the first one (c_{−1} = 0) run on zero-padded copies.
                float* cPrev = staged + (7 * W);
                new Span<float>(cPrev, W).Clear();
                if (t == 0)
                {
                    Copy(cPrev + 1, row.C, rest - 1);
                }
                else
                {
                    Copy(cPrev, row.C + t - 1, rest);
                }

                step.CPrev = cPrev;
                if (rest < W)
                {
                    Stage(staged, step.HGrad, rest);
                    Stage(staged + W, step.O, rest);
                    Stage(staged + (2 * W), step.Z, rest);
                    Stage(staged + (3 * W), step.C, rest);
                    Stage(staged + (4 * W), step.DZ, rest);
                    Stage(staged + (5 * W), step.DF, rest);
                    Stage(staged + (6 * W), step.DO, rest);
                    step.HGrad = staged;
                    step.O = staged + W;
                    step.Z = staged + (2 * W);
                    step.C = staged + (3 * W);
                    step.DZ = staged + (4 * W);
                    step.DF = staged + (5 * W);
                    step.DO = staged + (6 * W);
                }
            }

            carry = BackwardStep(ref step, row.Sigma + t, row.OneMinusF + t, carry);
            if (rest < W)
            {
                Copy(row.DZ + t, step.DZ, rest);
                Copy(row.DF + t, step.DF, rest);
                Copy(row.DO + t, step.DO, rest);
            }
        }
    }

    /// <summary>One 16-step vector of the reverse sweep; returns g of its first step in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> BackwardStep(ref BackwardPointers p, float* sigmaRow, float* oneMinusFRow, Vector512<float> carry)
    {
        Vector512<float> one = Vector512.Create(1f);
        Vector512<float> dh = Avx512F.LoadVector512(p.HGrad);
        Vector512<float> o = VectorActivations.Sigmoid(Avx512F.LoadVector512(p.O));
        Vector512<float> g = Avx512F.Multiply(dh, o);
        Vector512<float> fNext = Avx512F.Subtract(one, Avx512F.LoadVector512(oneMinusFRow + 1));

        // The mirror of the forward log scan: lane i composes lanes i…15 of g_t = u_t + f_{t+1}·g_{t+1}.
        g = Avx512F.FusedMultiplyAdd(fNext, ShiftDown1(g, Vector512<float>.Zero), g);
        fNext = Avx512F.Multiply(fNext, ShiftDown1(fNext, one));
        g = Avx512F.FusedMultiplyAdd(fNext, ShiftDown2(g, Vector512<float>.Zero), g);
        fNext = Avx512F.Multiply(fNext, ShiftDown2(fNext, one));
        g = Avx512F.FusedMultiplyAdd(fNext, ShiftDown4(g, Vector512<float>.Zero), g);
        fNext = Avx512F.Multiply(fNext, ShiftDown4(fNext, one));
        g = Avx512F.FusedMultiplyAdd(fNext, ShiftDown8(g, Vector512<float>.Zero), g);
        fNext = Avx512F.Multiply(fNext, ShiftDown8(fNext, one));
        g = Avx512F.FusedMultiplyAdd(fNext, carry, g);

        Vector512<float> c = Avx512F.LoadVector512(p.C);
        Vector512<float> zt = VectorActivations.Tanh(Avx512F.LoadVector512(p.Z));
        Vector512<float> gom = Avx512F.Multiply(g, Avx512F.LoadVector512(oneMinusFRow));

        // dõ += dh·c·o(1 − o); dz̃ += g(1 − f)(1 − z²); df̃ += g(c_{t−1} − z)·s·σ(1 − σ), with s(1 − σ) = 1 − f.
        Vector512<float> dO = Avx512F.Multiply(Avx512F.Multiply(dh, c), Avx512F.Multiply(o, Avx512F.Subtract(one, o)));
        Vector512<float> dZ = Avx512F.Multiply(gom, Avx512F.FusedMultiplyAddNegated(zt, zt, one));
        Vector512<float> dF = Avx512F.Multiply(Avx512F.Multiply(gom, Avx512F.LoadVector512(sigmaRow)), Avx512F.Subtract(Avx512F.LoadVector512(p.CPrev), zt));
        Avx512F.Store(p.DO, Avx512F.Add(Avx512F.LoadVector512(p.DO), dO));
        Avx512F.Store(p.DZ, Avx512F.Add(Avx512F.LoadVector512(p.DZ), dZ));
        Avx512F.Store(p.DF, Avx512F.Add(Avx512F.LoadVector512(p.DF), dF));
        return Avx512F.BroadcastScalarToVector512(g.GetLower().GetLower());
    }

    /// <summary>Copies <paramref name="count"/> floats into a 16-float buffer and zeroes the rest.</summary>
    private static void Stage(float* buffer, float* source, int count)
    {
        new Span<float>(buffer, W).Clear();
        Copy(buffer, source, count);
    }

    private static void Copy(float* destination, float* source, int count)
    {
        if (count > 0)
        {
            new ReadOnlySpan<float>(source, count).CopyTo(new Span<float>(destination, count));
        }
    }

    /// <summary>Lane i ← lane i − 1; lanes below 1 ← fill (valignd over fill:v).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ShiftUp1(Vector512<float> v, Vector512<float> fill)
        => Avx512F.AlignRight32(v.AsInt32(), fill.AsInt32(), 15).AsSingle();

    /// <summary>Lane i ← lane i + 1; lanes from 15 ← fill (valignd over v:fill).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ShiftDown1(Vector512<float> v, Vector512<float> fill)
        => Avx512F.AlignRight32(fill.AsInt32(), v.AsInt32(), 1).AsSingle();

    /// <summary>Lane i ← lane i − 2; lanes below 2 ← fill (valignd over fill:v).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ShiftUp2(Vector512<float> v, Vector512<float> fill)
        => Avx512F.AlignRight32(v.AsInt32(), fill.AsInt32(), 14).AsSingle();

    /// <summary>Lane i ← lane i + 2; lanes from 14 ← fill (valignd over v:fill).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ShiftDown2(Vector512<float> v, Vector512<float> fill)
        => Avx512F.AlignRight32(fill.AsInt32(), v.AsInt32(), 2).AsSingle();

    /// <summary>Lane i ← lane i − 4; lanes below 4 ← fill (valignd over fill:v).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ShiftUp4(Vector512<float> v, Vector512<float> fill)
        => Avx512F.AlignRight32(v.AsInt32(), fill.AsInt32(), 12).AsSingle();

    /// <summary>Lane i ← lane i + 4; lanes from 12 ← fill (valignd over v:fill).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ShiftDown4(Vector512<float> v, Vector512<float> fill)
        => Avx512F.AlignRight32(fill.AsInt32(), v.AsInt32(), 4).AsSingle();

    /// <summary>Lane i ← lane i − 8; lanes below 8 ← fill (valignd over fill:v).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ShiftUp8(Vector512<float> v, Vector512<float> fill)
        => Avx512F.AlignRight32(v.AsInt32(), fill.AsInt32(), 8).AsSingle();

    /// <summary>Lane i ← lane i + 8; lanes from 8 ← fill (valignd over v:fill).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ShiftDown8(Vector512<float> v, Vector512<float> fill)
        => Avx512F.AlignRight32(fill.AsInt32(), v.AsInt32(), 8).AsSingle();

    /// <summary>Pointers of one row for the backward sweep.</summary>
    private struct RowGrad
    {
        public float* Z;
        public float* F;
        public float* O;
        public float* Keep;
        public float KeepScale;
        public float* C;
        public float* HGrad;
        public float* DZ;
        public float* DF;
        public float* DO;
        public float* Sigma;
        public float* OneMinusF;
        public int Length;
    }

    /// <summary>Where one reverse step reads and adds (the row's own memory, or zero-padded copies).</summary>
    private struct BackwardPointers
    {
        public float* HGrad;
        public float* O;
        public float* Z;
        public float* C;
        public float* CPrev;
        public float* DZ;
        public float* DF;
        public float* DO;
    }
}
