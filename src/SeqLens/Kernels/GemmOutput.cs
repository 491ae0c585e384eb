namespace SeqLens.Kernels;

/// <summary>
/// Where a packed GEMM writes C (m×n) and what it does there. Column j lands at
/// <c>(j / ColsPerBatch)·BatchStride + (j mod ColsPerBatch)</c> of row i's start <c>Data + i·RowStride</c>, so a
/// conv output <c>(B, Cout, Lout)</c> is a C whose columns are (b, t) without any copy.
/// </summary>
internal unsafe struct GemmOutput
{
    /// <summary>Element (0, 0).</summary>
    public float* Data;

    /// <summary>Distance between rows.</summary>
    public nint RowStride;

    /// <summary>Columns that are contiguous before jumping by <see cref="BatchStride"/>.</summary>
    public int ColsPerBatch;

    /// <summary>Distance between consecutive batches of columns.</summary>
    public nint BatchStride;

    /// <summary>Per-row bias added once (null for none).</summary>
    public float* Bias;

    /// <summary>Apply max(0, ·) after the last k block (inference fusion).</summary>
    public bool Relu;

    /// <summary>Add into C instead of overwriting it.</summary>
    public bool Accumulate;

    /// <summary>A plain row-major C with row stride <paramref name="ldc"/>.</summary>
    public static GemmOutput Matrix(float* data, nint ldc, int n, bool accumulate) => new()
    {
        Data = data,
        RowStride = ldc,
        ColsPerBatch = Math.Max(n, 1),
        BatchStride = 0,
        Accumulate = accumulate,
    };

    /// <summary>Offset of element (i, j) from <see cref="Data"/>.</summary>
    public readonly nint Offset(int i, int j)
        => ((nint)i * RowStride) + ((nint)(j / ColsPerBatch) * BatchStride) + (j % ColsPerBatch);
}
