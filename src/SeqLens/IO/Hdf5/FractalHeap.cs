using System.Globalization;
using System.Numerics;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// A fractal heap ("FRHP", spec §III.G): where dense groups keep their link messages and dense attribute storage
/// keeps attribute messages. Objects are found from heap IDs: managed objects through the doubling table of
/// direct ("FHDB") and indirect ("FHIB") blocks, tiny objects inside the ID, huge objects through a version-2
/// B-tree. Filtered heaps are not supported (h5py does not write them).
/// </summary>
internal sealed class FractalHeap
{
    private readonly Hdf5Reader _r;
    private readonly long _address;
    private readonly int _idLength;
    private readonly bool _directChecksums;
    private readonly long _hugeBTree;
    private readonly int _tableWidth;
    private readonly long _startBlockSize;
    private readonly long _maxDirectBlockSize;
    private readonly int _maxHeapBits;
    private readonly long _root;
    private readonly int _rootRows;
    private readonly int _offsetBytes;
    private readonly int _lengthBytes;
    private readonly int _maxDirectRows;
    private readonly Dictionary<long, Hdf5Cursor> _directBlocks = [];

    private FractalHeap(Hdf5Reader r, long address, Hdf5Cursor c)
    {
        _r = r;
        _address = address;
        c.Signature("FRHP");
        c.Version(0, 0);
        _idLength = c.U16();
        int filterLength = c.U16();
        byte flags = c.U8();
        _directChecksums = (flags & 0x02) != 0;
        long maxManaged = c.U32();
        c.Length("next huge object id");
        _hugeBTree = c.Address();
        c.Length("free space");
        c.Address();
        c.Length("managed space");
        c.Length("allocated managed space");
        c.Length("direct block allocation iterator");
        c.Length("managed object count");
        c.Length("huge object size");
        c.Length("huge object count");
        c.Length("tiny object size");
        c.Length("tiny object count");
        _tableWidth = c.U16();
        _startBlockSize = c.Length("starting block size");
        _maxDirectBlockSize = c.Length("maximum direct block size");
        _maxHeapBits = c.U16();
        c.U16(); // starting rows of the root indirect block
        _root = c.Address();
        _rootRows = c.U16();
        if (filterLength > 0)
        {
            throw c.Error("filtered fractal heaps are not supported");
        }

        c.Checksum();
        if (_tableWidth == 0 || _tableWidth > 65536 || !IsPowerOfTwo(_startBlockSize) || !IsPowerOfTwo(_maxDirectBlockSize)
            || _maxDirectBlockSize < _startBlockSize || _maxHeapBits is < 1 or > 64 || _maxDirectBlockSize > 1L << 40)
        {
            throw c.ErrorAt(0, string.Create(CultureInfo.InvariantCulture,
                $"implausible doubling table (width {_tableWidth}, start {_startBlockSize}, max direct {_maxDirectBlockSize}, heap bits {_maxHeapBits})"));
        }

        _offsetBytes = (_maxHeapBits + 7) / 8;
        int directOffsetBytes = (Log2(_maxDirectBlockSize) + 7) / 8;
        _lengthBytes = Math.Min(directOffsetBytes, BTreeV2.EncodedSize((ulong)maxManaged));
        _maxDirectRows = Log2(_maxDirectBlockSize) - Log2(_startBlockSize) + 2;
    }

    public static FractalHeap Open(Hdf5Reader r, long address)
    {
        int size = 4 + 1 + 2 + 2 + 1 + 4 + 12 * r.LengthSize + 3 * r.OffsetSize + 2 + 2 + 2 + 2 + 4;
        return new FractalHeap(r, address, r.Cursor(address, size, "fractal heap header"));
    }

    /// <summary>The bytes of the object with heap ID <paramref name="id"/>.</summary>
    public byte[] Read(ReadOnlySpan<byte> id, long at)
    {
        if (id.Length == 0)
        {
            throw _r.Error(at, "fractal heap ID", "empty heap ID");
        }

        int version = id[0] >> 6;
        int type = (id[0] >> 4) & 0x03;
        if (version != 0)
        {
            throw _r.Error(at, "fractal heap ID", string.Create(CultureInfo.InvariantCulture, $"heap ID version {version} is not 0"));
        }

        var c = new Hdf5Cursor(_r, id.ToArray(), at, "fractal heap ID");
        c.Skip(1);
        switch (type)
        {
            case 0:
                {
                    long offset = c.Count(_offsetBytes, "managed object offset");
                    long length = c.Count(_lengthBytes, "managed object length");
                    return ReadManaged(offset, length, at);
                }

            case 1:
                return ReadHuge(c, at);
            case 2:
                {
                    int length = (id[0] & 0x0F) + 1;
                    if (_idLength > 18)
                    {
                        length = ((id[0] & 0x0F) << 8 | c.U8()) + 1;
                    }

                    return c.Bytes(length).ToArray();
                }

            default:
                throw c.ErrorAt(0, string.Create(CultureInfo.InvariantCulture, $"heap ID type {type} is unknown"));
        }
    }

    private byte[] ReadHuge(Hdf5Cursor id, long at)
    {
        // NOTE: as H5HF__huge_init: when the ID has room for an address and a length, they are stored in it
        // directly; otherwise the ID holds a key (ID length - 1 bytes) into the huge-object B-tree.
        if (_idLength - 1 >= _r.OffsetSize + _r.LengthSize)
        {
            long direct = id.Address();
            long size = id.Length("huge object length");
            return _r.ReadBytes(direct, size, "fractal heap huge object");
        }

        if (_hugeBTree == Hdf5Reader.Undefined)
        {
            throw _r.Error(at, "fractal heap ID", "huge object but the heap has no huge-object B-tree");
        }

        long key = id.Count(Math.Min(8, _idLength - 1), "huge object id");
        var tree = BTreeV2.Open(_r, _hugeBTree, 1);
        foreach (var record in tree.Records())
        {
            long address = record.Address();
            long length = record.Length("huge object length");
            long objectId = record.Length("huge object id");
            if (objectId == key)
            {
                return _r.ReadBytes(address, length, "fractal heap huge object");
            }
        }

        throw _r.Error(at, "fractal heap ID", string.Create(CultureInfo.InvariantCulture, $"huge object {key} is not in the heap's B-tree"));
    }

    private byte[] ReadManaged(long offset, long length, long at)
    {
        if (_root == Hdf5Reader.Undefined)
        {
            throw _r.Error(at, "fractal heap ID", "the heap has no managed blocks");
        }

        if (length > _maxDirectBlockSize)
        {
            throw _r.Error(at, "fractal heap ID", string.Create(CultureInfo.InvariantCulture, $"object length {length} exceeds a direct block"));
        }

        long block = _root;
        long blockOffset = 0;
        int rows = _rootRows;
        long blockSize = _startBlockSize;
        for (int depth = 0; rows > 0; depth++)
        {
            if (depth > 64)
            {
                throw _r.Error(block, "fractal heap indirect block", "indirect blocks nest too deeply (cycle?)");
            }

            (block, blockOffset, blockSize, rows) = Descend(block, blockOffset, rows, offset, at);
        }

        if (!_directBlocks.TryGetValue(block, out var direct))
        {
            direct = ReadDirect(block, blockOffset, blockSize);
            _directBlocks[block] = direct;
        }

        long within = offset - blockOffset;
        if (within < direct.Position || within + length > blockSize || within + length > direct.Data.Length)
        {
            throw _r.Error(at, "fractal heap ID", string.Create(CultureInfo.InvariantCulture,
                $"object at heap offset {offset} ({length} bytes) is outside its direct block"));
        }

        return direct.Data.AsSpan((int)within, (int)length).ToArray();
    }

    /// <summary>Reads and checks a direct block; its cursor is left at the first byte after the header.</summary>
    private Hdf5Cursor ReadDirect(long block, long blockOffset, long blockSize)
    {
        var direct = _r.Cursor(block, Math.Min(blockSize, _r.Length - block), "fractal heap direct block");
        direct.Signature("FHDB");
        direct.Version(0, 0);
        long heapAddress = direct.Address();
        if (heapAddress != _address)
        {
            throw direct.ErrorAt(5, "direct block belongs to another heap");
        }

        long stored = direct.Count(_offsetBytes, "block offset");
        if (stored != blockOffset)
        {
            throw direct.ErrorAt(5 + _r.OffsetSize, string.Create(CultureInfo.InvariantCulture,
                $"block offset {stored}, expected {blockOffset}"));
        }

        if (_directChecksums)
        {
            int checksumAt = direct.Position;
            uint storedSum = direct.U32();
            var copy = direct.Data.AsSpan(0, (int)Math.Min(blockSize, direct.Data.Length)).ToArray();
            copy.AsSpan(checksumAt, 4).Clear();
            uint computed = Lookup3.Hash(copy);
            if (storedSum != computed)
            {
                throw direct.ErrorAt(checksumAt, string.Create(CultureInfo.InvariantCulture,
                    $"checksum mismatch: stored 0x{storedSum:x8}, computed 0x{computed:x8}"));
            }
        }

        return direct;
    }

    /// <summary>Finds the child of an indirect block that holds heap offset <paramref name="offset"/>.</summary>
    private (long Address, long Offset, long Size, int Rows) Descend(long address, long blockOffset, int rows, long offset, long at)
    {
        int directRows = Math.Min(rows, _maxDirectRows);
        long entries = (long)rows * _tableWidth;
        long size = 4 + 1 + _r.OffsetSize + _offsetBytes + entries * _r.OffsetSize + 4;
        var c = _r.Cursor(address, size, "fractal heap indirect block");
        c.Signature("FHIB");
        c.Version(0, 0);
        if (c.Address() != _address)
        {
            throw c.ErrorAt(5, "indirect block belongs to another heap");
        }

        long stored = c.Count(_offsetBytes, "block offset");
        if (stored != blockOffset)
        {
            throw c.ErrorAt(5 + _r.OffsetSize, string.Create(CultureInfo.InvariantCulture, $"block offset {stored}, expected {blockOffset}"));
        }

        int entriesStart = c.Position;
        c.Position = (int)(size - 4);
        c.Checksum();
        c.Position = entriesStart;
        long start = blockOffset;
        for (int row = 0; row < rows; row++)
        {
            long rowBlockSize = row == 0 ? _startBlockSize : _startBlockSize << (row - 1);
            for (int col = 0; col < _tableWidth; col++)
            {
                long child = c.Address();
                if (offset >= start && offset < start + rowBlockSize)
                {
                    if (child == Hdf5Reader.Undefined)
                    {
                        throw _r.Error(at, "fractal heap ID", string.Create(CultureInfo.InvariantCulture,
                            $"heap offset {offset} falls in an unallocated block"));
                    }

                    if (row < directRows)
                    {
                        return (child, start, rowBlockSize, 0);
                    }

                    int childRows = Log2(rowBlockSize) - Log2(_startBlockSize * _tableWidth) + 1;
                    return (child, start, rowBlockSize, childRows);
                }

                start += rowBlockSize;
            }
        }

        throw _r.Error(at, "fractal heap ID", string.Create(CultureInfo.InvariantCulture,
            $"heap offset {offset} is beyond the indirect block at {address}"));
    }

    private static bool IsPowerOfTwo(long v) => v > 0 && (v & (v - 1)) == 0;

    private static int Log2(long v) => BitOperations.Log2((ulong)v);
}
