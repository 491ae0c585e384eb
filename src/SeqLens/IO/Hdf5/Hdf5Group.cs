using System.Buffers.Binary;
using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// A group: named links to other groups and datasets. Links are read from a symbol table (version-1 B-tree of
/// symbol table nodes + local heap; libver earliest), from link messages (compact) or from a fractal heap indexed
/// by a version-2 B-tree of name hashes (dense, more than 8 links by default).
/// </summary>
public sealed class Hdf5Group : Hdf5Object
{
    /// <summary>Soft links followed in one lookup before giving up (HDF5's default limit).</summary>
    public const int MaxSoftLinks = 16;

    private IReadOnlyList<Hdf5Link>? _links;

    internal Hdf5Group(Hdf5File file, string path, long address)
        : base(file, path, address)
    {
    }

    /// <summary>All links, sorted by name (ordinal).</summary>
    public IReadOnlyList<Hdf5Link> Links => _links ??= File.Links(Address, LoadLinks);

    /// <summary>
    /// The groups and datasets this group links to (hard links and soft links that resolve), in name order.
    /// Dangling soft links, external links and other object kinds (committed datatypes) are left out.
    /// </summary>
    public IReadOnlyList<Hdf5Object> Children
    {
        get
        {
            var result = new List<Hdf5Object>();
            foreach (var link in Links)
            {
                var o = Follow(link, 0);
                if (o is not null)
                {
                    result.Add(o);
                }
            }

            return result;
        }
    }

    /// <summary>
    /// The object at <paramref name="path"/> (relative to this group, or absolute when it starts with "/"), or
    /// null when a component is missing, a soft link dangles, an external link would have to be followed or the
    /// object is neither a group nor a dataset (a committed datatype).
    /// </summary>
    /// <exception cref="ParseException">More than <see cref="MaxSoftLinks"/> soft links (a cycle), or malformed metadata.</exception>
    public Hdf5Object? TryGet(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Resolve(path, 0);
    }

    /// <summary>The group at <paramref name="path"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such object, or it is not a group.</exception>
    public Hdf5Group Group(string path) => TryGet(path) as Hdf5Group
        ?? throw new KeyNotFoundException(Missing(path, "group"));

    /// <summary>The dataset at <paramref name="path"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such object, or it is not a dataset.</exception>
    public Hdf5Dataset Dataset(string path) => TryGet(path) as Hdf5Dataset
        ?? throw new KeyNotFoundException(Missing(path, "dataset"));

    /// <summary>
    /// Every group and dataset below this group, depth first in name order; an object reachable by several hard
    /// links (or a link back to an ancestor) is visited once.
    /// </summary>
    public IEnumerable<Hdf5Object> Walk()
    {
        var seen = new HashSet<long> { Address };
        var stack = new Stack<Hdf5Group>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var group = stack.Pop();
            var next = new List<Hdf5Group>();
            foreach (var child in group.Children)
            {
                if (!seen.Add(child.Address))
                {
                    continue;
                }

                yield return child;
                if (child is Hdf5Group g)
                {
                    next.Add(g);
                }
            }

            for (int i = next.Count - 1; i >= 0; i--)
            {
                stack.Push(next[i]);
            }
        }
    }

    private string Missing(string path, string kind)
    {
        var names = string.Join(", ", Links.Take(20).Select(l => l.Name));
        return $"{File.Path}: {Path} has no {kind} '{path}' (links here: {names}{(Links.Count > 20 ? ", ..." : "")}).";
    }

    private Hdf5Object? Resolve(string path, int hops)
    {
        Hdf5Object current = path.StartsWith('/') ? File.Root : this;
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (current is not Hdf5Group group)
            {
                return null;
            }

            var link = group.Find(part);
            if (link is null)
            {
                return null;
            }

            var next = group.Follow(link, hops);
            if (next is null)
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    private Hdf5Link? Find(string name)
    {
        var links = Links;
        int lo = 0, hi = links.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            int cmp = string.CompareOrdinal(links[mid].Name, name);
            if (cmp == 0)
            {
                return links[mid];
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return null;
    }

    private Hdf5Object? Follow(Hdf5Link link, int hops)
    {
        string childPath = Path == "/" ? "/" + link.Name : Path + "/" + link.Name;
        switch (link.Kind)
        {
            case Hdf5LinkKind.Hard:
                return File.ObjectAt(link.Address, childPath);
            case Hdf5LinkKind.Soft:
                if (hops >= MaxSoftLinks)
                {
                    throw File.Reader.Error(Address, "link '" + childPath + "'", string.Create(CultureInfo.InvariantCulture,
                        $"more than {MaxSoftLinks} soft links followed (cycle of soft links?)"));
                }

                return Resolve(link.Target!, hops + 1);
            default:
                return null;
        }
    }

    private List<Hdf5Link> LoadLinks()
    {
        var header = Header;
        var links = new List<Hdf5Link>();
        var symbolTable = header.Find(HeaderMessage.SymbolTable);
        if (symbolTable is not null)
        {
            ReadSymbolTable(File.Body(symbolTable), links);
        }

        foreach (var m in header.All(HeaderMessage.Link))
        {
            links.Add(Hdf5Link.Parse(File.Body(m)));
        }

        var info = header.Find(HeaderMessage.LinkInfo);
        if (info is not null)
        {
            ReadDense(File.Body(info), links);
        }

        links.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (int i = 1; i < links.Count; i++)
        {
            if (links[i].Name == links[i - 1].Name)
            {
                throw File.Reader.Error(Address, "group " + Path, $"link '{links[i].Name}' appears twice");
            }
        }

        return links;
    }

    private void ReadSymbolTable(Hdf5Cursor c, List<Hdf5Link> links)
    {
        var r = File.Reader;
        long tree = c.Address();
        long heapAddress = c.Address();
        var heap = LocalHeap.Read(r, heapAddress);
        int entrySize = 2 * r.OffsetSize + 24;
        foreach (long node in BTreeV1.GroupLeaves(r, tree))
        {
            var head = r.Cursor(node, 8, "symbol table node");
            head.Signature("SNOD");
            head.Version(1, 1);
            head.Skip(1);
            int count = head.U16();
            var s = r.Cursor(node + 8, (long)count * entrySize, "symbol table node");
            for (int i = 0; i < count; i++)
            {
                long nameOffset = (long)Math.Min(s.UInt(r.OffsetSize), long.MaxValue);
                long objectHeader = s.Address();
                uint cacheType = s.U32();
                s.Skip(4);
                var scratch = s.Bytes(16);
                string name = heap.String(nameOffset);
                if (cacheType == 2)
                {
                    long valueOffset = BinaryPrimitives.ReadUInt32LittleEndian(scratch);
                    links.Add(new Hdf5Link(name, Hdf5LinkKind.Soft, heap.String(valueOffset)));
                }
                else
                {
                    if (objectHeader == Hdf5Reader.Undefined)
                    {
                        throw s.Error($"symbol '{name}' has an undefined object header address");
                    }

                    links.Add(new Hdf5Link(name, Hdf5LinkKind.Hard, null) { Address = objectHeader });
                }
            }
        }
    }

    private void ReadDense(Hdf5Cursor c, List<Hdf5Link> links)
    {
        c.Version(0, 0);
        byte flags = c.U8();
        if ((flags & 0x01) != 0)
        {
            c.Skip(8); // maximum creation index
        }

        long heapAddress = c.Address();
        long nameIndex = c.Address();
        if (heapAddress == Hdf5Reader.Undefined || nameIndex == Hdf5Reader.Undefined)
        {
            return;
        }

        var heap = FractalHeap.Open(File.Reader, heapAddress);
        foreach (var record in BTreeV2.Open(File.Reader, nameIndex, 5).Records())
        {
            long at = record.FileOffset;
            record.Skip(4); // name hash
            var id = record.Bytes(record.Remaining);
            byte[] message = heap.Read(id, at);
            links.Add(Hdf5Link.Parse(new Hdf5Cursor(File.Reader, message, at, "dense link message")));
        }

    }
}
