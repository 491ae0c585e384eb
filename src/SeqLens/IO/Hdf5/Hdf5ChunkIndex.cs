namespace SeqLens.IO.Hdf5;

/// <summary>
/// The structure that locates a chunked dataset's chunks. Layout version 3 always uses a version-1 B-tree;
/// layout version 4 (files written with libver "latest"/"v110") picks one of the others.
/// </summary>
public enum Hdf5ChunkIndex
{
    /// <summary>Not chunked.</summary>
    None = 0,

    /// <summary>Version-1 B-tree of chunk keys (layout v1-v3).</summary>
    BTreeV1,

    /// <summary>One chunk covering the whole dataset.</summary>
    SingleChunk,

    /// <summary>Chunks stored back to back, unfiltered, in row-major chunk order.</summary>
    Implicit,

    /// <summary>Fixed array (fixed maximum dimensions).</summary>
    FixedArray,

    /// <summary>Extensible array (one unlimited dimension).</summary>
    ExtensibleArray,

    /// <summary>Version-2 B-tree (several unlimited dimensions).</summary>
    BTreeV2,
}
