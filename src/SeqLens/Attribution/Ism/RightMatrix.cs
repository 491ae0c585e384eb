using SeqLens.Kernels;

namespace SeqLens.Attribution.Ism;

/// <summary>
/// A constant right-hand matrix <c>B</c> (k × n, row-major) laid out once from a layer's weights, for the repeated
/// products <c>C = A · B</c> of fast ISM (every batch of mutant deltas meets the same weights) through
/// <see cref="Gemm"/>.
/// </summary>
/// <remarks>
/// Convolutions use <c>B[ci, k·Cout + co] = W[co, ci, k]</c>: one product gives every tap of every output channel for
/// each input position, which the caller then adds into the output positions the taps reach.
/// (A private Vector256 kernel on pre-packed panels was measured against <see cref="Gemm"/> on the
/// Basset-like ISM benchmark, on a loaded machine, and was not faster (about 10–20 % more CPU time), so the library's
/// kernel is used.)
/// </remarks>
internal sealed class RightMatrix
{
    private readonly float[] _values;

    /// <summary>Lays out <c>B[p, j] = value(p, j)</c> for p &lt; k, j &lt; n.</summary>
    public RightMatrix(int k, int n, Func<int, int, float> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        K = k;
        N = n;
        _values = new float[k * n];
        for (int p = 0; p < k; p++)
        {
            for (int j = 0; j < n; j++)
            {
                _values[(p * n) + j] = value(p, j);
            }
        }
    }

    /// <summary>Rows of B (the shared dimension).</summary>
    public int K { get; }

    /// <summary>Columns of B (the row stride of a product).</summary>
    public int N { get; }

    /// <summary>Overwrites <paramref name="c"/> (m × <see cref="N"/>) with <c>A · B</c>; <paramref name="a"/> is m × <see cref="K"/>.</summary>
    public void Multiply(ReadOnlySpan<float> a, int m, Span<float> c)
        => Gemm.Multiply(false, false, m, N, K, a[..(m * K)], K, _values, N, c[..(m * N)], N);
}
