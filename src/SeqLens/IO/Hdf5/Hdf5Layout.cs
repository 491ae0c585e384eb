namespace SeqLens.IO.Hdf5;

/// <summary>How a dataset's raw data is stored (data layout message, spec §IV.A.2.i).</summary>
public enum Hdf5Layout
{
    /// <summary>Inside the object header.</summary>
    Compact = 0,

    /// <summary>One contiguous block of the file.</summary>
    Contiguous = 1,

    /// <summary>Fixed-size chunks located through a chunk index (see <see cref="Hdf5ChunkIndex"/>).</summary>
    Chunked = 2,
}
