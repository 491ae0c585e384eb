namespace SeqLens.IO.Hdf5;

/// <summary>One element of a fixed or extensible array chunk index, before it is placed by its linear index.</summary>
internal readonly record struct ChunkEntry(long Address, long Size, uint FilterMask)
{
    /// <summary>
    /// Reads an entry: an address, then for filtered chunks the stored size (<paramref name="sizeBytes"/>) and the
    /// filter mask.
    /// </summary>
    public static ChunkEntry Read(Hdf5Cursor c, bool filtered, int sizeBytes, long unfilteredSize)
    {
        long address = c.Address();
        if (!filtered)
        {
            return new ChunkEntry(address, unfilteredSize, 0);
        }

        long size = c.Count(sizeBytes, "filtered chunk size");
        uint mask = c.U32();
        return new ChunkEntry(address, size, mask);
    }

    /// <summary>Bytes HDF5 uses for a filtered chunk's size: 1 + (log2(chunk bytes) + 8) / 8, at most 8.</summary>
    public static int SizeBytes(long chunkBytes)
        => Math.Min(8, 1 + (System.Numerics.BitOperations.Log2((ulong)Math.Max(1, chunkBytes)) + 8) / 8);
}
