using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

// The fused single-pass path (AVX2 + FMA): one sweep over each row computes the activations, scans and writes h and c.
public static unsafe partial class QuasiRecurrentPool
{
    [ThreadStatic]
    private static bool _forcePortable;

    /// <summary>Forces the portable (TensorPrimitives, scalar scan) path for kernels started on this thread (tests).</summary>
    internal static void ForcePortable(bool portable) => _forcePortable = portable;

    /// <summary>Whether kernels started on this thread take the fused vector path.</summary>
    private static bool UseVector => VectorActivations.IsSupported && !_forcePortable;

    private static void ForwardVectorWork(void* state)
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        int chunk;
        while ((chunk = Interlocked.Increment(ref job.Next) - 1) < job.Chunks)
        {
            long r0 = job.Groups * (long)chunk / job.Chunks;
            long r1 = job.Groups * (long)(chunk + 1) / job.Chunks;
            for (long r = r0; r < r1; r++)
            {
                float* z = GateRow(ref job, r);
                float* fg = z + ((long)job.Hidden * job.Length);
                float* keep = job.Keep is null ? null : job.Keep + (r * job.Length);
                ForwardRow(z, fg, fg + ((long)job.Hidden * job.Length), keep, job.KeepScale, job.H + (r * job.Length), job.C + (r * job.Length), job.Length);
            }
        }
    }

    private static void BackwardVectorWork(void* state)
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        int length = job.Length;
        float* scratch = Scratch(2 * (length + 8));
        int chunk;
        while ((chunk = Interlocked.Increment(ref job.Next) - 1) < job.Chunks)
        {
            long r0 = job.Groups * (long)chunk / job.Chunks;
            long r1 = job.Groups * (long)(chunk + 1) / job.Chunks;
            long block = (long)job.Hidden * length;
            for (long r = r0; r < r1; r++)
            {
                float* z = GateRow(ref job, r);
                long offset = z - job.Gates;
                var rowJob = new RowGrad
                {
                    Z = z,
                    F = z + block,
                    O = z + (2 * block),
                    Keep = job.Keep is null ? null : job.Keep + (r * length),
                    KeepScale = job.KeepScale,
                    C = job.C + (r * length),
                    HGrad = job.HGrad + (r * length),
                    DZ = job.GatesGrad + offset,
                    DF = job.GatesGrad + offset + block,
                    DO = job.GatesGrad + offset + (2 * block),
                    Sigma = scratch,
                    OneMinusF = scratch + length + 8,
                    Length = length,
                };
                BackwardRow(ref rowJob);
            }
        }
    }

    /// <summary>Lanes below <paramref name="count"/> set (all bits), the rest clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LanesBelow(int count)
        => Avx2.CompareGreaterThan(Vector256.Create(count), Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7)).AsSingle();

    /// <summary>1 − f = s·(1 − σ): the keep mask row, the constant scale, or plain 1 − σ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> OneMinusForget(Vector256<float> sigma, float* keep, Vector256<float> keepMask, float keepScale, int t, bool full)
    {
        Vector256<float> om = Avx.Subtract(Vector256.Create(1f), sigma);
        if (keep is not null)
        {
            Vector256<float> s = full ? Avx.LoadVector256(keep + t) : Avx.MaskLoad(keep + t, keepMask);
            return Avx.Multiply(om, s);
        }

        return keepScale != 1f ? Avx.Multiply(om, Vector256.Create(keepScale)) : om;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRow(float* z, float* fg, float* og, float* keep, float keepScale, float* h, float* c, int length)
    {
        Vector256<float> carry = Vector256<float>.Zero;
        Vector256<float> all = Vector256.Create(-1).AsSingle();
        for (int t = 0; t < length; t += 8)
        {
            bool full = t + 8 <= length;
            Vector256<float> mask = full ? all : LanesBelow(length - t);
            Vector256<float> zv = full ? Avx.LoadVector256(z + t) : Avx.MaskLoad(z + t, mask);
            Vector256<float> fv = full ? Avx.LoadVector256(fg + t) : Avx.MaskLoad(fg + t, mask);
            Vector256<float> ov = full ? Avx.LoadVector256(og + t) : Avx.MaskLoad(og + t, mask);
            Vector256<float> om = OneMinusForget(VectorActivations.Sigmoid(fv), keep, mask, keepScale, t, full);
            Vector256<float> f = Avx.Subtract(Vector256.Create(1f), om);
            Vector256<float> a = Avx.Multiply(om, VectorActivations.Tanh(zv));

            // NOTE: c_t = f_t·c_{t−1} + a_t inside the vector by a log-step (Hillis–Steele) scan of the affine maps
            // (F, A): after shifts by 1, 2 and 4 lanes, lane i holds the composition over lanes 0…i, so
            // c = A + F·c_before. Rounding differs from the sequential chain (a few ulp) but is fixed per row.
            a = Fma.MultiplyAdd(f, ShiftUp1(a, Vector256<float>.Zero), a);
            f = Avx.Multiply(f, ShiftUp1(f, Vector256.Create(1f)));
            a = Fma.MultiplyAdd(f, ShiftUp2(a, Vector256<float>.Zero), a);
            f = Avx.Multiply(f, ShiftUp2(f, Vector256.Create(1f)));
            a = Fma.MultiplyAdd(f, ShiftUp4(a, Vector256<float>.Zero), a);
            f = Avx.Multiply(f, ShiftUp4(f, Vector256.Create(1f)));
            Vector256<float> cv = Fma.MultiplyAdd(f, carry, a);
            carry = Avx2.PermuteVar8x32(cv, Vector256.Create(7));
            Vector256<float> hv = Avx.Multiply(VectorActivations.Sigmoid(ov), cv);
            if (full)
            {
                Avx.Store(c + t, cv);
                Avx.Store(h + t, hv);
            }
            else
            {
                Avx.MaskStore(c + t, mask, cv);
                Avx.MaskStore(h + t, mask, hv);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRow(ref RowGrad row)
    {
        int length = row.Length;
        Vector256<float> all = Vector256.Create(-1).AsSingle();

        // Pass 1 (forward in time): σ(f̃) and 1 − f into scratch, so the reverse pass can read f_{t+1} one lane over.
        for (int t = 0; t < length; t += 8)
        {
            bool full = t + 8 <= length;
            Vector256<float> mask = full ? all : LanesBelow(length - t);
            Vector256<float> sigma = VectorActivations.Sigmoid(full ? Avx.LoadVector256(row.F + t) : Avx.MaskLoad(row.F + t, mask));
            Avx.Store(row.Sigma + t, sigma);
            Avx.Store(row.OneMinusF + t, OneMinusForget(sigma, row.Keep, mask, row.KeepScale, t, full));
        }

        // f beyond the row is 0 (1 − f = 1): g_L = 0 anyway, but the lanes must hold finite numbers.
        Avx.Store(row.OneMinusF + length, Vector256.Create(1f));

        // Pass 2 (backward in time): g_t = dh_t·o_t + f_{t+1}·g_{t+1}, and the three gate gradients.
        Vector256<float> carry = Vector256<float>.Zero;
        int last = (length - 1) / 8 * 8;
        for (int t = last; t >= 0; t -= 8)
        {
            bool full = t + 8 <= length;
            Vector256<float> mask = full ? all : LanesBelow(length - t);
            Vector256<float> dh = full ? Avx.LoadVector256(row.HGrad + t) : Avx.MaskLoad(row.HGrad + t, mask);
            Vector256<float> ov = full ? Avx.LoadVector256(row.O + t) : Avx.MaskLoad(row.O + t, mask);
            Vector256<float> zv = full ? Avx.LoadVector256(row.Z + t) : Avx.MaskLoad(row.Z + t, mask);
            Vector256<float> c = full ? Avx.LoadVector256(row.C + t) : Avx.MaskLoad(row.C + t, mask);
            Vector256<float> cPrev = t > 0 && full
                ? Avx.LoadVector256(row.C + t - 1)
                : Avx.MaskLoad(row.C + t - 1, Avx.And(mask, t > 0 ? all : LanesFromOne()));
            Vector256<float> o = VectorActivations.Sigmoid(ov);
            Vector256<float> u = Avx.Multiply(dh, o);
            Vector256<float> fNext = Avx.Subtract(Vector256.Create(1f), Avx.LoadVector256(row.OneMinusF + t + 1));
            u = Fma.MultiplyAdd(fNext, ShiftDown1(u, Vector256<float>.Zero), u);
            fNext = Avx.Multiply(fNext, ShiftDown1(fNext, Vector256.Create(1f)));
            u = Fma.MultiplyAdd(fNext, ShiftDown2(u, Vector256<float>.Zero), u);
            fNext = Avx.Multiply(fNext, ShiftDown2(fNext, Vector256.Create(1f)));
            u = Fma.MultiplyAdd(fNext, ShiftDown4(u, Vector256<float>.Zero), u);
            fNext = Avx.Multiply(fNext, ShiftDown4(fNext, Vector256.Create(1f)));
            Vector256<float> g = Fma.MultiplyAdd(fNext, carry, u);
            carry = Avx2.BroadcastScalarToVector256(g.GetLower());

            Vector256<float> one = Vector256.Create(1f);
            Vector256<float> zt = VectorActivations.Tanh(zv);
            Vector256<float> om = Avx.LoadVector256(row.OneMinusF + t);
            Vector256<float> sigma = Avx.LoadVector256(row.Sigma + t);

            // dõ += dh·c·o(1 − o); dz̃ += g(1 − f)(1 − z²); df̃ += g(c_{t−1} − z)·s·σ(1 − σ), with s(1 − σ) = 1 − f.
            Vector256<float> dO = Avx.Multiply(Avx.Multiply(dh, c), Avx.Multiply(o, Avx.Subtract(one, o)));
            Vector256<float> gom = Avx.Multiply(g, om);
            Vector256<float> dZ = Avx.Multiply(gom, Fma.MultiplyAddNegated(zt, zt, one));
            Vector256<float> dF = Avx.Multiply(Avx.Multiply(gom, sigma), Avx.Subtract(cPrev, zt));
            if (full)
            {
                Avx.Store(row.DO + t, Avx.Add(Avx.LoadVector256(row.DO + t), dO));
                Avx.Store(row.DZ + t, Avx.Add(Avx.LoadVector256(row.DZ + t), dZ));
                Avx.Store(row.DF + t, Avx.Add(Avx.LoadVector256(row.DF + t), dF));
            }
            else
            {
                Avx.MaskStore(row.DO + t, mask, Avx.Add(Avx.MaskLoad(row.DO + t, mask), dO));
                Avx.MaskStore(row.DZ + t, mask, Avx.Add(Avx.MaskLoad(row.DZ + t, mask), dZ));
                Avx.MaskStore(row.DF + t, mask, Avx.Add(Avx.MaskLoad(row.DF + t, mask), dF));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LanesFromOne() => Vector256.Create(0, -1, -1, -1, -1, -1, -1, -1).AsSingle();

    /// <summary>Lane i ← lane i − 1; lane 0 ← fill.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ShiftUp1(Vector256<float> v, Vector256<float> fill)
        => Avx.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(0, 0, 1, 2, 3, 4, 5, 6)), fill, 0b0000_0001);

    /// <summary>Lane i ← lane i − 2; lanes 0–1 ← fill.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ShiftUp2(Vector256<float> v, Vector256<float> fill)
        => Avx.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(0, 0, 0, 1, 2, 3, 4, 5)), fill, 0b0000_0011);

    /// <summary>Lane i ← lane i − 4; lanes 0–3 ← fill.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ShiftUp4(Vector256<float> v, Vector256<float> fill)
        => Avx.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(0, 0, 0, 0, 0, 1, 2, 3)), fill, 0b0000_1111);

    /// <summary>Lane i ← lane i + 1; lane 7 ← fill.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ShiftDown1(Vector256<float> v, Vector256<float> fill)
        => Avx.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(1, 2, 3, 4, 5, 6, 7, 7)), fill, 0b1000_0000);

    /// <summary>Lane i ← lane i + 2; lanes 6–7 ← fill.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ShiftDown2(Vector256<float> v, Vector256<float> fill)
        => Avx.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(2, 3, 4, 5, 6, 7, 7, 7)), fill, 0b1100_0000);

    /// <summary>Lane i ← lane i + 4; lanes 4–7 ← fill.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ShiftDown4(Vector256<float> v, Vector256<float> fill)
        => Avx.Blend(Avx2.PermuteVar8x32(v, Vector256.Create(4, 5, 6, 7, 7, 7, 7, 7)), fill, 0b1111_0000);

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
}
