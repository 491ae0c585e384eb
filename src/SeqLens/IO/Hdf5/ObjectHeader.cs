using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>One header message: its type, flags and a cursor over its body.</summary>
internal sealed record HeaderMessage(int Type, byte Flags, Hdf5Cursor Body)
{
    public const int Dataspace = 0x01;
    public const int LinkInfo = 0x02;
    public const int Datatype = 0x03;
    public const int FillValueOld = 0x04;
    public const int FillValue = 0x05;
    public const int Link = 0x06;
    public const int ExternalFiles = 0x07;
    public const int Layout = 0x08;
    public const int GroupInfo = 0x0A;
    public const int FilterPipeline = 0x0B;
    public const int Attribute = 0x0C;
    public const int Continuation = 0x10;
    public const int SymbolTable = 0x11;
    public const int AttributeInfo = 0x15;

    /// <summary>Flag bit 1: the message is shared (stored in another object header or the shared-message heap).</summary>
    public bool IsShared => (Flags & 0x02) != 0;
}

/// <summary>
/// An object header (version 1, or version 2 with signature "OHDR"), with its continuation blocks followed
/// (HDF5 file format spec §IV.A). Continuation addresses are remembered so that a cycle stops with an error.
/// </summary>
internal sealed class ObjectHeader
{
    private const int MaxChunks = 4096;

    private ObjectHeader(long address, int version, List<HeaderMessage> messages)
    {
        Address = address;
        Version = version;
        Messages = messages;
    }

    public long Address { get; }

    public int Version { get; }

    public IReadOnlyList<HeaderMessage> Messages { get; }

    public HeaderMessage? Find(int type) => Messages.FirstOrDefault(m => m.Type == type);

    public IEnumerable<HeaderMessage> All(int type) => Messages.Where(m => m.Type == type);

    public static ObjectHeader Read(Hdf5Reader r, long address)
    {
        if (address == Hdf5Reader.Undefined)
        {
            throw r.Error(address, "object header", "address is undefined");
        }

        byte[] first = r.ReadUpTo(address, 4, "object header");
        if (first.Length == 4 && first[0] == 'O' && first[1] == 'H' && first[2] == 'D' && first[3] == 'R')
        {
            return ReadV2(r, address);
        }

        if (first[0] != 1)
        {
            throw r.Error(address, "object header", string.Create(CultureInfo.InvariantCulture,
                $"neither a version-1 header (first byte {first[0]}, expected 1) nor the \"OHDR\" signature"));
        }

        return ReadV1(r, address);
    }

    private static ObjectHeader ReadV1(Hdf5Reader r, long address)
    {
        var prefix = r.Cursor(address, 16, "object header v1");
        prefix.Version(1, 1);
        prefix.Skip(1);
        int messageCount = prefix.U16();
        prefix.Skip(4); // reference count
        long size = prefix.U32();
        var messages = new List<HeaderMessage>();
        var pending = new Queue<(long Address, long Length)>();
        var seen = new HashSet<long> { address + 16 };
        pending.Enqueue((address + 16, size));
        int chunks = 0;
        while (pending.Count > 0)
        {
            var (at, length) = pending.Dequeue();
            if (++chunks > MaxChunks)
            {
                throw r.Error(at, "object header v1", "more than 4096 continuation blocks");
            }

            var c = r.Cursor(at, length, "object header v1 messages");
            while (c.Remaining >= 8 && messages.Count < messageCount)
            {
                int type = c.U16();
                int bodySize = c.U16();
                byte flags = c.U8();
                c.Skip(3);
                var body = c.Slice(bodySize, MessageName(type));
                if (type == HeaderMessage.Continuation)
                {
                    Continue(r, body, seen, pending);
                }

                messages.Add(new HeaderMessage(type, flags, body));
            }
        }

        return new ObjectHeader(address, 1, messages);
    }

    private static ObjectHeader ReadV2(Hdf5Reader r, long address)
    {
        var head = r.Cursor(address, Math.Min(48, r.Length - address), "object header v2");
        head.Signature("OHDR");
        head.Version(2, 2);
        byte flags = head.U8();
        if ((flags & 0x20) != 0)
        {
            head.Skip(16); // access, modification, change and birth times
        }

        if ((flags & 0x10) != 0)
        {
            head.Skip(4); // attribute storage phase change values
        }

        int sizeBytes = 1 << (flags & 0x03);
        long chunkSize = head.Count(sizeBytes, "chunk 0 size");
        int prefix = head.Position;
        bool hasOrder = (flags & 0x04) != 0;
        var all = r.Cursor(address, prefix + chunkSize + 4, "object header v2");
        all.Position = (int)(prefix + chunkSize);
        all.Checksum();
        all.Position = prefix;
        var messages = new List<HeaderMessage>();
        var pending = new Queue<(long Address, long Length)>();
        var seen = new HashSet<long> { address };
        ReadV2Messages(r, all, (int)(prefix + chunkSize), hasOrder, messages, seen, pending);
        int chunks = 0;
        while (pending.Count > 0)
        {
            var (at, length) = pending.Dequeue();
            if (++chunks > MaxChunks)
            {
                throw r.Error(at, "object header v2", "more than 4096 continuation blocks");
            }

            var c = r.Cursor(at, length, "object header continuation block");
            c.Signature("OCHK");
            c.Position = (int)length - 4;
            if (length < 8)
            {
                throw c.ErrorAt(0, "continuation block is shorter than its signature and checksum");
            }

            c.Checksum();
            c.Position = 4;
            ReadV2Messages(r, c, (int)length - 4, hasOrder, messages, seen, pending);
        }

        return new ObjectHeader(address, 2, messages);
    }

    private static void ReadV2Messages(Hdf5Reader r, Hdf5Cursor c, int end, bool hasOrder, List<HeaderMessage> messages,
        HashSet<long> seen, Queue<(long, long)> pending)
    {
        int headerSize = hasOrder ? 6 : 4;
        while (end - c.Position >= headerSize)
        {
            int type = c.U8();
            int bodySize = c.U16();
            byte flags = c.U8();
            if (hasOrder)
            {
                c.Skip(2);
            }

            if (c.Position + bodySize > end)
            {
                throw c.Error(string.Create(CultureInfo.InvariantCulture, $"message of type {type} with {bodySize} bytes overruns its header chunk"));
            }

            var body = c.Slice(bodySize, MessageName(type));
            if (type == HeaderMessage.Continuation)
            {
                Continue(r, body, seen, pending);
            }

            messages.Add(new HeaderMessage(type, flags, body));
        }
    }

    private static void Continue(Hdf5Reader r, Hdf5Cursor body, HashSet<long> seen, Queue<(long, long)> pending)
    {
        long at = body.Address();
        long length = body.Length("continuation length");
        if (at == Hdf5Reader.Undefined || !seen.Add(at))
        {
            throw body.ErrorAt(0, string.Create(CultureInfo.InvariantCulture,
                $"continuation to {at} is undefined or already visited (cycle in object header)"));
        }

        if (length > r.Length)
        {
            throw body.ErrorAt(0, string.Create(CultureInfo.InvariantCulture, $"continuation length {length} exceeds the file"));
        }

        pending.Enqueue((at, length));
    }

    private static string MessageName(int type) => type switch
    {
        HeaderMessage.Dataspace => "dataspace message",
        HeaderMessage.LinkInfo => "link info message",
        HeaderMessage.Datatype => "datatype message",
        HeaderMessage.FillValueOld or HeaderMessage.FillValue => "fill value message",
        HeaderMessage.Link => "link message",
        HeaderMessage.Layout => "data layout message",
        HeaderMessage.FilterPipeline => "filter pipeline message",
        HeaderMessage.Attribute => "attribute message",
        HeaderMessage.Continuation => "continuation message",
        HeaderMessage.SymbolTable => "symbol table message",
        HeaderMessage.AttributeInfo => "attribute info message",
        _ => string.Create(CultureInfo.InvariantCulture, $"header message 0x{type:x4}"),
    };
}
