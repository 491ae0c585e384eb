using System.Globalization;
using System.Text;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// An attribute of a group or dataset (attribute message, spec §IV.A.2.m): a name, a type, a shape and a small
/// value, e.g. Keras' <c>layer_names</c> (fixed strings) or <c>model_config</c> (a variable-length string).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "An HDF5 attribute is the format's own term, not a .NET attribute; the API sketch names it so.")]
public sealed class Hdf5Attribute
{
    private readonly Hdf5File _file;
    private readonly byte[] _raw;
    private readonly long _at;
    private readonly Dataspace _space;

    private Hdf5Attribute(Hdf5File file, string name, string owner, Hdf5DataType type, Dataspace space, byte[] raw, long at)
    {
        _file = file;
        Name = name;
        Owner = owner;
        DataType = type;
        _space = space;
        _raw = raw;
        _at = at;
    }

    public string Name { get; }

    /// <summary>Path of the group or dataset holding the attribute.</summary>
    public string Owner { get; }

    public Hdf5DataType DataType { get; }

    /// <summary>Dimensions; empty for scalar and null attributes.</summary>
    public long[] Shape => (long[])_space.Dims.Clone();

    /// <summary>True for a scalar (one value, no dimensions).</summary>
    public bool IsScalar => _space.IsScalar;

    /// <summary>True for a null dataspace (no value at all, as h5py's <c>Empty</c>).</summary>
    public bool IsNull => _space.IsNull;

    /// <summary>Number of values (1 for scalar, 0 for null or empty).</summary>
    public long ElementCount => _space.ElementCount;

    /// <summary>Values as float32 (converted from float16/float64 and integers), row-major.</summary>
    public float[] ReadFloat32()
    {
        Hdf5Values.CheckNumeric(DataType, Describe());
        return ElementConverter.ToSingle(_raw, DataType, ElementCount, Describe());
    }

    /// <summary>Values as float64 (converted from float16/float32 and integers), row-major.</summary>
    public double[] ReadFloat64()
    {
        Hdf5Values.CheckNumeric(DataType, Describe());
        return ElementConverter.ToDouble(_raw, DataType, ElementCount, Describe());
    }

    /// <summary>Integer values (any width, signedness and byte order; enumerations as their base integers).</summary>
    public long[] ReadInt64() => ElementConverter.ToInt64(_raw, DataType, ElementCount, Describe());

    /// <summary>String values: fixed-length strings without their padding, or variable-length strings from the global heap.</summary>
    public string[] ReadStrings() => Hdf5Values.Strings(_file, _raw, DataType, ElementCount, Describe(), _at);

    /// <summary>The single string of a scalar (or one-element) string attribute.</summary>
    public string ReadString()
    {
        var all = ReadStrings();
        return all.Length == 1 ? all[0] : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
            $"{Describe()} holds {all.Length} strings, not one."));
    }

    public override string ToString() => Describe();

    private string Describe() => $"attribute '{Name}' of {Owner}";

    internal static Hdf5Attribute Parse(Hdf5File file, Hdf5Cursor c, string owner)
    {
        long at = c.Origin;
        int version = c.Version(1, 3);
        byte flags = c.U8();
        int nameSize = c.U16();
        int typeSize = c.U16();
        int spaceSize = c.U16();
        if (version == 3)
        {
            c.Skip(1); // name character set
        }

        int Padded(int n) => version == 1 ? (n + 7) / 8 * 8 : n;
        var nameBytes = c.Bytes(Padded(nameSize));
        var rawName = nameBytes[..Math.Min(nameSize, nameBytes.Length)];
        int nul = rawName.IndexOf((byte)0);
        string name = Encoding.UTF8.GetString(nul >= 0 ? rawName[..nul] : rawName);
        var typeCursor = c.Slice(Padded(typeSize), "attribute datatype");
        var spaceCursor = c.Slice(Padded(spaceSize), "attribute dataspace");
        if ((flags & 0x03) != 0 && version == 1)
        {
            throw c.ErrorAt(1, "version-1 attribute with shared-message flags");
        }

        Hdf5DataType type = (flags & 0x01) != 0
            ? Hdf5DataType.Parse(file.Body(new HeaderMessage(HeaderMessage.Datatype, 0x02, typeCursor)))
            : Hdf5DataType.Parse(typeCursor);
        var space = (flags & 0x02) != 0
            ? Dataspace.Parse(file.Body(new HeaderMessage(HeaderMessage.Dataspace, 0x02, spaceCursor)))
            : Dataspace.Parse(spaceCursor);
        long bytes;
        try
        {
            bytes = checked(space.ElementCount * type.Size);
        }
        catch (OverflowException)
        {
            throw c.ErrorAt(0, $"attribute '{name}' size overflows");
        }

        if (bytes > c.Remaining)
        {
            throw c.Error(string.Create(CultureInfo.InvariantCulture,
                $"attribute '{name}' needs {bytes} bytes of data but its message has {c.Remaining} left"));
        }

        byte[] raw = c.Bytes((int)bytes).ToArray();
        return new Hdf5Attribute(file, name, owner, type, space, raw, at);
    }
}
