using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SeqLens.IO.BedGraph;

namespace SeqLens.IO.BigWig;

/// <summary>
/// Reads bigWig files (ours, UCSC's, libBigWig/pyBigWig's): chromosomes, total summary, zoom levels, and the
/// intervals or per-base values of a region found through the R-tree index. bedGraph, varStep and fixedStep
/// sections are decoded. Not thread-safe.
/// </summary>
public sealed class BigWigReader : IDisposable
{
    private readonly FileStream _file;
    private readonly string _path;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<(string Name, long Size)> _chroms = [];
    private readonly List<(long Reduction, long Data, long Index)> _zooms = [];
    private readonly long _indexOffset;
    private readonly uint _uncompressBufSize;

    private BigWigReader(string path)
    {
        _path = path;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        try
        {
            byte[] h = ReadAt(0, BigWigFormat.HeaderSize);
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(h);
            if (magic != BigWigFormat.Magic)
            {
                throw new ParseException(path, 0, 0, BinaryPrimitives.ReverseEndianness(magic) == BigWigFormat.Magic
                    ? "big-endian bigWig files are not supported"
                    : $"not a bigWig file: magic 0x{magic:x8}, expected 0x{BigWigFormat.Magic:x8}");
            }

            int zoomLevels = BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(6));
            long chromTree = (long)BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(8));
            _indexOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(24));
            long summaryOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(44));
            _uncompressBufSize = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(52));
            byte[] zh = ReadAt(BigWigFormat.HeaderSize, zoomLevels * BigWigFormat.ZoomHeaderSize);
            for (int z = 0; z < zoomLevels; z++)
            {
                var s = zh.AsSpan(z * BigWigFormat.ZoomHeaderSize);
                _zooms.Add((BinaryPrimitives.ReadUInt32LittleEndian(s), (long)BinaryPrimitives.ReadUInt64LittleEndian(s[8..]), (long)BinaryPrimitives.ReadUInt64LittleEndian(s[16..])));
            }

            if (summaryOffset > 0)
            {
                byte[] sm = ReadAt(summaryOffset, BigWigFormat.SummarySize);
                Summary = new BigWigSummary((long)BinaryPrimitives.ReadUInt64LittleEndian(sm), BitConverter.ToDouble(sm, 8), BitConverter.ToDouble(sm, 16), BitConverter.ToDouble(sm, 24), BitConverter.ToDouble(sm, 32));
            }

            ReadChromTree(chromTree);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>Opens a bigWig file.</summary>
    public static BigWigReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new BigWigReader(path);
    }

    /// <summary>Chromosomes in id order (name, size).</summary>
    public IReadOnlyList<(string Name, long Size)> Chromosomes => _chroms;

    /// <summary>The total summary over all data.</summary>
    public BigWigSummary Summary { get; }

    /// <summary>Bases per bin of each zoom level.</summary>
    public IReadOnlyList<long> ZoomReductions => _zooms.Select(z => z.Reduction).ToList();

    /// <summary>The data intervals overlapping [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="chrom"/> (unclipped).</summary>
    public List<BedGraphRecord> Intervals(string chrom, long start, long end)
    {
        var result = new List<BedGraphRecord>();
        if (!_ids.TryGetValue(chrom, out int id))
        {
            return result;
        }

        foreach (var (offset, size) in FindBlocks(_indexOffset, id, start, end))
        {
            byte[] block = Inflate(offset, size);
            var b = block.AsSpan();
            if (b.Length < BigWigFormat.DataHeaderSize)
            {
                throw new ParseException(_path, 0, 0, $"data block at {offset} is shorter than its header");
            }

            uint cid = BinaryPrimitives.ReadUInt32LittleEndian(b);
            uint secStart = BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
            uint step = BinaryPrimitives.ReadUInt32LittleEndian(b[12..]);
            uint span = BinaryPrimitives.ReadUInt32LittleEndian(b[16..]);
            byte type = b[20];
            int n = BinaryPrimitives.ReadUInt16LittleEndian(b[22..]);
            int itemSize = type switch
            {
                BigWigFormat.BedGraphType => 12,
                BigWigFormat.VarStepType => 8,
                BigWigFormat.FixedStepType => 4,
                _ => throw new ParseException(_path, 0, 0, $"unknown bigWig section type {type} in block at {offset}"),
            };
            if (b.Length < BigWigFormat.DataHeaderSize + (n * itemSize))
            {
                throw new ParseException(_path, 0, 0, $"data block at {offset} holds fewer than its {n} items");
            }

            if (cid != id)
            {
                continue;
            }

            for (int i = 0; i < n; i++)
            {
                var it = b[(BigWigFormat.DataHeaderSize + (i * itemSize))..];
                long s, e;
                float v;
                switch (type)
                {
                    case BigWigFormat.BedGraphType:
                        s = BinaryPrimitives.ReadUInt32LittleEndian(it);
                        e = BinaryPrimitives.ReadUInt32LittleEndian(it[4..]);
                        v = BinaryPrimitives.ReadSingleLittleEndian(it[8..]);
                        break;
                    case BigWigFormat.VarStepType:
                        s = BinaryPrimitives.ReadUInt32LittleEndian(it);
                        e = s + span;
                        v = BinaryPrimitives.ReadSingleLittleEndian(it[4..]);
                        break;
                    default:
                        s = secStart + ((long)i * step);
                        e = s + span;
                        v = BinaryPrimitives.ReadSingleLittleEndian(it);
                        break;
                }

                if (s < end && e > start)
                {
                    result.Add(new BedGraphRecord(chrom, s, e, v));
                }
            }
        }

        result.Sort((x, y) => x.Start.CompareTo(y.Start));
        return result;
    }

    /// <summary>Per-base values of [<paramref name="start"/>, <paramref name="end"/>): NaN where there is no data (as pyBigWig).</summary>
    public float[] Values(string chrom, long start, long end)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        var values = new float[end - start];
        Array.Fill(values, float.NaN);
        foreach (BedGraphRecord r in Intervals(chrom, start, end))
        {
            for (long p = Math.Max(r.Start, start); p < Math.Min(r.End, end); p++)
            {
                values[p - start] = r.Value;
            }
        }

        return values;
    }

    /// <summary>Zoom records of level <paramref name="level"/> overlapping the region.</summary>
    public List<BigWigZoomRecord> ZoomRecords(int level, string chrom, long start, long end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, _zooms.Count);
        var result = new List<BigWigZoomRecord>();
        if (!_ids.TryGetValue(chrom, out int id))
        {
            return result;
        }

        foreach (var (offset, size) in FindBlocks(_zooms[level].Index, id, start, end))
        {
            byte[] block = Inflate(offset, size);
            for (int i = 0; i + BigWigFormat.ZoomRecordSize <= block.Length; i += BigWigFormat.ZoomRecordSize)
            {
                var r = block.AsSpan(i);
                if (BinaryPrimitives.ReadUInt32LittleEndian(r) != id)
                {
                    continue;
                }

                long s = BinaryPrimitives.ReadUInt32LittleEndian(r[4..]);
                long e = BinaryPrimitives.ReadUInt32LittleEndian(r[8..]);
                if (s < end && e > start)
                {
                    result.Add(new BigWigZoomRecord(chrom, s, e, new BigWigSummary(
                        BinaryPrimitives.ReadUInt32LittleEndian(r[12..]),
                        BinaryPrimitives.ReadSingleLittleEndian(r[16..]),
                        BinaryPrimitives.ReadSingleLittleEndian(r[20..]),
                        BinaryPrimitives.ReadSingleLittleEndian(r[24..]),
                        BinaryPrimitives.ReadSingleLittleEndian(r[28..]))));
                }
            }
        }

        result.Sort((x, y) => x.Start.CompareTo(y.Start));
        return result;
    }

    private List<(long Offset, long Size)> FindBlocks(long indexOffset, int id, long start, long end)
    {
        byte[] h = ReadAt(indexOffset, BigWigFormat.RTreeHeaderSize);
        if (BinaryPrimitives.ReadUInt32LittleEndian(h) != BigWigFormat.RTreeMagic)
        {
            throw new ParseException(_path, 0, 0, $"bad R-tree magic at offset {indexOffset}");
        }

        var result = new List<(long, long)>();
        Visit(indexOffset + BigWigFormat.RTreeHeaderSize, id, start, end, result, 0, []);
        return result;
    }

    private void Visit(long nodeOffset, int id, long start, long end, List<(long, long)> result, int depth, HashSet<long> seen)
    {
        // NOTE: a corrupt child offset can point back up the tree; refusing revisits keeps the walk finite.
        if (depth > 64 || !seen.Add(nodeOffset))
        {
            throw new ParseException(_path, 0, 0, $"R-tree node at {nodeOffset} is revisited or too deep (corrupt index)");
        }

        byte[] nh = ReadAt(nodeOffset, 4);
        bool leaf = nh[0] != 0;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(nh.AsSpan(2));
        int itemSize = leaf ? 32 : 24;
        byte[] items = ReadAt(nodeOffset + 4, count * itemSize);
        for (int i = 0; i < count; i++)
        {
            var it = items.AsSpan(i * itemSize);
            long c0 = BinaryPrimitives.ReadUInt32LittleEndian(it), s0 = BinaryPrimitives.ReadUInt32LittleEndian(it[4..]);
            long c1 = BinaryPrimitives.ReadUInt32LittleEndian(it[8..]), e1 = BinaryPrimitives.ReadUInt32LittleEndian(it[12..]);
            bool startsBeforeEnd = c0 < id || (c0 == id && s0 < end);
            bool endsAfterStart = c1 > id || (c1 == id && e1 > start);
            if (!startsBeforeEnd || !endsAfterStart)
            {
                continue;
            }

            if (leaf)
            {
                result.Add(((long)BinaryPrimitives.ReadUInt64LittleEndian(it[16..]), (long)BinaryPrimitives.ReadUInt64LittleEndian(it[24..])));
            }
            else
            {
                Visit((long)BinaryPrimitives.ReadUInt64LittleEndian(it[16..]), id, start, end, result, depth + 1, seen);
            }
        }
    }

    private byte[] Inflate(long offset, long size)
    {
        byte[] raw = ReadAt(offset, (int)size);
        if (_uncompressBufSize == 0)
        {
            return raw;
        }

        try
        {
            using var z = new ZLibStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var ms = new MemoryStream((int)Math.Min(_uncompressBufSize, 1u << 20));
            z.CopyTo(ms);
            return ms.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new ParseException(_path, 0, 0, $"corrupt zlib block at offset {offset}: {ex.Message}", ex);
        }
    }

    private void ReadChromTree(long offset)
    {
        byte[] h = ReadAt(offset, 32);
        if (BinaryPrimitives.ReadUInt32LittleEndian(h) != BigWigFormat.ChromTreeMagic)
        {
            throw new ParseException(_path, 0, 0, $"bad chromosome B+ tree magic at offset {offset}");
        }

        int keySize = (int)BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(8));
        int valSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(12));
        if (valSize != 8 || keySize is < 1 or > 4096)
        {
            throw new ParseException(_path, 0, 0, $"unsupported chromosome tree (key size {keySize}, value size {valSize})");
        }

        var found = new List<(int Id, string Name, long Size)>();
        ReadChromNode(offset + 32, keySize, found, 0, []);
        foreach (var (id, name, size) in found.OrderBy(f => f.Id))
        {
            if (id != _chroms.Count || !_ids.TryAdd(name, id))
            {
                throw new ParseException(_path, 0, 0, $"chromosome tree holds duplicate or non-consecutive entries ('{name}', id {id})");
            }

            _chroms.Add((name, size));
        }
    }

    private void ReadChromNode(long offset, int keySize, List<(int, string, long)> found, int depth, HashSet<long> seen)
    {
        if (depth > 64 || !seen.Add(offset))
        {
            throw new ParseException(_path, 0, 0, $"chromosome tree node at {offset} is revisited or too deep (corrupt file)");
        }

        byte[] nh = ReadAt(offset, 4);
        bool leaf = nh[0] != 0;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(nh.AsSpan(2));
        byte[] items = ReadAt(offset + 4, count * (keySize + 8));
        for (int i = 0; i < count; i++)
        {
            var it = items.AsSpan(i * (keySize + 8));
            if (leaf)
            {
                int len = it[..keySize].IndexOf((byte)0);
                string name = Encoding.UTF8.GetString(it[..(len < 0 ? keySize : len)]);
                found.Add(((int)BinaryPrimitives.ReadUInt32LittleEndian(it[keySize..]), name, BinaryPrimitives.ReadUInt32LittleEndian(it[(keySize + 4)..])));
            }
            else
            {
                ReadChromNode((long)BinaryPrimitives.ReadUInt64LittleEndian(it[keySize..]), keySize, found, depth + 1, seen);
            }
        }
    }

    private byte[] ReadAt(long offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > _file.Length)
        {
            throw new ParseException(_path, 0, 0, $"truncated bigWig: needs bytes [{offset}, {offset + count}) of a {_file.Length}-byte file");
        }

        var buf = new byte[count];
        _file.Position = offset;
        _file.ReadExactly(buf);
        return buf;
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();
}
