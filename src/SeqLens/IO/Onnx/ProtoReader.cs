using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SeqLens.IO.Onnx;

/// <summary>Protocol-buffer wire types (the low three bits of a field tag).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>
/// A small, bounds-checked reader of the protocol-buffer wire format over one message of a byte buffer.
/// </summary>
/// <remarks>
/// Encoding: https://protobuf.dev/programming-guides/encoding/. Fields are read in a loop with <see cref="Next"/>;
/// each nested message gets its own reader over its byte range (<see cref="ReadMessage"/>), one level deeper.
/// Every failure (a truncated varint, a length past the end of the enclosing message, nesting deeper than
/// <see cref="MaxDepth"/>, a wire type that does not fit the field) is a <see cref="ParseException"/> naming the
/// file, the absolute byte offset, the message and the field number. Groups (wire types 3 and 4, deprecated and
/// never used by ONNX) are rejected rather than skipped.
/// </remarks>
internal sealed class ProtoReader
{
    /// <summary>Deepest message nesting accepted (ONNX graphs nest through If/Loop/Scan bodies).</summary>
    public const int MaxDepth = 64;

    private readonly byte[] _buffer;
    private readonly int _end;
    private int _pos;
    private int _fieldStart;

    /// <summary>A reader over <c>buffer[start..end)</c>, the body of message <paramref name="message"/>.</summary>
    public ProtoReader(byte[] buffer, int start, int end, string path, string message, int depth = 0)
    {
        _buffer = buffer;
        _pos = start;
        _fieldStart = start;
        _end = end;
        Path = path;
        Message = message;
        Depth = depth;
        Start = start;
    }

    /// <summary>File name used in messages.</summary>
    public string Path { get; }

    /// <summary>Name of the message being read, e.g. <c>TensorProto</c>.</summary>
    public string Message { get; }

    /// <summary>Nesting depth (0 for the top-level message).</summary>
    public int Depth { get; }

    /// <summary>Byte offset where the message starts.</summary>
    public int Start { get; }

    /// <summary>Number of the current field (valid after <see cref="Next"/> returned true).</summary>
    public int Field { get; private set; }

    /// <summary>Wire type of the current field.</summary>
    public WireType WireType { get; private set; }

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool Next()
    {
        if (_pos >= _end)
        {
            return false;
        }

        _fieldStart = _pos;
        Field = 0;
        ulong tag = ReadRawVarint();
        ulong field = tag >> 3;
        int wire = (int)(tag & 7);
        if (field == 0 || field > 536_870_911)
        {
            throw Fail($"invalid field number {field.ToString(CultureInfo.InvariantCulture)} in tag");
        }

        Field = (int)field;
        if (wire is 6 or 7)
        {
            throw Fail($"invalid wire type {wire.ToString(CultureInfo.InvariantCulture)}");
        }

        WireType = (WireType)wire;
        return true;
    }

    /// <summary>Skips the current field (unknown fields are ignored, as protobuf requires).</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case WireType.Varint:
                ReadRawVarint();
                break;
            case WireType.Fixed64:
                Advance(8);
                break;
            case WireType.Fixed32:
                Advance(4);
                break;
            case WireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            default:
                throw Fail("groups (wire types 3 and 4) are not supported");
        }
    }

    /// <summary>A varint field as an unsigned 64-bit value.</summary>
    public ulong ReadVarint()
    {
        Expect(WireType.Varint);
        return ReadRawVarint();
    }

    /// <summary>An <c>int64</c> field.</summary>
    public long ReadInt64() => unchecked((long)ReadVarint());

    /// <summary>An <c>int32</c> or enum field (negative values are sign-extended 10-byte varints).</summary>
    public int ReadInt32() => unchecked((int)ReadVarint());

    /// <summary>A <c>float</c> field.</summary>
    public float ReadFloat()
    {
        Expect(WireType.Fixed32);
        return BinaryPrimitives.ReadSingleLittleEndian(Advance(4));
    }

    /// <summary>A <c>string</c> field (UTF-8).</summary>
    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>A <c>bytes</c> field as a span over the buffer (no copy).</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        Expect(WireType.LengthDelimited);
        (int start, int length) = ReadLengthDelimited();
        return _buffer.AsSpan(start, length);
    }

    /// <summary>A nested message: a reader over its bytes, one level deeper.</summary>
    public ProtoReader ReadMessage(string message)
    {
        Expect(WireType.LengthDelimited);
        if (Depth + 1 > MaxDepth)
        {
            throw Fail($"messages nest deeper than {MaxDepth.ToString(CultureInfo.InvariantCulture)} levels");
        }

        (int start, int length) = ReadLengthDelimited();
        return new ProtoReader(_buffer, start, start + length, Path, message, Depth + 1);
    }

    /// <summary>Appends a repeated varint field (packed or not) as <c>int64</c> values.</summary>
    public void ReadInt64s(List<long> into)
    {
        if (WireType == WireType.LengthDelimited)
        {
            (int start, int length) = ReadLengthDelimited();
            var sub = new ProtoReader(_buffer, start, start + length, Path, Message, Depth) { Field = Field };
            while (sub._pos < sub._end)
            {
                into.Add(unchecked((long)sub.ReadRawVarint()));
            }
        }
        else
        {
            into.Add(ReadInt64());
        }
    }

    /// <summary>Appends a repeated <c>float</c> field (packed or not).</summary>
    public void ReadFloats(List<float> into)
    {
        if (WireType == WireType.LengthDelimited)
        {
            ReadOnlySpan<byte> bytes = PackedFixed(4);
            into.EnsureCapacity(into.Count + (bytes.Length / 4));
            for (int i = 0; i < bytes.Length; i += 4)
            {
                into.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]));
            }
        }
        else
        {
            into.Add(ReadFloat());
        }
    }

    /// <summary>Appends a repeated <c>double</c> field (packed or not).</summary>
    public void ReadDoubles(List<double> into)
    {
        if (WireType == WireType.LengthDelimited)
        {
            ReadOnlySpan<byte> bytes = PackedFixed(8);
            into.EnsureCapacity(into.Count + (bytes.Length / 8));
            for (int i = 0; i < bytes.Length; i += 8)
            {
                into.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes[i..]));
            }
        }
        else
        {
            Expect(WireType.Fixed64);
            into.Add(BinaryPrimitives.ReadDoubleLittleEndian(Advance(8)));
        }
    }

    /// <summary>A <see cref="ParseException"/> at the current field: file, byte offset, message and field.</summary>
    public ParseException Fail(string reason) => FailAt(_fieldStart, Field, reason);

    /// <summary>A <see cref="ParseException"/> about the message as a whole (at its first byte).</summary>
    public ParseException FailMessage(string reason) => FailAt(Start, 0, reason);

    private ParseException FailAt(int offset, int field, string reason)
    {
        string where = "byte " + offset.ToString(CultureInfo.InvariantCulture) + " in " + Message;
        if (field > 0)
        {
            where += " field " + field.ToString(CultureInfo.InvariantCulture);
        }

        return new ParseException(Path, 0, 0, where + ": " + reason);
    }

    private void Expect(WireType expected)
    {
        if (WireType != expected)
        {
            throw Fail($"wire type {WireType} where {expected} was expected");
        }
    }

    private ReadOnlySpan<byte> PackedFixed(int width)
    {
        (int start, int length) = ReadLengthDelimited();
        if (length % width != 0)
        {
            throw Fail($"packed field of {length.ToString(CultureInfo.InvariantCulture)} bytes is not a multiple of {width.ToString(CultureInfo.InvariantCulture)}");
        }

        return _buffer.AsSpan(start, length);
    }

    private (int Start, int Length) ReadLengthDelimited()
    {
        ulong length = ReadRawVarint();
        int remaining = _end - _pos;
        if (length > (ulong)remaining)
        {
            throw Fail($"length {length.ToString(CultureInfo.InvariantCulture)} exceeds the {remaining.ToString(CultureInfo.InvariantCulture)} bytes left in the message");
        }

        int start = _pos;
        _pos += (int)length;
        return (start, (int)length);
    }

    private ReadOnlySpan<byte> Advance(int count)
    {
        if (_end - _pos < count)
        {
            throw Fail($"needs {count.ToString(CultureInfo.InvariantCulture)} bytes; only {(_end - _pos).ToString(CultureInfo.InvariantCulture)} left in the message");
        }

        var span = _buffer.AsSpan(_pos, count);
        _pos += count;
        return span;
    }

    private ulong ReadRawVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _end)
            {
                throw Fail("truncated varint (the message ends inside it)");
            }

            byte b = _buffer[_pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw Fail("varint longer than 10 bytes");
    }
}
