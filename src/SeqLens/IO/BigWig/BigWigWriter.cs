using System.IO.Compression;
using System.Text;
using SeqLens.IO.BedGraph;

namespace SeqLens.IO.BigWig;

/// <summary>
/// Writes bigWig files from bedGraph intervals: header, zoom headers, total summary, chromosome B+ tree, zlib-
/// compressed bedGraph data blocks, their R-tree index, then zoom levels (summaries of bins growing 4x per
/// level from 10x the mean interval length, with their own R-trees), and the closing magic.
/// </summary>
/// <remarks>
/// Layout and field order from UCSC kent bbiFile.h/bwgInternal.h and libBigWig (bwWrite.c): version 4,
/// little-endian, nodes padded to the block size as UCSC does. Chromosome ids follow ordinal name order (the
/// B+ tree needs sorted keys); data is written in id order. Within a chromosome intervals must be sorted by start
/// and must not overlap; they must lie inside the chromosome. A zoom level is kept only while it at least
/// halves the number of records of the previous one (as bedGraphToBigWig). Checked by tools/check_interop.py:
/// pyBigWig reads our files (values, intervals, exact and zoom-based stats) and the test suite compares.
/// </remarks>
public static class BigWigWriter
{
    /// <summary>Writes <paramref name="records"/> for chromosomes <paramref name="chromSizes"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, long>> chromSizes, IEnumerable<BedGraphRecord> records, BigWigWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chromSizes);
        ArgumentNullException.ThrowIfNull(records);
        options ??= new BigWigWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ItemsPerSlot, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BlockSize, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxZoomLevels);

        var chroms = chromSizes.OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        if (chroms.Count == 0)
        {
            throw new ArgumentException("bigWig needs at least one chromosome", nameof(chromSizes));
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, size) in chroms)
        {
            if (name.Length == 0 || size <= 0 || size > uint.MaxValue || !ids.TryAdd(name, ids.Count))
            {
                throw new ArgumentException($"chromosome '{name}' (size {size}) is empty, duplicated or out of range", nameof(chromSizes));
            }
        }

        var perChrom = new List<BedGraphRecord>[chroms.Count];
        for (int i = 0; i < perChrom.Length; i++)
        {
            perChrom[i] = [];
        }

        foreach (BedGraphRecord r in records)
        {
            if (!ids.TryGetValue(r.Chrom, out int id))
            {
                throw new ArgumentException($"interval on '{r.Chrom}', which is not among the chromosome sizes", nameof(records));
            }

            var list = perChrom[id];
            if (r.Start < 0 || r.End <= r.Start || r.End > chroms[id].Value)
            {
                throw new ArgumentException($"interval {r.Chrom}:{r.Start}-{r.End} must satisfy 0 <= start < end <= {chroms[id].Value}", nameof(records));
            }

            if (list.Count > 0 && r.Start < list[^1].End)
            {
                throw new ArgumentException($"intervals on {r.Chrom} must be sorted and not overlap: {r.Start} after {list[^1].Start}-{list[^1].End}", nameof(records));
            }

            list.Add(r);
        }

        AtomicFile.Write(path, s => WriteTo(s, chroms, perChrom, options));
    }

    private sealed record Block(int ChromId, long Start, long End, long Offset, long Size);

    private static void WriteTo(Stream stream, List<KeyValuePair<string, long>> chroms, List<BedGraphRecord>[] perChrom, BigWigWriterOptions o)
    {
        using var w = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
        List<long> reductions = ChooseReductions(chroms, perChrom, o.MaxZoomLevels, out List<List<BigWigZoomRecord>[]> zoomData);
        int zoomLevels = reductions.Count;

        w.Write(new byte[BigWigFormat.HeaderSize + (zoomLevels * BigWigFormat.ZoomHeaderSize) + BigWigFormat.SummarySize]);
        long summaryOffset = BigWigFormat.HeaderSize + (zoomLevels * BigWigFormat.ZoomHeaderSize);
        long chromTreeOffset = w.BaseStream.Position;
        WriteChromTree(w, chroms, o.BlockSize);

        // Full-resolution data.
        long dataOffset = w.BaseStream.Position;
        int maxUncompressed = 0;
        var blocks = new List<Block>();
        w.Write(0UL); // block count, patched below
        var buf = new MemoryStream();
        for (int id = 0; id < perChrom.Length; id++)
        {
            var list = perChrom[id];
            for (int i = 0; i < list.Count; i += o.ItemsPerSlot)
            {
                int n = Math.Min(o.ItemsPerSlot, list.Count - i);
                buf.SetLength(0);
                using (var bw = new BinaryWriter(buf, Encoding.ASCII, leaveOpen: true))
                {
                    bw.Write((uint)id);
                    bw.Write((uint)list[i].Start);
                    bw.Write((uint)list[i + n - 1].End);
                    bw.Write(0u); // itemStep
                    bw.Write(0u); // itemSpan
                    bw.Write(BigWigFormat.BedGraphType);
                    bw.Write((byte)0);
                    bw.Write((ushort)n);
                    for (int k = i; k < i + n; k++)
                    {
                        bw.Write((uint)list[k].Start);
                        bw.Write((uint)list[k].End);
                        bw.Write(list[k].Value);
                    }
                }

                maxUncompressed = Math.Max(maxUncompressed, (int)buf.Length);
                long off = w.BaseStream.Position;
                WriteBlock(w, buf, o.Compress);
                blocks.Add(new Block(id, list[i].Start, list[i + n - 1].End, off, w.BaseStream.Position - off));
            }
        }

        long indexOffset = w.BaseStream.Position;
        w.BaseStream.Position = dataOffset;
        w.Write((ulong)blocks.Count);
        w.BaseStream.Position = indexOffset;
        WriteRTree(w, blocks, o.BlockSize, o.ItemsPerSlot, indexOffset);

        // Zoom levels.
        var zoomHeaders = new List<(long Reduction, long Data, long Index)>();
        for (int z = 0; z < zoomLevels; z++)
        {
            long zData = w.BaseStream.Position;
            int total = zoomData[z].Sum(l => l.Count);
            w.Write((uint)total);
            var zBlocks = new List<Block>();
            for (int id = 0; id < chroms.Count; id++)
            {
                var list = zoomData[z][id];
                for (int i = 0; i < list.Count; i += o.ItemsPerSlot)
                {
                    int n = Math.Min(o.ItemsPerSlot, list.Count - i);
                    buf.SetLength(0);
                    using (var bw = new BinaryWriter(buf, Encoding.ASCII, leaveOpen: true))
                    {
                        for (int k = i; k < i + n; k++)
                        {
                            BigWigZoomRecord r = list[k];
                            bw.Write((uint)id);
                            bw.Write((uint)r.Start);
                            bw.Write((uint)r.End);
                            bw.Write((uint)r.Summary.ValidCount);
                            bw.Write((float)r.Summary.Min);
                            bw.Write((float)r.Summary.Max);
                            bw.Write((float)r.Summary.Sum);
                            bw.Write((float)r.Summary.SumSquares);
                        }
                    }

                    maxUncompressed = Math.Max(maxUncompressed, (int)buf.Length);
                    long off = w.BaseStream.Position;
                    WriteBlock(w, buf, o.Compress);
                    zBlocks.Add(new Block(id, list[i].Start, list[i + n - 1].End, off, w.BaseStream.Position - off));
                }
            }

            long zIndex = w.BaseStream.Position;
            WriteRTree(w, zBlocks, o.BlockSize, o.ItemsPerSlot, zIndex);
            zoomHeaders.Add((reductions[z], zData, zIndex));
        }

        w.Write(BigWigFormat.Magic);
        long end = w.BaseStream.Position;

        // Header.
        w.BaseStream.Position = 0;
        w.Write(BigWigFormat.Magic);
        w.Write((ushort)4);
        w.Write((ushort)zoomLevels);
        w.Write((ulong)chromTreeOffset);
        w.Write((ulong)dataOffset);
        w.Write((ulong)indexOffset);
        w.Write((ushort)0); // fieldCount
        w.Write((ushort)0); // definedFieldCount
        w.Write(0UL); // autoSqlOffset
        w.Write((ulong)summaryOffset);
        w.Write(o.Compress ? (uint)maxUncompressed : 0u);
        w.Write(0UL); // extensionOffset
        foreach (var (reduction, zd, zi) in zoomHeaders)
        {
            w.Write((uint)reduction);
            w.Write(0u);
            w.Write((ulong)zd);
            w.Write((ulong)zi);
        }

        BigWigSummary total2 = Summarize(perChrom.SelectMany(l => l));
        w.Write((ulong)total2.ValidCount);
        w.Write(total2.Min);
        w.Write(total2.Max);
        w.Write(total2.Sum);
        w.Write(total2.SumSquares);
        w.BaseStream.Position = end;
    }

    private static void WriteBlock(BinaryWriter w, MemoryStream raw, bool compress)
    {
        if (!compress)
        {
            w.Write(raw.GetBuffer(), 0, (int)raw.Length);
            return;
        }

        w.Flush();
        using var z = new ZLibStream(w.BaseStream, CompressionLevel.Optimal, leaveOpen: true);
        z.Write(raw.GetBuffer(), 0, (int)raw.Length);
    }

    internal static BigWigSummary Summarize(IEnumerable<BedGraphRecord> records)
    {
        long n = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, sq = 0;
        foreach (BedGraphRecord r in records)
        {
            long len = r.End - r.Start;
            n += len;
            min = Math.Min(min, r.Value);
            max = Math.Max(max, r.Value);
            sum += (double)r.Value * len;
            sq += (double)r.Value * r.Value * len;
        }

        return n == 0 ? new BigWigSummary(0, 0, 0, 0, 0) : new BigWigSummary(n, min, max, sum, sq);
    }

    private static List<long> ChooseReductions(List<KeyValuePair<string, long>> chroms, List<BedGraphRecord>[] perChrom, int maxLevels, out List<List<BigWigZoomRecord>[]> data)
    {
        data = [];
        var reductions = new List<long>();
        long items = perChrom.Sum(l => (long)l.Count);
        if (items == 0 || maxLevels == 0)
        {
            return reductions;
        }

        long bases = perChrom.Sum(l => l.Sum(r => r.End - r.Start));
        long reduction = Math.Max(10, 10 * (long)Math.Ceiling((double)bases / items));
        long maxChrom = chroms.Max(c => c.Value);
        long previous = items;
        for (int level = 0; level < maxLevels && reduction <= maxChrom && reduction <= int.MaxValue; level++, reduction *= 4)
        {
            var levelData = new List<BigWigZoomRecord>[chroms.Count];
            long count = 0;
            for (int id = 0; id < chroms.Count; id++)
            {
                levelData[id] = Zoom(chroms[id].Key, chroms[id].Value, perChrom[id], reduction);
                count += levelData[id].Count;
            }

            if (count * 2 > previous)
            {
                break;
            }

            reductions.Add(reduction);
            data.Add(levelData);
            previous = count;
        }

        return reductions;
    }

    /// <summary>Summaries of bins [k·r, (k+1)·r) (clipped to the chromosome) that hold data.</summary>
    internal static List<BigWigZoomRecord> Zoom(string chrom, long size, List<BedGraphRecord> records, long reduction)
    {
        var result = new List<BigWigZoomRecord>();
        long bin = -1;
        long n = 0;
        double min = 0, max = 0, sum = 0, sq = 0;

        void Flush()
        {
            if (n > 0)
            {
                result.Add(new BigWigZoomRecord(chrom, bin * reduction, Math.Min((bin + 1) * reduction, size), new BigWigSummary(n, min, max, sum, sq)));
            }

            n = 0;
            sum = 0;
            sq = 0;
        }

        foreach (BedGraphRecord r in records)
        {
            long s = r.Start;
            while (s < r.End)
            {
                long b = s / reduction;
                long e = Math.Min(r.End, (b + 1) * reduction);
                if (b != bin)
                {
                    Flush();
                    bin = b;
                }

                long ov = e - s;
                if (n == 0)
                {
                    min = max = r.Value;
                }
                else
                {
                    min = Math.Min(min, r.Value);
                    max = Math.Max(max, r.Value);
                }

                n += ov;
                sum += (double)r.Value * ov;
                sq += (double)r.Value * r.Value * ov;
                s = e;
            }
        }

        Flush();
        return result;
    }

    private static void WriteChromTree(BinaryWriter w, List<KeyValuePair<string, long>> chroms, int maxBlock)
    {
        int keySize = chroms.Max(c => Encoding.UTF8.GetByteCount(c.Key));
        int bs = Math.Min(maxBlock, chroms.Count);
        long treeStart = w.BaseStream.Position;
        w.Write(BigWigFormat.ChromTreeMagic);
        w.Write((uint)bs);
        w.Write((uint)keySize);
        w.Write(8u);
        w.Write((ulong)chroms.Count);
        w.Write(0UL);

        // Levels from the leaves up: level 0 = chromosomes; each level groups bs items of the one below.
        var levelCounts = new List<int> { chroms.Count };
        while (levelCounts[^1] > bs)
        {
            levelCounts.Add((levelCounts[^1] + bs - 1) / bs);
        }

        // Nodes of level L (L >= 1 counts nodes holding items of level L-1); write top level first.
        int top = levelCounts.Count; // number of node levels
        long nodeSizeLeaf = 4 + ((long)bs * (keySize + 8));
        long nodeSize = nodeSizeLeaf; // non-leaf items are also keySize + 8 bytes
        var levelStart = new long[top + 1];
        long pos = treeStart + 32;
        for (int level = top; level >= 1; level--)
        {
            levelStart[level] = pos;
            int nodes = (levelCounts[level - 1] + bs - 1) / bs;
            pos += nodes * nodeSize;
        }

        var key = new byte[keySize];
        for (int level = top; level >= 1; level--)
        {
            int items = levelCounts[level - 1];
            int nodes = (items + bs - 1) / bs;
            for (int node = 0; node < nodes; node++)
            {
                int first = node * bs;
                int count = Math.Min(bs, items - first);
                w.Write(level == 1 ? (byte)1 : (byte)0);
                w.Write((byte)0);
                w.Write((ushort)count);
                for (int k = 0; k < bs; k++)
                {
                    Array.Clear(key);
                    if (k < count)
                    {
                        int item = first + k;
                        // The key of a subtree is the first chromosome under it.
                        long span = 1;
                        for (int l = 1; l < level; l++)
                        {
                            span *= bs;
                        }

                        Encoding.UTF8.GetBytes(chroms[(int)(item * span)].Key, key);
                        w.Write(key);
                        if (level == 1)
                        {
                            w.Write((uint)item);
                            w.Write((uint)chroms[item].Value);
                        }
                        else
                        {
                            w.Write((ulong)(levelStart[level - 1] + (item * nodeSize)));
                        }
                    }
                    else
                    {
                        w.Write(key);
                        w.Write(0UL);
                    }
                }
            }
        }
    }

    private static void WriteRTree(BinaryWriter w, List<Block> blocks, int bs, int itemsPerSlot, long indexOffset)
    {
        w.Write(BigWigFormat.RTreeMagic);
        w.Write((uint)bs);
        w.Write((ulong)blocks.Count);
        w.Write(blocks.Count > 0 ? (uint)blocks[0].ChromId : 0u);
        w.Write(blocks.Count > 0 ? (uint)blocks[0].Start : 0u);
        w.Write(blocks.Count > 0 ? (uint)blocks[^1].ChromId : 0u);
        w.Write(blocks.Count > 0 ? (uint)blocks.Where(b => b.ChromId == blocks[^1].ChromId).Max(b => b.End) : 0u);
        w.Write((ulong)indexOffset); // endFileOffset: where the data before this index ends
        w.Write((uint)itemsPerSlot);
        w.Write(0u);

        // Bounding boxes per level, leaves first: level 0 = blocks.
        var levels = new List<List<(int C0, long S, int C1, long E)>> { blocks.Select(b => (b.ChromId, b.Start, b.ChromId, b.End)).ToList() };
        while (true)
        {
            var below = levels[^1];
            var up = new List<(int, long, int, long)>();
            for (int i = 0; i < below.Count; i += bs)
            {
                var group = below.Skip(i).Take(bs).ToList();
                var first = group[0];
                var last = group.MaxBy(g => ((long)g.C1 << 32) + g.E);
                up.Add((first.C0, first.S, last.C1, last.E));
            }

            levels.Add(up);
            if (up.Count <= 1)
            {
                break;
            }
        }

        // Node levels: node level L (1..top) holds items of levels[L-1]; level 1 = leaves.
        int top = levels.Count - 1;
        if (blocks.Count == 0)
        {
            top = 1;
        }

        long leafSize = 4 + ((long)bs * 32);
        long innerSize = 4 + ((long)bs * 24);
        var levelStart = new long[top + 1];
        long pos = w.BaseStream.Position;
        for (int level = top; level >= 1; level--)
        {
            levelStart[level] = pos;
            int nodes = Math.Max(1, (levels[level - 1].Count + bs - 1) / bs);
            pos += nodes * (level == 1 ? leafSize : innerSize);
        }

        for (int level = top; level >= 1; level--)
        {
            var items = levels[level - 1];
            int nodes = Math.Max(1, (items.Count + bs - 1) / bs);
            for (int node = 0; node < nodes; node++)
            {
                int first = node * bs;
                int count = Math.Max(0, Math.Min(bs, items.Count - first));
                w.Write(level == 1 ? (byte)1 : (byte)0);
                w.Write((byte)0);
                w.Write((ushort)count);
                for (int k = 0; k < bs; k++)
                {
                    if (k < count)
                    {
                        var it = items[first + k];
                        w.Write((uint)it.C0);
                        w.Write((uint)it.S);
                        w.Write((uint)it.C1);
                        w.Write((uint)it.E);
                        if (level == 1)
                        {
                            w.Write((ulong)blocks[first + k].Offset);
                            w.Write((ulong)blocks[first + k].Size);
                        }
                        else
                        {
                            w.Write((ulong)(levelStart[level - 1] + ((first + k) * (level - 1 == 1 ? leafSize : innerSize))));
                        }
                    }
                    else
                    {
                        w.Write(new byte[level == 1 ? 32 : 24]);
                    }
                }
            }
        }
    }
}
