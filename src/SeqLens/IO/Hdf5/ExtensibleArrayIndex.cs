using System.Globalization;
using System.Numerics;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// The extensible array chunk index ("EAHD"/"EAIB"/"EASB"/"EADB", spec §VII.C) for datasets with one unlimited
/// dimension. Elements 0..k-1 live in the index block; later ones in data blocks that the index block points to
/// directly (the first super blocks) or through secondary blocks. Paged data blocks (more than 2^pageBits
/// elements, i.e. many thousands of chunks) are not supported.
/// </summary>
internal sealed class ExtensibleArrayIndex
{
    private readonly Hdf5Reader _r;
    private readonly long _header;
    private readonly bool _filtered;
    private readonly int _sizeBytes;
    private readonly long _chunkBytes;
    private readonly int _elementSize;
    private readonly int _offsetBytes;
    private readonly long _pageElements;
    private readonly int _indexElements;
    private readonly long _minElements;
    private readonly long[] _dataBlocksIn;
    private readonly long[] _dataBlockElements;
    private readonly long[] _startIndex;
    private readonly long[] _startDataBlock;
    private readonly int _indexSuperBlocks;
    private readonly Dictionary<long, Hdf5Cursor> _blocks = [];
    private Hdf5Cursor _index = null!;
    private long[] _indexDataBlocks = [];
    private long[] _indexSecondary = [];

    private ExtensibleArrayIndex(Hdf5Reader r, long header, bool filtered, long chunkBytes, Hdf5Cursor h)
    {
        _r = r;
        _header = header;
        _filtered = filtered;
        _chunkBytes = chunkBytes;
        _sizeBytes = ChunkEntry.SizeBytes(chunkBytes);
        h.Signature("EAHD");
        h.Version(0, 0);
        int client = h.U8();
        _elementSize = h.U8();
        int maxBits = h.U8();
        _indexElements = h.U8();
        int minElements = h.U8();
        int minPointers = h.U8();
        int pageBits = h.U8();
        for (int i = 0; i < 6; i++)
        {
            h.Length("extensible array statistics");
        }

        IndexBlock = h.Address();
        h.Checksum();
        int expected = r.OffsetSize + (filtered ? _sizeBytes + 4 : 0);
        if (client != (filtered ? 1 : 0) || _elementSize != expected)
        {
            throw h.ErrorAt(5, string.Create(CultureInfo.InvariantCulture,
                $"client id {client} or element size {_elementSize} (expected {expected}) does not match the dataset"));
        }

        if (maxBits is < 1 or > 64 || !IsPowerOfTwo(minElements) || !IsPowerOfTwo(minPointers) || pageBits > 32
            || BitOperations.Log2((uint)minElements) > maxBits)
        {
            throw h.ErrorAt(7, "implausible extensible array parameters");
        }

        _offsetBytes = (maxBits + 7) / 8;
        _pageElements = 1L << pageBits;
        _minElements = minElements;
        int superBlocks = 1 + maxBits - BitOperations.Log2((uint)minElements);
        _dataBlocksIn = new long[superBlocks];
        _dataBlockElements = new long[superBlocks];
        _startIndex = new long[superBlocks];
        _startDataBlock = new long[superBlocks];
        long start = 0, startBlock = 0;
        for (int u = 0; u < superBlocks; u++)
        {
            _dataBlocksIn[u] = 1L << Math.Min(62, u / 2);
            _dataBlockElements[u] = (1L << Math.Min(40, (u + 1) / 2)) * minElements;
            _startIndex[u] = start;
            _startDataBlock[u] = startBlock;
            start = Sat(start + Sat(_dataBlocksIn[u] * Math.Min(_dataBlockElements[u], 1L << 40)));
            startBlock = Sat(startBlock + _dataBlocksIn[u]);
        }

        _indexSuperBlocks = 2 * BitOperations.Log2((uint)minPointers);
        IndexDataBlockCount = 2 * (minPointers - 1);
        IndexSecondaryCount = Math.Max(0, superBlocks - _indexSuperBlocks);
    }

    private long IndexBlock { get; }

    private int IndexDataBlockCount { get; }

    private int IndexSecondaryCount { get; }

    /// <summary>The first <paramref name="count"/> entries (unallocated ones have an undefined address).</summary>
    public static List<ChunkEntry> Read(Hdf5Reader r, long address, bool filtered, long chunkBytes, long count)
    {
        var h = r.Cursor(address, 4 + 1 + 1 + 6 + 6 * r.LengthSize + r.OffsetSize + 4, "extensible array header");
        var ea = new ExtensibleArrayIndex(r, address, filtered, chunkBytes, h);
        var result = new List<ChunkEntry>();
        if (ea.IndexBlock == Hdf5Reader.Undefined)
        {
            for (long i = 0; i < count; i++)
            {
                result.Add(new ChunkEntry(Hdf5Reader.Undefined, 0, 0));
            }

            return result;
        }

        ea.ReadIndexBlock();
        for (long i = 0; i < count; i++)
        {
            result.Add(ea.Lookup(i));
        }

        return result;
    }

    private void ReadIndexBlock()
    {
        long size = 4 + 1 + 1 + _r.OffsetSize + (long)_indexElements * _elementSize
            + (long)(IndexDataBlockCount + IndexSecondaryCount) * _r.OffsetSize + 4;
        var c = _r.Cursor(IndexBlock, size, "extensible array index block");
        c.Signature("EAIB");
        c.Version(0, 0);
        c.U8();
        if (c.Address() != _header)
        {
            throw c.ErrorAt(6, "index block belongs to another extensible array");
        }

        int elements = c.Position;
        c.Skip(_indexElements * _elementSize);
        _indexDataBlocks = new long[IndexDataBlockCount];
        for (int i = 0; i < _indexDataBlocks.Length; i++)
        {
            _indexDataBlocks[i] = c.Address();
        }

        _indexSecondary = new long[IndexSecondaryCount];
        for (int i = 0; i < _indexSecondary.Length; i++)
        {
            _indexSecondary[i] = c.Address();
        }

        c.Checksum();
        c.Position = elements;
        _index = c;
    }

    private ChunkEntry Lookup(long index)
    {
        if (index < _indexElements)
        {
            _index.Position = 4 + 1 + 1 + _r.OffsetSize + (int)index * _elementSize;
            return ChunkEntry.Read(_index, _filtered, _sizeBytes, _chunkBytes);
        }

        long rel = index - _indexElements;
        int super = BitOperations.Log2((ulong)(rel / _minElements + 1));
        if (super >= _startIndex.Length)
        {
            throw _r.Error(_header, "extensible array header", string.Create(CultureInfo.InvariantCulture,
                $"element {index} is beyond the array's maximum size"));
        }

        long within = rel - _startIndex[super];
        long blockElements = _dataBlockElements[super];
        if (blockElements > _pageElements)
        {
            throw _r.Error(_header, "extensible array header", "paged data blocks are not supported");
        }

        long dataBlock;
        if (super < _indexSuperBlocks)
        {
            long k = _startDataBlock[super] + within / blockElements;
            if (k >= _indexDataBlocks.Length)
            {
                throw _r.Error(IndexBlock, "extensible array index block", "data block index out of range");
            }

            dataBlock = _indexDataBlocks[k];
        }
        else
        {
            long secondary = _indexSecondary[super - _indexSuperBlocks];
            if (secondary == Hdf5Reader.Undefined)
            {
                return new ChunkEntry(Hdf5Reader.Undefined, 0, 0);
            }

            var s = Block(secondary, 4 + 1 + 1 + _r.OffsetSize + _offsetBytes + _dataBlocksIn[super] * _r.OffsetSize + 4,
                "EASB", "extensible array secondary block");
            s.Position = 4 + 1 + 1 + _r.OffsetSize + _offsetBytes + (int)(within / blockElements) * _r.OffsetSize;
            dataBlock = s.Address();
        }

        if (dataBlock == Hdf5Reader.Undefined)
        {
            return new ChunkEntry(Hdf5Reader.Undefined, 0, 0);
        }

        var d = Block(dataBlock, 4 + 1 + 1 + _r.OffsetSize + _offsetBytes + blockElements * _elementSize + 4,
            "EADB", "extensible array data block");
        d.Position = 4 + 1 + 1 + _r.OffsetSize + _offsetBytes + (int)(within % blockElements) * _elementSize;
        return ChunkEntry.Read(d, _filtered, _sizeBytes, _chunkBytes);
    }

    private Hdf5Cursor Block(long address, long size, string signature, string name)
    {
        if (_blocks.TryGetValue(address, out var cached))
        {
            return cached;
        }

        var c = _r.Cursor(address, size, name);
        c.Signature(signature);
        c.Version(0, 0);
        c.U8();
        if (c.Address() != _header)
        {
            throw c.ErrorAt(6, "block belongs to another extensible array");
        }

        c.Position = (int)(size - 4);
        c.Checksum();
        _blocks[address] = c;
        return c;
    }

    private static bool IsPowerOfTwo(int v) => v > 0 && (v & (v - 1)) == 0;

    private static long Sat(long v) => v < 0 ? long.MaxValue : v;
}
