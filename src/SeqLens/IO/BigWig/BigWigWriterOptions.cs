namespace SeqLens.IO.BigWig;

/// <summary>Options of <see cref="BigWigWriter"/>; defaults follow UCSC <c>bedGraphToBigWig</c>.</summary>
public sealed record BigWigWriterOptions
{
    /// <summary>Items per data block (default 1024).</summary>
    public int ItemsPerSlot { get; init; } = 1024;

    /// <summary>Children per index node, R-tree and chromosome B+ tree (default 256).</summary>
    public int BlockSize { get; init; } = 256;

    /// <summary>Maximum number of zoom levels (default 10; 0 disables zoom levels).</summary>
    public int MaxZoomLevels { get; init; } = 10;

    /// <summary>zlib-compress data and zoom blocks (default true).</summary>
    public bool Compress { get; init; } = true;
}
