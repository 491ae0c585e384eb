using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>A group or dataset of an <see cref="Hdf5File"/>, with its attributes.</summary>
public abstract class Hdf5Object
{
    private IReadOnlyDictionary<string, Hdf5Attribute>? _attributes;

    private protected Hdf5Object(Hdf5File file, string path, long address)
    {
        File = file;
        Path = path;
        Address = address;
    }

    /// <summary>The file this object belongs to.</summary>
    public Hdf5File File { get; }

    /// <summary>
    /// The absolute path by which the object was reached, e.g. <c>/model_weights/dense_1</c> (through a soft link:
    /// the path the link points to).
    /// </summary>
    public string Path { get; }

    /// <summary>The last component of <see cref="Path"/> ("/" for the root group).</summary>
    public string Name => Path == "/" ? "/" : Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>Attributes by name (compact attribute messages and dense attribute storage), in storage order.</summary>
    public IReadOnlyDictionary<string, Hdf5Attribute> Attributes => _attributes ??= LoadAttributes();

    /// <summary>Absolute address of the object header (identifies the object within the file).</summary>
    internal long Address { get; }

    internal ObjectHeader Header => File.Header(Address);

    /// <summary>A string attribute (fixed or variable length, scalar or the first element), or null when absent.</summary>
    public string? StringAttribute(string name)
        => Attributes.TryGetValue(name, out var a) && a.DataType.IsString && a.ElementCount > 0 ? a.ReadStrings()[0] : null;

    public override string ToString() => Path;

    private Dictionary<string, Hdf5Attribute> LoadAttributes()
    {
        var result = new Dictionary<string, Hdf5Attribute>(StringComparer.Ordinal);
        var header = Header;
        foreach (var m in header.All(HeaderMessage.Attribute))
        {
            var a = Hdf5Attribute.Parse(File, File.Body(m), Path);
            result[a.Name] = a;
        }

        var info = header.Find(HeaderMessage.AttributeInfo);
        if (info is null)
        {
            return result;
        }

        var c = File.Body(info);
        c.Version(0, 0);
        byte flags = c.U8();
        if ((flags & 0x01) != 0)
        {
            c.Skip(2); // maximum creation index
        }

        long heapAddress = c.Address();
        long nameIndex = c.Address();
        if (heapAddress == Hdf5Reader.Undefined || nameIndex == Hdf5Reader.Undefined)
        {
            return result;
        }

        var heap = FractalHeap.Open(File.Reader, heapAddress);
        foreach (var record in BTreeV2.Open(File.Reader, nameIndex, 8).Records())
        {
            long at = record.FileOffset;
            var id = record.Bytes(8);
            var bytes = heap.Read(id, at);
            var body = new Hdf5Cursor(File.Reader, bytes, at, "dense attribute message");
            var a = Hdf5Attribute.Parse(File, body, Path);
            if (!result.TryAdd(a.Name, a))
            {
                throw File.Reader.Error(at, "dense attribute storage", string.Create(CultureInfo.InvariantCulture, $"attribute '{a.Name}' appears twice"));
            }
        }

        return result;
    }
}
