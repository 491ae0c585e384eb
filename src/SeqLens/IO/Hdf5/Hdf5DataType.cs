using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// The element type of a dataset or attribute, as stored in the file (datatype message, HDF5 file format spec
/// §IV.A.2.d). Readers convert from it: integers of 1 to 8 bytes (signed or unsigned, either byte order),
/// IEEE floats of 2, 4 or 8 bytes, fixed-length strings and variable-length strings; enumerations read as their
/// base integers.
/// </summary>
public sealed class Hdf5DataType
{
    private Hdf5DataType(Hdf5TypeClass typeClass, int size)
    {
        Class = typeClass;
        Size = size;
    }

    /// <summary>The datatype class.</summary>
    public Hdf5TypeClass Class { get; }

    /// <summary>Bytes of one element in the file (for variable-length data, the size of the heap reference).</summary>
    public int Size { get; }

    /// <summary>True for big-endian integers and floats.</summary>
    public bool IsBigEndian { get; private init; }

    /// <summary>True for signed integers.</summary>
    public bool IsSigned { get; private init; }

    /// <summary>True for fixed- and variable-length strings.</summary>
    public bool IsString => Class == Hdf5TypeClass.String || IsVariableLengthString;

    /// <summary>True for variable-length strings (stored in the global heap).</summary>
    public bool IsVariableLengthString { get; private init; }

    /// <summary>True when the string character set is UTF-8 (otherwise ASCII).</summary>
    public bool IsUtf8 { get; private init; }

    /// <summary>The base type of enumerations and variable-length sequences; null otherwise.</summary>
    public Hdf5DataType? BaseType { get; private init; }

    /// <summary>String padding: 0 null-terminated, 1 null-padded, 2 space-padded.</summary>
    internal int StringPadding { get; private init; }

    /// <summary>The integer or float type numbers are read through (the base type of an enumeration).</summary>
    internal Hdf5DataType Numeric => Class == Hdf5TypeClass.Enumerated && BaseType is not null ? BaseType : this;

    /// <summary>A short description, e.g. <c>float32 (little-endian)</c>, <c>string[19] (ascii)</c>, <c>vlen string (utf-8)</c>.</summary>
    public override string ToString()
    {
        string order = IsBigEndian ? "big-endian" : "little-endian";
        string charset = IsUtf8 ? "utf-8" : "ascii";
        return Class switch
        {
            Hdf5TypeClass.FixedPoint => string.Create(CultureInfo.InvariantCulture, $"{(IsSigned ? "int" : "uint")}{Size * 8} ({order})"),
            Hdf5TypeClass.FloatingPoint => string.Create(CultureInfo.InvariantCulture, $"float{Size * 8} ({order})"),
            Hdf5TypeClass.String => string.Create(CultureInfo.InvariantCulture, $"string[{Size}] ({charset})"),
            Hdf5TypeClass.VariableLength when IsVariableLengthString => $"vlen string ({charset})",
            Hdf5TypeClass.Enumerated => $"enum of {BaseType}",
            _ => string.Create(CultureInfo.InvariantCulture, $"{Class} ({Size} bytes)"),
        };
    }

    /// <summary>Parses a datatype message at the cursor (which it leaves after the message's properties when known).</summary>
    internal static Hdf5DataType Parse(Hdf5Cursor c, int depth = 0)
    {
        if (depth > 8)
        {
            throw c.Error("datatype nests deeper than 8 levels");
        }

        int start = c.Position;
        byte classAndVersion = c.U8();
        int version = classAndVersion >> 4;
        int typeClass = classAndVersion & 0x0F;
        if (version is < 1 or > 5)
        {
            throw c.ErrorAt(start, string.Create(CultureInfo.InvariantCulture, $"datatype version {version} is not supported (1 to 5 expected)"));
        }

        if (typeClass > 10)
        {
            throw c.ErrorAt(start, string.Create(CultureInfo.InvariantCulture, $"datatype class {typeClass} is unknown (0 to 10 expected)"));
        }

        uint bits = c.U8() | ((uint)c.U8() << 8) | ((uint)c.U8() << 16);
        uint size = c.U32();
        if (size == 0 && typeClass != (int)Hdf5TypeClass.VariableLength || size > (1u << 24))
        {
            throw c.ErrorAt(start, string.Create(CultureInfo.InvariantCulture, $"datatype size {size} is not plausible"));
        }

        var cls = (Hdf5TypeClass)typeClass;
        switch (cls)
        {
            case Hdf5TypeClass.FixedPoint:
                c.Skip(4); // bit offset, bit precision
                return new Hdf5DataType(cls, (int)size) { IsBigEndian = (bits & 1) != 0, IsSigned = (bits & 8) != 0 };
            case Hdf5TypeClass.FloatingPoint:
                {
                    c.Skip(12); // bit offset, precision, exponent and mantissa layout, exponent bias
                    if ((bits & 0x40) != 0)
                    {
                        throw c.ErrorAt(start, "VAX-order floating point is not supported");
                    }

                    return new Hdf5DataType(cls, (int)size) { IsBigEndian = (bits & 1) != 0 };
                }

            case Hdf5TypeClass.String:
                return new Hdf5DataType(cls, (int)size) { StringPadding = (int)(bits & 0x0F), IsUtf8 = ((bits >> 4) & 0x0F) == 1 };
            case Hdf5TypeClass.VariableLength:
                {
                    bool isString = (bits & 0x0F) == 1;
                    var baseType = Parse(c, depth + 1);
                    return new Hdf5DataType(cls, (int)size)
                    {
                        IsVariableLengthString = isString,
                        StringPadding = (int)((bits >> 4) & 0x0F),
                        IsUtf8 = ((bits >> 8) & 0x0F) == 1,
                        BaseType = baseType,
                    };
                }

            case Hdf5TypeClass.Enumerated:
                {
                    var baseType = Parse(c, depth + 1);
                    // NOTE: member names and values follow; readers only need the base type, and the enclosing
                    // message's size tells where the message ends.
                    return new Hdf5DataType(cls, (int)size) { BaseType = baseType };
                }

            default:
                // NOTE: other classes are recognised but not decoded; the message size bounds them.
                return new Hdf5DataType(cls, (int)size);
        }
    }
}
