namespace SeqLens.Kernels;

/// <summary>Single-precision general matrix multiply, row-major.</summary>
/// <remarks>
/// Packed panels (Goto/BLIS loop nest, <see cref="GemmDriver"/>), a 14×32 AVX-512 FMA register tile (plus an
/// exact-row kernel for the last 1..13 rows), with AVX2 (6×16) and scalar (4×4) fallbacks chosen at run time, on up
/// to <see cref="KernelThreads.MaxDegree"/> threads. Each C element is summed over k in blocks of
/// <see cref="GemmBuffers.Kc"/> (fixed), each block in order with fused multiply-adds, so the result is
/// bit-identical for any thread count. Steady state allocates nothing.
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// <c>C = op(A) · op(B) + beta · C</c> where op transposes when asked. Shapes: op(A) is m×k, op(B) is k×n,
    /// C is m×n; <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/> are row strides of the
    /// stored (untransposed) matrices. <paramref name="beta"/> is 0 (overwrite) or 1 (accumulate) in practice.
    /// </summary>
    /// <remarks>With beta = 0, C is never read (NaN in C does not leak). Other betas scale C first, then accumulate.</remarks>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, float beta = 0f)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentException($"GEMM sizes must be non-negative; got m={m}, n={n}, k={k}.");
        }

        CheckOperand("A", a.Length, transposeA ? k : m, transposeA ? m : k, lda);
        CheckOperand("B", b.Length, transposeB ? n : k, transposeB ? k : n, ldb);
        CheckOperand("C", c.Length, m, n, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        unsafe
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                if (beta != 0f && beta != 1f)
                {
                    for (int i = 0; i < m; i++)
                    {
                        float* row = pc + ((nint)i * ldc);
                        for (int j = 0; j < n; j++)
                        {
                            row[j] *= beta;
                        }
                    }
                }

                var output = GemmOutput.Matrix(pc, ldc, n, accumulate: beta != 0f);
                GemmDriver.Run(new MatrixA(pa, lda, transposeA), new MatrixB(pb, ldb, transposeB), m, n, k, output);
            }
        }
    }

    private static void CheckOperand(string name, int length, int rows, int cols, int ld)
    {
        if (rows == 0 || cols == 0)
        {
            return;
        }

        if (ld < cols)
        {
            throw new ArgumentException($"GEMM: leading dimension of {name} is {ld}; the stored {rows}×{cols} matrix needs at least {cols}.");
        }

        long needed = ((long)(rows - 1) * ld) + cols;
        if (length < needed)
        {
            throw new ArgumentException($"GEMM: {name} holds {length} floats; a stored {rows}×{cols} matrix with leading dimension {ld} needs {needed}.");
        }
    }
}
