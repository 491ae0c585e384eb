using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

/// <summary>
/// Single-precision <c>expm1</c>, <c>sigmoid</c> and <c>tanh</c> on 8 lanes (AVX2 + FMA), for kernels that fuse an
/// activation into a larger vector loop instead of making a separate <see cref="System.Numerics.Tensors.TensorPrimitives"/>
/// pass. Callers check <see cref="IsSupported"/>.
/// </summary>
/// <remarks>
/// <c>expm1</c> follows Cephes' <c>expf</c> reduction: <c>n = round(x·log₂e)</c>, <c>r = x − n·ln2</c> (ln2 split in a
/// short high part and a low correction, |r| ≤ ln2/2), <c>expm1(r)</c> by its Taylor series to r⁷ (truncation below
/// 2·10⁻⁸ relative), then <c>expm1(x) = 2ⁿ·expm1(r) + (2ⁿ − 1)</c>, which keeps full relative accuracy near 0
/// (n = 0). The argument is clamped to [−87, 88] so 2ⁿ stays a normal float: expm1 saturates at −1 below and at
/// 1.65·10³⁸ above. Then <c>sigmoid(x) = 1 / (2 + expm1(−x))</c> and
/// <c>tanh(x) = sign(x)·(−e / (e + 2))</c> with <c>e = expm1(−2|x|)</c> (no cancellation for small |x|, no overflow
/// for large). Maximum error measured against double: a few ulp of the result (tests in VectorActivationsTests).
/// </remarks>
internal static class VectorActivations
{
    /// <summary>True when the CPU runs these (AVX2 and FMA).</summary>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>e^x − 1 per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Expm1(Vector256<float> x)
    {
        x = Avx.Min(Avx.Max(x, Vector256.Create(-87f)), Vector256.Create(88f));
        Vector256<float> n = Avx.RoundToNearestInteger(Avx.Multiply(x, Vector256.Create(1.44269504088896341f)));
        Vector256<float> r = Fma.MultiplyAddNegated(n, Vector256.Create(0.693359375f), x);
        r = Fma.MultiplyAddNegated(n, Vector256.Create(-2.12194440e-4f), r);
        Vector256<float> p = Vector256.Create(1f / 5040f);
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1f / 720f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1f / 120f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1f / 24f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1f / 6f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(0.5f));
        Vector256<float> q = Fma.MultiplyAdd(Avx.Multiply(r, r), p, r);
        Vector256<int> bits = Avx2.ShiftLeftLogical(Avx2.Add(Avx.ConvertToVector256Int32(n), Vector256.Create(127)), 23);
        Vector256<float> s = bits.AsSingle();
        return Fma.MultiplyAdd(s, q, Avx.Subtract(s, Vector256.Create(1f)));
    }

    /// <summary>1 / (1 + e^−x) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
        => Avx.Divide(Vector256.Create(1f), Avx.Add(Vector256.Create(2f), Expm1(Avx.Subtract(Vector256<float>.Zero, x))));

    /// <summary>tanh(x) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<float> sign = Avx.And(x, Vector256.Create(-0f));
        Vector256<float> minusTwoAbs = Avx.Or(Avx.Add(x, x), Vector256.Create(-0f));
        Vector256<float> e = Expm1(minusTwoAbs);
        Vector256<float> t = Avx.Divide(Avx.Subtract(Vector256<float>.Zero, e), Avx.Add(e, Vector256.Create(2f)));
        return Avx.Or(t, sign);
    }
}
