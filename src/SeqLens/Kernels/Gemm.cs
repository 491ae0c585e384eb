namespace SeqLens.Kernels;

/// <summary>Single-precision general matrix multiply, row-major.</summary>
public static class Gemm
{
    /// <summary>
    /// <c>C = op(A) · op(B) + beta · C</c> where op transposes when asked. Shapes: op(A) is m×k, op(B) is k×n,
    /// C is m×n; <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/> are row strides of the
    /// stored (untransposed) matrices. <paramref name="beta"/> is 0 (overwrite) or 1 (accumulate) in practice.
    /// </summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, float beta = 0f)
    {
        // NOTE: naive reference loop; the packed, vectorised kernel replaces this body.
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[(p * lda) + i] : a[(i * lda) + p];
                    float bv = transposeB ? b[(j * ldb) + p] : b[(p * ldb) + j];
                    sum += av * bv;
                }

                c[(i * ldc) + j] = beta == 0f ? sum : (beta * c[(i * ldc) + j]) + sum;
            }
        }
    }
}
