using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SeqLens.Kernels;

/// <summary>
/// 16 adjacent non-overlapping pooling windows of <c>kernel</c> ∈ {2, 3, 4} floats (16·kernel contiguous floats,
/// at most four zmm loads), split by tap: <see cref="Tap"/>(kk) holds element <c>kernel·w + kk</c> of window w in lane w.
/// </summary>
internal readonly unsafe struct Windows16
{
    private readonly Vector512<float> _v0;
    private readonly Vector512<float> _v1;
    private readonly Vector512<float> _v2;
    private readonly Vector512<float> _v3;
    private readonly int _kernel;

    /// <summary>Loads the 16·<paramref name="kernel"/> floats at <paramref name="x"/> (only those; no read past them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Windows16(float* x, int kernel)
    {
        _kernel = kernel;
        _v0 = Vector512.Load(x);
        _v1 = Vector512.Load(x + 16);
        _v2 = kernel >= 3 ? Vector512.Load(x + 32) : Vector512<float>.Zero;
        _v3 = kernel == 4 ? Vector512.Load(x + 48) : Vector512<float>.Zero;
    }

    /// <summary>Whether this CPU and window shape can use the deinterleaving path.</summary>
    public static bool Supported(int kernel, int stride)
        => stride == kernel && kernel is >= 2 and <= 4 && Avx512F.IsSupported;

    /// <summary>Tap <paramref name="kk"/> of the 16 windows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Tap(int kk)
    {
        // Element e = kernel·w + kk lives in vector e / 16: pairs (v0, v1) hold e < 32, (v2, v3) hold e ≥ 32.
        var e = (Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * _kernel) + Vector512.Create(kk);
        var low = Avx512F.PermuteVar16x32x2(_v0, e & Vector512.Create(31), _v1);
        if (_kernel == 2)
        {
            return low;
        }

        var high = Avx512F.PermuteVar16x32x2(_v2, (e - Vector512.Create(32)) & Vector512.Create(31), _v3);
        return Vector512.ConditionalSelect(Vector512.LessThan(e, Vector512.Create(32)).AsSingle(), low, high);
    }
}
