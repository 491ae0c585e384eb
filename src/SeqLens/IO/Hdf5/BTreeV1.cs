using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>The location and filter state of one stored chunk; <see cref="Offset"/> is in elements.</summary>
internal sealed record ChunkRecord(long[] Offset, long Address, long Size, uint FilterMask);

/// <summary>
/// Version-1 B-trees ("TREE", spec §III.A.1): type 0 indexes a group's symbol table nodes, type 1 a dataset's
/// chunks. Traversal is bounded in depth and never visits a node twice.
/// </summary>
internal static class BTreeV1
{
    public const int MaxDepth = 64;

    /// <summary>Addresses of the symbol table nodes ("SNOD") of a group B-tree.</summary>
    public static List<long> GroupLeaves(Hdf5Reader r, long root)
    {
        var result = new List<long>();
        Walk(r, root, 0, -1, new HashSet<long>(), 0, (c, child, _) => result.Add(child), r.LengthSize);
        return result;
    }

    /// <summary>All chunks of a chunk B-tree; <paramref name="rank"/> excludes the element-size dimension.</summary>
    public static List<ChunkRecord> Chunks(Hdf5Reader r, long root, int rank)
    {
        var result = new List<ChunkRecord>();
        int keySize = 8 + 8 * (rank + 1);
        Walk(r, root, 1, -1, new HashSet<long>(), 0, (c, child, keyStart) =>
        {
            c.Position = keyStart;
            long size = c.U32();
            uint mask = c.U32();
            var offset = new long[rank];
            for (int i = 0; i < rank; i++)
            {
                offset[i] = c.Count(8, "chunk offset");
            }

            result.Add(new ChunkRecord(offset, child, size, mask));
        }, keySize);
        return result;
    }

    private static void Walk(Hdf5Reader r, long address, int type, int expectedLevel, HashSet<long> seen, int depth,
        Action<Hdf5Cursor, long, int> leaf, int keySize)
    {
        if (depth > MaxDepth)
        {
            throw r.Error(address, "B-tree v1 node", string.Create(CultureInfo.InvariantCulture, $"tree is deeper than {MaxDepth} levels (cycle?)"));
        }

        if (!seen.Add(address))
        {
            throw r.Error(address, "B-tree v1 node", "node visited twice (cycle in the B-tree)");
        }

        int headerSize = 8 + 2 * r.OffsetSize;
        var head = r.Cursor(address, headerSize, "B-tree v1 node");
        head.Signature("TREE");
        int nodeType = head.U8();
        int level = head.U8();
        int entries = head.U16();
        if (nodeType != type)
        {
            throw head.ErrorAt(4, string.Create(CultureInfo.InvariantCulture, $"node type {nodeType}, expected {type}"));
        }

        if (expectedLevel >= 0 && level != expectedLevel)
        {
            throw head.ErrorAt(5, string.Create(CultureInfo.InvariantCulture, $"node level {level}, expected {expectedLevel} below its parent"));
        }

        long bodySize = (long)entries * (keySize + r.OffsetSize) + keySize;
        var c = r.Cursor(address + headerSize, bodySize, "B-tree v1 node");
        for (int i = 0; i < entries; i++)
        {
            int keyStart = c.Position;
            c.Skip(keySize);
            long child = c.Address();
            if (child == Hdf5Reader.Undefined)
            {
                throw c.ErrorAt(keyStart + keySize, "child address is undefined");
            }

            int next = c.Position;
            if (level == 0)
            {
                leaf(c, child, keyStart);
            }
            else
            {
                Walk(r, child, type, level - 1, seen, depth + 1, leaf, keySize);
            }

            c.Position = next;
        }
    }
}
