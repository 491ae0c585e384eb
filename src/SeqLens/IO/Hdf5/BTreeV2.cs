using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// Version-2 B-trees ("BTHD"/"BTIN"/"BTLF", spec §III.A.2), read in key order with checksums verified.
/// Record types used here: 1 (huge fractal-heap objects), 5 (link names), 8 (attribute names), 10 and 11 (chunks).
/// </summary>
internal sealed class BTreeV2
{
    private const int MaxDepth = 64;

    private readonly Hdf5Reader _r;
    private readonly int _nodeSize;
    private readonly int _recordSize;
    private readonly int _depth;
    private readonly long _root;
    private readonly int _rootCount;
    private readonly int[] _maxRecords;
    private readonly int[] _countSize;
    private readonly int[] _totalSize;

    private BTreeV2(Hdf5Reader r, int type, int nodeSize, int recordSize, int depth, long root, int rootCount)
    {
        _r = r;
        Type = type;
        _nodeSize = nodeSize;
        _recordSize = recordSize;
        _depth = depth;
        _root = root;
        _rootCount = rootCount;
        _maxRecords = new int[depth + 1];
        _countSize = new int[depth + 1];
        _totalSize = new int[depth + 1];
        const int prefix = 10; // signature, version, type, checksum
        _maxRecords[0] = (nodeSize - prefix) / recordSize;
        long cumulative = _maxRecords[0];
        int leafCountSize = EncodedSize((ulong)_maxRecords[0]);
        _countSize[0] = leafCountSize;
        for (int d = 1; d <= depth; d++)
        {
            int pointer = r.OffsetSize + leafCountSize + (d > 1 ? _totalSize[d - 1] : 0);
            _maxRecords[d] = (nodeSize - (prefix + pointer)) / (recordSize + pointer);
            cumulative = SaturatingAdd(SaturatingMul(_maxRecords[d] + 1L, cumulative), _maxRecords[d]);
            _countSize[d] = leafCountSize;
            _totalSize[d] = EncodedSize((ulong)cumulative);
        }
    }

    public int Type { get; }

    public static BTreeV2 Open(Hdf5Reader r, long address, int expectedType)
    {
        var c = r.Cursor(address, 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + r.OffsetSize + 2 + r.LengthSize + 4, "B-tree v2 header");
        c.Signature("BTHD");
        c.Version(0, 0);
        int type = c.U8();
        int nodeSize = checked((int)Math.Min(c.U32(), int.MaxValue));
        int recordSize = c.U16();
        int depth = c.U16();
        c.Skip(2); // split and merge percents
        long root = c.Address();
        int rootCount = c.U16();
        c.Length("total records");
        c.Checksum();
        if (type != expectedType)
        {
            throw c.ErrorAt(5, string.Create(CultureInfo.InvariantCulture, $"record type {type}, expected {expectedType}"));
        }

        if (recordSize == 0 || nodeSize < 10 + recordSize || nodeSize > 1 << 24 || depth > MaxDepth)
        {
            throw c.ErrorAt(6, string.Create(CultureInfo.InvariantCulture,
                $"implausible node size {nodeSize}, record size {recordSize} or depth {depth}"));
        }

        return new BTreeV2(r, type, nodeSize, recordSize, depth, root, rootCount);
    }

    /// <summary>All records, in order, each as a cursor over its bytes.</summary>
    public List<Hdf5Cursor> Records()
    {
        var result = new List<Hdf5Cursor>();
        if (_root != Hdf5Reader.Undefined && _rootCount > 0)
        {
            Visit(_root, _depth, _rootCount, result, new HashSet<long>());
        }

        return result;
    }

    private void Visit(long address, int depth, int count, List<Hdf5Cursor> result, HashSet<long> seen)
    {
        string name = depth == 0 ? "B-tree v2 leaf node" : "B-tree v2 internal node";
        if (!seen.Add(address))
        {
            throw _r.Error(address, name, "node visited twice (cycle in the B-tree)");
        }

        if (count > _maxRecords[depth])
        {
            throw _r.Error(address, name, string.Create(CultureInfo.InvariantCulture,
                $"{count} records exceed the node's capacity of {_maxRecords[depth]}"));
        }

        var c = _r.Cursor(address, _nodeSize, name);
        c.Signature(depth == 0 ? "BTLF" : "BTIN");
        c.Version(0, 0);
        int type = c.U8();
        if (type != Type)
        {
            throw c.ErrorAt(5, string.Create(CultureInfo.InvariantCulture, $"record type {type}, expected {Type}"));
        }

        int recordsStart = c.Position;
        c.Skip(count * _recordSize);
        var children = new List<(long Address, int Count)>();
        if (depth > 0)
        {
            for (int i = 0; i <= count; i++)
            {
                long child = c.Address();
                long n = c.Count(_countSize[depth], "child record count");
                if (depth > 1)
                {
                    c.Count(_totalSize[depth - 1], "child total record count");
                }

                if (child == Hdf5Reader.Undefined || n > int.MaxValue)
                {
                    throw c.Error("child pointer is undefined or its record count is absurd");
                }

                children.Add((child, (int)n));
            }
        }

        c.Checksum();
        for (int i = 0; i < count; i++)
        {
            if (depth > 0)
            {
                Visit(children[i].Address, depth - 1, children[i].Count, result, seen);
            }

            c.Position = recordsStart + i * _recordSize;
            result.Add(c.Slice(_recordSize, "B-tree v2 record"));
        }

        if (depth > 0)
        {
            Visit(children[count].Address, depth - 1, children[count].Count, result, seen);
        }
    }

    /// <summary>Bytes needed to encode <paramref name="n"/> (HDF5's H5VM_limit_enc_size: log2(n)/8 + 1).</summary>
    internal static int EncodedSize(ulong n) => (n == 0 ? 0 : 63 - System.Numerics.BitOperations.LeadingZeroCount(n)) / 8 + 1;

    private static long SaturatingMul(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
