namespace SeqLens.Kernels;

/// <summary>A row count fixed at JIT time (one struct per count), so a generic micro-kernel specialises per count.</summary>
internal interface IRowCount
{
    /// <summary>Rows of the tile.</summary>
    static abstract int Count { get; }
}

/// <summary>1 row.</summary>
internal readonly struct Rows1 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 1;
}
/// <summary>2 rows.</summary>
internal readonly struct Rows2 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 2;
}
/// <summary>3 rows.</summary>
internal readonly struct Rows3 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 3;
}
/// <summary>4 rows.</summary>
internal readonly struct Rows4 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 4;
}
/// <summary>5 rows.</summary>
internal readonly struct Rows5 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 5;
}
/// <summary>6 rows.</summary>
internal readonly struct Rows6 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 6;
}
/// <summary>7 rows.</summary>
internal readonly struct Rows7 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 7;
}
/// <summary>8 rows.</summary>
internal readonly struct Rows8 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 8;
}
/// <summary>9 rows.</summary>
internal readonly struct Rows9 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 9;
}
/// <summary>10 rows.</summary>
internal readonly struct Rows10 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 10;
}
/// <summary>11 rows.</summary>
internal readonly struct Rows11 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 11;
}
/// <summary>12 rows.</summary>
internal readonly struct Rows12 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 12;
}
/// <summary>13 rows.</summary>
internal readonly struct Rows13 : IRowCount
{
    /// <inheritdoc/>
    public static int Count => 13;
}
