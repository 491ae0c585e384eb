using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace SeqLens.IO.Hdf5;

/// <summary>Converts raw element bytes, in the file's type and byte order, to .NET values.</summary>
internal static class ElementConverter
{
    public static float[] ToSingle(byte[] raw, Hdf5DataType type, long count, string what)
    {
        var t = type.Numeric;
        var result = new float[count];
        if (t.Class == Hdf5TypeClass.FloatingPoint && t.Size == 4)
        {
            if (!t.IsBigEndian && BitConverter.IsLittleEndian)
            {
                MemoryMarshal.Cast<byte, float>(raw.AsSpan(0, checked((int)(count * 4)))).CopyTo(result);
                return result;
            }

            for (long i = 0; i < count; i++)
            {
                var span = raw.AsSpan((int)(i * 4), 4);
                result[i] = t.IsBigEndian ? BinaryPrimitives.ReadSingleBigEndian(span) : BinaryPrimitives.ReadSingleLittleEndian(span);
            }

            return result;
        }

        var d = ToDouble(raw, type, count, what);
        for (long i = 0; i < count; i++)
        {
            result[i] = (float)d[i];
        }

        return result;
    }

    public static double[] ToDouble(byte[] raw, Hdf5DataType type, long count, string what)
    {
        var t = type.Numeric;
        var result = new double[count];
        int size = t.Size;
        if (t.Class == Hdf5TypeClass.FloatingPoint)
        {
            for (long i = 0; i < count; i++)
            {
                var s = raw.AsSpan((int)(i * size), size);
                result[i] = size switch
                {
                    2 => (double)(t.IsBigEndian ? BinaryPrimitives.ReadHalfBigEndian(s) : BinaryPrimitives.ReadHalfLittleEndian(s)),
                    4 => t.IsBigEndian ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s),
                    8 => t.IsBigEndian ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s),
                    _ => throw Unsupported(type, what),
                };
            }

            return result;
        }

        if (t.Class == Hdf5TypeClass.FixedPoint)
        {
            for (long i = 0; i < count; i++)
            {
                var s = raw.AsSpan((int)(i * size), size);
                result[i] = t.IsSigned ? SignedAt(s, t) : UnsignedAt(s, t);
            }

            return result;
        }

        throw Unsupported(type, what);
    }

    public static long[] ToInt64(byte[] raw, Hdf5DataType type, long count, string what)
    {
        var t = type.Numeric;
        if (t.Class != Hdf5TypeClass.FixedPoint)
        {
            throw new InvalidOperationException($"{what} holds {type}, not integers; use ReadFloat64 or ReadStrings.");
        }

        var result = new long[count];
        int size = t.Size;
        for (long i = 0; i < count; i++)
        {
            var s = raw.AsSpan((int)(i * size), size);
            if (t.IsSigned)
            {
                result[i] = SignedAt(s, t);
            }
            else
            {
                ulong u = UnsignedAt(s, t);
                if (u > long.MaxValue)
                {
                    throw new OverflowException(string.Create(CultureInfo.InvariantCulture, $"{what}: element {i} = {u} does not fit a signed 64-bit integer."));
                }

                result[i] = (long)u;
            }
        }

        return result;
    }

    /// <summary>Fixed-length strings: padding removed per the type's padding rule, decoded as UTF-8 (ASCII is a subset).</summary>
    public static string[] FixedStrings(byte[] raw, Hdf5DataType type, long count)
    {
        var result = new string[count];
        int size = type.Size;
        for (long i = 0; i < count; i++)
        {
            var s = raw.AsSpan((int)(i * size), size);
            result[i] = Decode(s, type.StringPadding);
        }

        return result;
    }

    public static string Decode(ReadOnlySpan<byte> s, int padding)
    {
        if (padding == 2)
        {
            s = s.TrimEnd((byte)' ');
        }

        int nul = s.IndexOf((byte)0);
        if (nul >= 0)
        {
            s = s[..nul];
        }

        return Encoding.UTF8.GetString(s);
    }

    private static long SignedAt(ReadOnlySpan<byte> s, Hdf5DataType t) => s.Length switch
    {
        1 => (sbyte)s[0],
        2 => t.IsBigEndian ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s),
        4 => t.IsBigEndian ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s),
        8 => t.IsBigEndian ? BinaryPrimitives.ReadInt64BigEndian(s) : BinaryPrimitives.ReadInt64LittleEndian(s),
        _ => SignExtend(UnsignedAt(s, t), s.Length),
    };

    /// <summary>Integers of unusual widths (3, 5, 6, 7 bytes): assembled byte by byte.</summary>
    private static ulong AnyWidth(ReadOnlySpan<byte> s, Hdf5DataType t)
    {
        if (s.Length is < 1 or > 8)
        {
            throw Unsupported(t, "integer");
        }

        ulong v = 0;
        for (int i = 0; i < s.Length; i++)
        {
            int b = t.IsBigEndian ? i : s.Length - 1 - i;
            v = (v << 8) | s[b];
        }

        return v;
    }

    private static long SignExtend(ulong v, int bytes)
    {
        int shift = 64 - 8 * bytes;
        return (long)(v << shift) >> shift;
    }

    private static ulong UnsignedAt(ReadOnlySpan<byte> s, Hdf5DataType t) => s.Length switch
    {
        1 => s[0],
        2 => t.IsBigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s),
        4 => t.IsBigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s),
        8 => t.IsBigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s),
        _ => AnyWidth(s, t),
    };

    private static NotSupportedException Unsupported(Hdf5DataType type, string what)
        => new($"{what} holds {type}, which cannot be read as numbers (integers of 1 to 8 bytes and floats of 2, 4, 8 bytes can).");
}
