using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// A read-only HDF5 file, in pure C#: superblock versions 0 to 3, object headers v1 and v2, groups stored as symbol
/// tables or as links (compact or dense), datasets stored compact, contiguous or chunked (B-tree v1, single chunk,
/// implicit, fixed array, extensible array, B-tree v2 indexes) with the deflate, shuffle and fletcher32 filters,
/// and attributes (compact or dense).
/// </summary>
/// <remarks>
/// Follows "HDF5 File Format Specification Version 3.0" (The HDF Group). The file stays open (one stream, random
/// access) until disposed; data is read only when a <c>Read*</c> method asks for it. Metadata v2 checksums (Jenkins
/// lookup3) are verified. Any malformed structure throws a <see cref="ParseException"/> with the file path, line 0
/// and the byte offset and structure in its message; traversals are bounded so that cycles stop with an error.
/// Not supported: external links and external storage, virtual datasets, compound/array/reference element
/// reading, filters other than deflate/shuffle/fletcher32, filtered fractal heaps, paged extensible arrays,
/// shared-message tables. One <see cref="Hdf5File"/> is not meant for concurrent use from several threads.
/// </remarks>
/// <example><code>
/// using var file = Hdf5File.Open("weights.h5");
/// float[] w = file.Root.Dataset("model_weights/conv1d_1/conv1d_1/kernel:0").ReadFloat32();
/// </code></example>
public sealed class Hdf5File : IDisposable
{
    private static readonly byte[] Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];

    private readonly Dictionary<long, ObjectHeader> _headers = [];
    private readonly Dictionary<long, GlobalHeap> _globalHeaps = [];
    private readonly Dictionary<long, IReadOnlyList<Hdf5Link>> _links = [];
    private readonly long _rootAddress;
    private Hdf5Group? _root;

    private Hdf5File(Hdf5Reader reader)
    {
        Reader = reader;
        _rootAddress = ReadSuperblock();
    }

    /// <summary>The path given to <see cref="Open(string)"/> (or the stream's description).</summary>
    public string Path => Reader.Path;

    /// <summary>Superblock version (0 and 1: libver earliest; 2: v108; 3: v110 and later).</summary>
    public int SuperblockVersion { get; private set; }

    /// <summary>The root group "/".</summary>
    public Hdf5Group Root => _root ??= new Hdf5Group(this, "/", _rootAddress);

    internal Hdf5Reader Reader { get; }

    /// <summary>Opens <paramref name="path"/> for reading.</summary>
    public static Hdf5File Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
        try
        {
            return new Hdf5File(new Hdf5Reader(stream, path, leaveOpen: false));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads an HDF5 file from a seekable stream; <paramref name="name"/> names it in errors.</summary>
    public static Hdf5File Open(Stream stream, string name, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        return new Hdf5File(new Hdf5Reader(stream, name, leaveOpen));
    }

    public void Dispose() => Reader.Dispose();

    internal ObjectHeader Header(long address)
    {
        lock (_headers)
        {
            if (!_headers.TryGetValue(address, out var header))
            {
                header = ObjectHeader.Read(Reader, address);
                _headers[address] = header;
            }

            return header;
        }
    }

    /// <summary>The links of the group at <paramref name="address"/>, loaded once per file.</summary>
    internal IReadOnlyList<Hdf5Link> Links(long address, Func<IReadOnlyList<Hdf5Link>> load)
    {
        lock (_links)
        {
            if (!_links.TryGetValue(address, out var links))
            {
                links = load();
                _links[address] = links;
            }

            return links;
        }
    }

    /// <summary>Creates the group or dataset whose object header is at <paramref name="address"/>; null for other objects.</summary>
    internal Hdf5Object? ObjectAt(long address, string path)
    {
        var header = Header(address);
        if (header.Find(HeaderMessage.Layout) is not null)
        {
            return new Hdf5Dataset(this, path, address);
        }

        foreach (var m in header.Messages)
        {
            if (m.Type is HeaderMessage.SymbolTable or HeaderMessage.LinkInfo or HeaderMessage.Link or HeaderMessage.GroupInfo)
            {
                return new Hdf5Group(this, path, address);
            }
        }

        return null; // e.g. a committed datatype
    }

    /// <summary>The body of a message, following it to another object header when it is shared.</summary>
    internal Hdf5Cursor Body(HeaderMessage message)
    {
        var c = message.Body;
        c.Position = 0;
        if (!message.IsShared)
        {
            return c;
        }

        int version = c.Version(1, 3);
        int type = c.U8();
        if (version == 1)
        {
            c.Skip(6);
        }

        if (version == 3 && type != 2)
        {
            throw c.ErrorAt(0, string.Create(CultureInfo.InvariantCulture,
                $"shared message stored in the shared-message heap (type {type}) is not supported"));
        }

        long address = c.Address();
        var target = Header(address).Find(message.Type)
            ?? throw c.ErrorAt(0, string.Create(CultureInfo.InvariantCulture,
                $"shared message points to object header {address}, which has no message of type {message.Type}"));
        if (target.IsShared)
        {
            throw c.ErrorAt(0, "shared message points to another shared message");
        }

        target.Body.Position = 0;
        return target.Body;
    }

    /// <summary>Decodes variable-length strings from their heap references (length, collection address, index).</summary>
    internal string[] VariableLengthStrings(byte[] raw, Hdf5DataType type, long count, long at)
    {
        int refSize = 4 + Reader.OffsetSize + 4;
        if (type.Size < refSize)
        {
            throw Reader.Error(at, "variable-length string", string.Create(CultureInfo.InvariantCulture,
                $"element size {type.Size} is smaller than a heap reference ({refSize} bytes)"));
        }

        var result = new string[count];
        for (long i = 0; i < count; i++)
        {
            var c = new Hdf5Cursor(Reader, raw, at, "variable-length string reference") { Position = (int)(i * type.Size) };
            long length = c.U32();
            int addressAt = c.Position;
            ulong rawAddress = c.UInt(Reader.OffsetSize);
            int index = (int)c.U32();
            if (length == 0)
            {
                result[i] = "";
                continue;
            }

            c.Position = addressAt;
            long address = c.Address();
            if (address == Hdf5Reader.Undefined || rawAddress == 0)
            {
                throw c.ErrorAt(addressAt, "string of non-zero length has no heap address");
            }

            var bytes = GlobalHeapAt(address).Object(index, at);
            if (bytes.Length < length)
            {
                throw Reader.Error(address, "global heap collection", string.Create(CultureInfo.InvariantCulture,
                    $"object {index} has {bytes.Length} bytes, the string needs {length}"));
            }

            result[i] = ElementConverter.Decode(bytes[..(int)length], type.StringPadding);
        }

        return result;
    }

    private GlobalHeap GlobalHeapAt(long address)
    {
        lock (_globalHeaps)
        {
            if (!_globalHeaps.TryGetValue(address, out var heap))
            {
                heap = GlobalHeap.Read(Reader, address);
                _globalHeaps[address] = heap;
            }

            return heap;
        }
    }

    private long ReadSuperblock()
    {
        var r = Reader;
        long at = FindSignature();
        r.BaseAddress = at;
        var c = r.Cursor(at, Math.Min(r.Length - at, 128), "superblock");
        c.Skip(8);
        int version = c.U8();
        SuperblockVersion = version;
        if (version > 3)
        {
            throw c.ErrorAt(8, string.Create(CultureInfo.InvariantCulture, $"superblock version {version} is not supported (0 to 3)"));
        }

        if (version <= 1)
        {
            c.Skip(4); // free-space, root group symbol table and shared header versions, reserved
            int offsets = c.U8();
            int lengths = c.U8();
            SetSizes(c, offsets, lengths);
            c.Skip(1 + 2 + 2 + 4); // reserved, group K values, consistency flags
            if (version == 1)
            {
                c.Skip(4); // indexed storage K, reserved
            }

            long baseAddress = (long)c.UInt(offsets);
            r.BaseAddress = baseAddress;
            c.Address(); // free-space info
            long end = (long)Math.Min(c.UInt(offsets), long.MaxValue);
            c.Address(); // driver info block
            // Root group symbol table entry: link name offset, object header address, cache type, scratch pad.
            c.UInt(offsets);
            long root = c.Address();
            CheckEnd(c, end);
            return root;
        }

        int o = c.U8();
        int l = c.U8();
        SetSizes(c, o, l);
        c.U8(); // consistency flags
        long baseAddr = (long)c.UInt(o);
        r.BaseAddress = baseAddr;
        c.Address(); // superblock extension
        long eof = (long)Math.Min(c.UInt(o), long.MaxValue);
        long rootHeader = c.Address();
        int checksumAt = c.Position;
        uint stored = c.U32();
        uint computed = Lookup3.Hash(c.Data.AsSpan(0, checksumAt));
        if (stored != computed)
        {
            throw c.ErrorAt(checksumAt, string.Create(CultureInfo.InvariantCulture,
                $"checksum mismatch: stored 0x{stored:x8}, computed 0x{computed:x8} (corrupt superblock)"));
        }

        CheckEnd(c, eof);
        return rootHeader;
    }

    private void CheckEnd(Hdf5Cursor c, long end)
    {
        // NOTE: a file shorter than its recorded end-of-file address was truncated (HDF5 refuses it too). With a
        // user block, HDF5 1.10 writes this address counted from the start of the file, not from the base address.
        if (end != long.MaxValue && end > Reader.Length)
        {
            throw c.ErrorAt(0, string.Create(CultureInfo.InvariantCulture,
                $"end-of-file address {end} is beyond the file's {Reader.Length} bytes (truncated file)"));
        }
    }

    private void SetSizes(Hdf5Cursor c, int offsets, int lengths)
    {
        if (offsets is not (2 or 4 or 8) || lengths is not (2 or 4 or 8))
        {
            throw c.Error(string.Create(CultureInfo.InvariantCulture, $"size of offsets {offsets} / lengths {lengths} must be 2, 4 or 8"));
        }

        Reader.OffsetSize = offsets;
        Reader.LengthSize = lengths;
    }

    private long FindSignature()
    {
        // The superblock is at 0 or at 512, 1024, 2048, ... (after a user block).
        for (long at = 0; at + 8 <= Reader.Length; at = at == 0 ? 512 : at * 2)
        {
            var bytes = Reader.ReadBytes(at, 8, "superblock signature");
            if (bytes.AsSpan().SequenceEqual(Signature))
            {
                return at;
            }
        }

        byte[] head = Reader.ReadBytes(0, Math.Min(8, Reader.Length), "superblock signature");
        throw Reader.Error(0, "superblock", string.Create(CultureInfo.InvariantCulture,
            $"no HDF5 signature (expected 89 48 44 46 0D 0A 1A 0A at offset 0 or 512 * 2^n; found {Convert.ToHexString(head)})"));
    }
}
