using System.Buffers.Binary;
using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// A little-endian reader over a block of bytes copied from the file, remembering where the block came from so
/// that errors name the absolute byte offset and the structure.
/// </summary>
internal sealed class Hdf5Cursor
{
    public Hdf5Cursor(Hdf5Reader reader, byte[] data, long origin, string structure)
    {
        Reader = reader;
        Data = data;
        Origin = origin;
        Structure = structure;
    }

    public Hdf5Reader Reader { get; }

    public byte[] Data { get; }

    /// <summary>Absolute file offset of <see cref="Data"/>[0].</summary>
    public long Origin { get; }

    public string Structure { get; }

    public int Position { get; set; }

    public int Remaining => Data.Length - Position;

    public long FileOffset => Origin + Position;

    public ParseException Error(string message) => Reader.Error(FileOffset, Structure, message);

    public ParseException ErrorAt(int position, string message) => Reader.Error(Origin + position, Structure, message);

    public void Need(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw Error(string.Create(CultureInfo.InvariantCulture,
                $"needs {count} more bytes but only {Remaining} remain (truncated or corrupt structure)"));
        }
    }

    public byte U8()
    {
        Need(1);
        return Data[Position++];
    }

    public ushort U16()
    {
        Need(2);
        ushort v = BinaryPrimitives.ReadUInt16LittleEndian(Data.AsSpan(Position));
        Position += 2;
        return v;
    }

    public uint U32()
    {
        Need(4);
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan(Position));
        Position += 4;
        return v;
    }

    public ulong U64()
    {
        Need(8);
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(Data.AsSpan(Position));
        Position += 8;
        return v;
    }

    /// <summary>An unsigned little-endian integer of <paramref name="size"/> bytes (0 to 8).</summary>
    public ulong UInt(int size)
    {
        if (size is < 0 or > 8)
        {
            throw Error(string.Create(CultureInfo.InvariantCulture, $"integer field of {size} bytes is not supported (1 to 8 expected)"));
        }

        Need(size);
        ulong v = 0;
        for (int i = size - 1; i >= 0; i--)
        {
            v = (v << 8) | Data[Position + i];
        }

        Position += size;
        return v;
    }

    /// <summary>An unsigned integer that must fit a non-negative long.</summary>
    public long Count(int size, string what)
    {
        int at = Position;
        ulong v = UInt(size);
        if (v > long.MaxValue)
        {
            throw ErrorAt(at, string.Create(CultureInfo.InvariantCulture, $"{what} {v} is out of range"));
        }

        return (long)v;
    }

    /// <summary>A "size of lengths" field.</summary>
    public long Length(string what) => Count(Reader.LengthSize, what);

    /// <summary>
    /// A "size of offsets" address, converted to an absolute file offset; <see cref="Hdf5Reader.Undefined"/> when
    /// all bits are set.
    /// </summary>
    public long Address()
    {
        int size = Reader.OffsetSize;
        int at = Position;
        ulong v = UInt(size);
        ulong allOnes = size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1;
        if (v == allOnes)
        {
            return Hdf5Reader.Undefined;
        }

        if (v > long.MaxValue)
        {
            throw ErrorAt(at, string.Create(CultureInfo.InvariantCulture, $"address {v} is out of range"));
        }

        return Reader.Absolute((long)v, Origin + at, Structure);
    }

    public ReadOnlySpan<byte> Bytes(int count)
    {
        Need(count);
        var span = Data.AsSpan(Position, count);
        Position += count;
        return span;
    }

    public void Skip(int count)
    {
        Need(count);
        Position += count;
    }

    /// <summary>Checks a 4-byte ASCII signature.</summary>
    public void Signature(string expected)
    {
        Need(4);
        var actual = Data.AsSpan(Position, 4);
        for (int i = 0; i < 4; i++)
        {
            if (actual[i] != expected[i])
            {
                throw Error(string.Create(CultureInfo.InvariantCulture,
                    $"bad signature: expected \"{expected}\", found {Convert.ToHexString(actual)}"));
            }
        }

        Position += 4;
    }

    /// <summary>Checks a version byte against the supported range.</summary>
    public byte Version(int min, int max)
    {
        int at = Position;
        byte v = U8();
        if (v < min || v > max)
        {
            throw ErrorAt(at, string.Create(CultureInfo.InvariantCulture, $"version {v} is not supported (expected {min} to {max})"));
        }

        return v;
    }

    /// <summary>
    /// Verifies the Jenkins lookup3 checksum stored at <see cref="Position"/> against Data[start..Position), then
    /// moves past it.
    /// </summary>
    public void Checksum(int start = 0)
    {
        int at = Position;
        uint stored = U32();
        uint computed = Lookup3.Hash(Data.AsSpan(start, at - start));
        if (stored != computed)
        {
            throw ErrorAt(at, string.Create(CultureInfo.InvariantCulture,
                $"checksum mismatch: stored 0x{stored:x8}, computed 0x{computed:x8} over {at - start} bytes (corrupt metadata)"));
        }
    }

    /// <summary>A new cursor over the next <paramref name="count"/> bytes.</summary>
    public Hdf5Cursor Slice(int count, string structure)
    {
        long origin = FileOffset;
        byte[] copy = Bytes(count).ToArray();
        return new Hdf5Cursor(Reader, copy, origin, structure);
    }
}
