using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>A parsed data layout message (versions 1 to 4; spec §IV.A.2.i).</summary>
internal sealed class DataLayout
{
    public Hdf5Layout Class { get; private init; }

    public int Version { get; private init; }

    /// <summary>Address of contiguous data or of the chunk index; <see cref="Hdf5Reader.Undefined"/> when unallocated.</summary>
    public long Address { get; private init; }

    /// <summary>Contiguous data size in bytes (version 3+; computed for 1-2).</summary>
    public long Size { get; private init; }

    public byte[]? CompactData { get; private init; }

    /// <summary>Chunk dimensions in elements, one per dataset dimension (the element-size dimension removed).</summary>
    public long[] ChunkDims { get; private init; } = [];

    public Hdf5ChunkIndex Index { get; private init; }

    /// <summary>Layout v4 flags (bit 1: the single chunk is filtered).</summary>
    public int Flags { get; private init; }

    public long SingleChunkFilteredSize { get; private init; }

    public uint SingleChunkFilterMask { get; private init; }

    /// <summary>Fixed array: page bits. Extensible array: max bits, index elements, min pointers, min elements, page bits.</summary>
    public byte[] IndexParameters { get; private init; } = [];

    public long ErrorOffset { get; private init; }

    public static DataLayout Parse(Hdf5Cursor c, int rank)
    {
        long at = c.Origin;
        int version = c.Version(1, 4);
        if (version < 3)
        {
            int dimensionality = c.U8();
            int cls = c.U8();
            c.Skip(5);
            if (cls > 2)
            {
                throw c.Error(string.Create(CultureInfo.InvariantCulture, $"layout class {cls} is unknown"));
            }

            long address = cls == 0 ? Hdf5Reader.Undefined : c.Address();
            var dims = new long[dimensionality];
            for (int i = 0; i < dimensionality; i++)
            {
                dims[i] = c.U32();
            }

            if (cls == 2)
            {
                // NOTE: the spec lists a 4-byte element size here, but the library never reads it (the last
                // dimension already is the element size); skip it only when present.
                if (c.Remaining >= 4)
                {
                    c.Skip(4);
                }
                return new DataLayout
                {
                    Class = Hdf5Layout.Chunked, Version = version, Address = address, Index = Hdf5ChunkIndex.BTreeV1,
                    ChunkDims = ChunkDimsOf(c, dims, rank), ErrorOffset = at,
                };
            }

            if (cls == 0)
            {
                int size = checked((int)c.U32());
                return new DataLayout { Class = Hdf5Layout.Compact, Version = version, CompactData = c.Bytes(size).ToArray(), ErrorOffset = at };
            }

            // NOTE: versions 1 and 2 record no byte size for contiguous data; the dataspace decides, and reads are
            // bounded by the file.
            return new DataLayout { Class = Hdf5Layout.Contiguous, Version = version, Address = address, Size = long.MaxValue, ErrorOffset = at };
        }

        int layoutClass = c.U8();
        switch (layoutClass)
        {
            case 0:
                {
                    int size = c.U16();
                    return new DataLayout { Class = Hdf5Layout.Compact, Version = version, CompactData = c.Bytes(size).ToArray(), ErrorOffset = at };
                }

            case 1:
                {
                    long address = c.Address();
                    long size = c.Length("contiguous data size");
                    return new DataLayout { Class = Hdf5Layout.Contiguous, Version = version, Address = address, Size = size, ErrorOffset = at };
                }

            case 2 when version == 3:
                {
                    int dimensionality = c.U8();
                    long address = c.Address();
                    var dims = new long[dimensionality];
                    for (int i = 0; i < dimensionality; i++)
                    {
                        dims[i] = c.U32();
                    }

                    return new DataLayout
                    {
                        Class = Hdf5Layout.Chunked, Version = version, Address = address, Index = Hdf5ChunkIndex.BTreeV1,
                        ChunkDims = ChunkDimsOf(c, dims, rank), ErrorOffset = at,
                    };
                }

            case 2:
                return ParseChunkedV4(c, rank, at);
            case 3:
                throw c.Error("virtual datasets are not supported");
            default:
                throw c.Error(string.Create(CultureInfo.InvariantCulture, $"layout class {layoutClass} is unknown (0 to 3 expected)"));
        }
    }

    private static DataLayout ParseChunkedV4(Hdf5Cursor c, int rank, long at)
    {
        int flags = c.U8();
        int dimensionality = c.U8();
        int encoded = c.U8();
        if (encoded is < 1 or > 8)
        {
            throw c.Error(string.Create(CultureInfo.InvariantCulture, $"chunk dimension size length {encoded} is not 1 to 8"));
        }

        var dims = new long[dimensionality];
        for (int i = 0; i < dimensionality; i++)
        {
            dims[i] = c.Count(encoded, "chunk dimension");
        }

        int indexType = c.U8();
        long filteredSize = 0;
        uint mask = 0;
        byte[] parameters;
        Hdf5ChunkIndex index;
        switch (indexType)
        {
            case 1:
                index = Hdf5ChunkIndex.SingleChunk;
                if ((flags & 0x02) != 0)
                {
                    filteredSize = c.Length("filtered chunk size");
                    mask = c.U32();
                }

                parameters = [];
                break;
            case 2:
                index = Hdf5ChunkIndex.Implicit;
                parameters = [];
                break;
            case 3:
                index = Hdf5ChunkIndex.FixedArray;
                parameters = c.Bytes(1).ToArray();
                break;
            case 4:
                index = Hdf5ChunkIndex.ExtensibleArray;
                parameters = c.Bytes(5).ToArray();
                break;
            case 5:
                index = Hdf5ChunkIndex.BTreeV2;
                parameters = c.Bytes(6).ToArray();
                break;
            default:
                throw c.Error(string.Create(CultureInfo.InvariantCulture, $"chunk index type {indexType} is unknown (1 to 5 expected)"));
        }

        long address = c.Address();
        return new DataLayout
        {
            Class = Hdf5Layout.Chunked, Version = 4, Address = address, Index = index, Flags = flags,
            ChunkDims = ChunkDimsOf(c, dims, rank), SingleChunkFilteredSize = filteredSize, SingleChunkFilterMask = mask,
            IndexParameters = parameters, ErrorOffset = at,
        };
    }

    private static long[] ChunkDimsOf(Hdf5Cursor c, long[] dims, int rank)
    {
        // NOTE: chunked layouts store rank + 1 dimensions; the last is the element size.
        if (dims.Length != rank + 1)
        {
            throw c.Error(string.Create(CultureInfo.InvariantCulture,
                $"chunk dimensionality {dims.Length} does not match the dataspace rank {rank} + 1"));
        }

        var chunk = dims[..rank];
        foreach (long d in chunk)
        {
            if (d <= 0)
            {
                throw c.Error("a chunk dimension is zero");
            }
        }

        return chunk;
    }
}
