using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>Reading a dataset's raw bytes from its compact, contiguous or chunked storage.</summary>
public sealed partial class Hdf5Dataset
{
    /// <summary>
    /// Chunked data may expand (deflate reaches about 1000:1); beyond this many times the file size, plus a floor,
    /// a declared size is treated as corrupt rather than allocated.
    /// </summary>
    private const long MaxExpansion = 1100;

    private const long ExpansionFloor = 256L << 20;

    private byte[] ReadRaw()
    {
        var r = File.Reader;
        var space = _space.Value;
        var type = _type.Value;
        var layout = _layout.Value;
        long count = space.ElementCount;
        long total;
        try
        {
            total = checked(count * type.Size);
        }
        catch (OverflowException)
        {
            throw r.Error(layout.ErrorOffset, "dataset " + Path, "size in bytes overflows 64 bits");
        }

        if (total > Array.MaxLength)
        {
            throw r.Error(layout.ErrorOffset, "dataset " + Path, string.Create(CultureInfo.InvariantCulture,
                $"{total} bytes exceed what one array can hold"));
        }

        if (total == 0)
        {
            return [];
        }

        if (Header.Find(HeaderMessage.ExternalFiles) is not null)
        {
            throw new NotSupportedException($"{File.Path}: dataset {Path} keeps its data in external files, which this reader does not follow.");
        }

        switch (layout.Class)
        {
            case Hdf5Layout.Compact:
                {
                    var data = layout.CompactData!;
                    if (data.Length < total)
                    {
                        throw r.Error(layout.ErrorOffset, "data layout message", string.Create(CultureInfo.InvariantCulture,
                            $"compact data has {data.Length} bytes, the dataspace needs {total}"));
                    }

                    return data.AsSpan(0, (int)total).ToArray();
                }

            case Hdf5Layout.Contiguous:
                if (layout.Address == Hdf5Reader.Undefined)
                {
                    return Filled(total, type.Size);
                }

                if (layout.Size < total)
                {
                    throw r.Error(layout.ErrorOffset, "data layout message", string.Create(CultureInfo.InvariantCulture,
                        $"contiguous storage holds {layout.Size} bytes, the dataspace needs {total}"));
                }

                return r.ReadBytes(layout.Address, total, "contiguous data of " + Path);
            default:
                return ReadChunked(total, space, type, layout);
        }
    }

    private byte[] Filled(long total, int elementSize)
    {
        var output = new byte[total];
        var fill = FillValue.Parse(Header);
        if (fill is not null && fill.Length == elementSize && fill.AsSpan().ContainsAnyExcept((byte)0))
        {
            for (long i = 0; i < total; i += elementSize)
            {
                fill.CopyTo(output, i);
            }
        }

        return output;
    }

    private byte[] ReadChunked(long total, Dataspace space, Hdf5DataType type, DataLayout layout)
    {
        var r = File.Reader;
        int rank = space.Dims.Length;
        long limit = Math.Max(ExpansionFloor, r.Length > long.MaxValue / MaxExpansion ? long.MaxValue : r.Length * MaxExpansion);
        if (total > limit)
        {
            throw r.Error(layout.ErrorOffset, "dataset " + Path, string.Create(CultureInfo.InvariantCulture,
                $"declares {total} bytes, implausible for a {r.Length}-byte file"));
        }

        long chunkBytes = type.Size;
        foreach (long d in layout.ChunkDims)
        {
            chunkBytes = d > limit / chunkBytes ? limit + 1 : chunkBytes * d;
        }

        if (chunkBytes > Math.Min(limit, int.MaxValue - 1))
        {
            throw r.Error(layout.ErrorOffset, "data layout message", string.Create(CultureInfo.InvariantCulture,
                $"chunk of {string.Join("x", layout.ChunkDims)} elements is implausibly large"));
        }

        var output = Filled(total, type.Size);
        if (layout.Address == Hdf5Reader.Undefined)
        {
            return output;
        }

        var pipeline = _filters.Value;
        bool filtered = pipeline.Filters.Count > 0;
        foreach (var chunk in Chunks(layout, space, filtered, chunkBytes))
        {
            if (chunk.Address == Hdf5Reader.Undefined)
            {
                continue;
            }

            if (chunk.Size > limit || chunk.Size < 0)
            {
                throw r.Error(chunk.Address, "chunk of " + Path, string.Create(CultureInfo.InvariantCulture, $"stored size {chunk.Size} is implausible"));
            }

            byte[] data = r.ReadBytes(chunk.Address, chunk.Size, "chunk of " + Path);
            if (filtered)
            {
                data = pipeline.Decode(data, chunk.FilterMask, chunkBytes, type.Size, r, chunk.Address);
            }

            ChunkAssembler.Place(output, space.Dims, layout.ChunkDims, chunk.Offset, data, type.Size, r, chunk.Address);
        }

        return output;
    }

    private List<ChunkRecord> Chunks(DataLayout layout, Dataspace space, bool filtered, long chunkBytes)
    {
        var r = File.Reader;
        int rank = space.Dims.Length;
        var chunkDims = layout.ChunkDims;
        switch (layout.Index)
        {
            case Hdf5ChunkIndex.BTreeV1:
                return BTreeV1.Chunks(r, layout.Address, rank);
            case Hdf5ChunkIndex.SingleChunk:
                {
                    bool filteredChunk = (layout.Flags & 0x02) != 0;
                    long size = filteredChunk ? layout.SingleChunkFilteredSize : chunkBytes;
                    return [new ChunkRecord(new long[rank], layout.Address, size, filteredChunk ? layout.SingleChunkFilterMask : 0)];
                }

            case Hdf5ChunkIndex.Implicit:
                {
                    var grid = Grid(MaxOrCurrent(space), chunkDims);
                    long n = Product(grid, layout);
                    var result = new List<ChunkRecord>();
                    for (long i = 0; i < n; i++)
                    {
                        result.Add(new ChunkRecord(ChunkAssembler.OffsetOf(i, grid, chunkDims), layout.Address + i * chunkBytes, chunkBytes, 0));
                    }

                    return result;
                }

            case Hdf5ChunkIndex.FixedArray:
                {
                    var grid = Grid(MaxOrCurrent(space), chunkDims);
                    var entries = FixedArrayIndex.Read(r, layout.Address, filtered, chunkBytes);
                    if (entries.Count != Product(grid, layout))
                    {
                        throw r.Error(layout.Address, "fixed array header", string.Create(CultureInfo.InvariantCulture,
                            $"{entries.Count} entries, the dataset has {Product(grid, layout)} chunks"));
                    }

                    return entries.Select((e, i) => new ChunkRecord(ChunkAssembler.OffsetOf(i, grid, chunkDims), e.Address, e.Size, e.FilterMask)).ToList();
                }

            case Hdf5ChunkIndex.ExtensibleArray:
                return ExtensibleChunks(layout, space, filtered, chunkBytes);
            case Hdf5ChunkIndex.BTreeV2:
                {
                    var tree = BTreeV2.Open(r, layout.Address, filtered ? 11 : 10);
                    int sizeBytes = ChunkEntry.SizeBytes(chunkBytes);
                    var result = new List<ChunkRecord>();
                    foreach (var rec in tree.Records())
                    {
                        long address = rec.Address();
                        long size = filtered ? rec.Count(sizeBytes, "filtered chunk size") : chunkBytes;
                        uint mask = filtered ? rec.U32() : 0;
                        var offset = new long[rank];
                        for (int i = 0; i < rank; i++)
                        {
                            long scaled = rec.Count(8, "scaled chunk offset");
                            offset[i] = scaled > long.MaxValue / chunkDims[i] ? long.MaxValue : scaled * chunkDims[i];
                        }

                        result.Add(new ChunkRecord(offset, address, size, mask));
                    }

                    return result;
                }

            default:
                throw r.Error(layout.ErrorOffset, "data layout message", "unknown chunk index");
        }
    }

    private List<ChunkRecord> ExtensibleChunks(DataLayout layout, Dataspace space, bool filtered, long chunkBytes)
    {
        var r = File.Reader;
        int rank = space.Dims.Length;
        var max = space.MaxDims ?? space.Dims;
        int unlimited = Array.IndexOf(max, -1L);
        if (unlimited < 0)
        {
            throw r.Error(layout.ErrorOffset, "data layout message", "extensible array index on a dataset without an unlimited dimension");
        }

        // NOTE: HDF5 "swizzles" the unlimited dimension to the front before linearising chunk coordinates; the other
        // dimensions use their maximum extent.
        var order = new int[rank];
        order[0] = unlimited;
        for (int i = 0, k = 1; i < rank; i++)
        {
            if (i != unlimited)
            {
                order[k++] = i;
            }
        }

        var grid = new long[rank];
        var swizzledChunks = new long[rank];
        for (int k = 0; k < rank; k++)
        {
            int d = order[k];
            long extent = k == 0 ? space.Dims[d] : max[d];
            grid[k] = (extent + layout.ChunkDims[d] - 1) / layout.ChunkDims[d];
            swizzledChunks[k] = layout.ChunkDims[d];
        }

        long n = Product(grid, layout);
        var entries = ExtensibleArrayIndex.Read(r, layout.Address, filtered, chunkBytes, n);
        var result = new List<ChunkRecord>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            var swizzled = ChunkAssembler.OffsetOf(i, grid, swizzledChunks);
            var offset = new long[rank];
            for (int k = 0; k < rank; k++)
            {
                offset[order[k]] = swizzled[k];
            }

            result.Add(new ChunkRecord(offset, entries[i].Address, entries[i].Size, entries[i].FilterMask));
        }

        return result;
    }

    private static long[] MaxOrCurrent(Dataspace space)
    {
        var dims = (long[])space.Dims.Clone();
        if (space.MaxDims is not null)
        {
            for (int i = 0; i < dims.Length; i++)
            {
                if (space.MaxDims[i] > dims[i])
                {
                    dims[i] = space.MaxDims[i];
                }
            }
        }

        return dims;
    }

    private static long[] Grid(long[] dims, long[] chunkDims)
    {
        var grid = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            grid[i] = (dims[i] + chunkDims[i] - 1) / chunkDims[i];
        }

        return grid;
    }

    private long Product(long[] grid, DataLayout layout)
    {
        long n = 1;
        foreach (long g in grid)
        {
            if (g != 0 && n > (File.Reader.Length + 1) / g)
            {
                throw File.Reader.Error(layout.ErrorOffset, "data layout message", "the number of chunks is implausible for the file size");
            }

            n *= g;
        }

        return n;
    }
}
