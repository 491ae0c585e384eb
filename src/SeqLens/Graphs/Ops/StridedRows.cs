namespace SeqLens.Graphs.Ops;

/// <summary>
/// An odometer over the rows of a dense row-major tensor of <c>shape</c> (a row = the last axis), tracking the offset of
/// the same position in a strided view of another tensor (<c>strides</c> per axis). Transpose and the reductions walk
/// their dense side row by row with it and touch the strided side at <see cref="Offset"/> + j·strides[last].
/// </summary>
internal ref struct StridedRows
{
    private readonly ReadOnlySpan<int> _shape;
    private readonly ReadOnlySpan<int> _strides;
    private readonly Span<int> _index;

    /// <summary>Starts at row 0 (offset 0); <paramref name="index"/> is scratch of the shape's rank, cleared here.</summary>
    public StridedRows(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Span<int> index)
    {
        _shape = shape;
        _strides = strides;
        _index = index;
        index.Clear();
        Offset = 0;
    }

    /// <summary>Offset in the strided tensor of the current row's first element.</summary>
    public int Offset { get; private set; }

    /// <summary>Moves to the next row: advances the outer axes' indices, carrying like an odometer.</summary>
    public void Next()
    {
        for (int d = _shape.Length - 2; d >= 0; d--)
        {
            Offset += _strides[d];
            if (++_index[d] < _shape[d])
            {
                return;
            }

            Offset -= _strides[d] * _shape[d];
            _index[d] = 0;
        }
    }
}
