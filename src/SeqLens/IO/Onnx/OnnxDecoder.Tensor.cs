using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SeqLens.IO.Onnx;

/// <summary>TensorProto: dims, data type and the values from <c>raw_data</c> or a typed field.</summary>
internal static partial class OnnxDecoder
{
    private static OnnxTensor DecodeTensor(ProtoReader r)
    {
        string name = "";
        int dataType = 0;
        var dims = new List<long>();
        var floats = new List<float>();
        var doubles = new List<double>();
        var int32s = new List<long>();
        var int64s = new List<long>();
        var uint64s = new List<long>();
        var strings = new List<string>();
        byte[]? raw = null;
        bool external = false;
        string location = "";
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: r.ReadInt64s(dims); break;
                case 2: dataType = r.ReadInt32(); break;
                case 3: throw r.Fail("segmented tensors (field 'segment') are not supported");
                case 4: r.ReadFloats(floats); break;
                case 5: r.ReadInt64s(int32s); break;
                case 6: strings.Add(Encoding.UTF8.GetString(r.ReadBytes())); break;
                case 7: r.ReadInt64s(int64s); break;
                case 8: name = r.ReadString(); break;
                case 9: raw = r.ReadBytes().ToArray(); break;
                case 10: r.ReadDoubles(doubles); break;
                case 11: r.ReadInt64s(uint64s); break;
                case 13:
                    external = true;
                    (string key, string value) = DecodeEntry(r.ReadMessage("StringStringEntryProto"));
                    if (key == "location")
                    {
                        location = value;
                    }

                    break;
                case 14: external |= r.ReadInt32() == 1; break;
                default: r.Skip(); break;
            }
        }

        if (external)
        {
            throw r.FailMessage($"tensor '{name}' keeps its data in an external file ('{location}'); external data is not supported: "
                + "re-save the model with onnx.save_model(model, path, save_as_external_data=False)");
        }

        var type = (OnnxDataType)dataType;
        if (dataType is <= 0 or > (int)OnnxDataType.Int4)
        {
            throw r.FailMessage($"tensor '{name}' has unknown data type {dataType.ToString(CultureInfo.InvariantCulture)}");
        }

        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0)
            {
                throw r.FailMessage($"tensor '{name}' has negative dimension {d.ToString(CultureInfo.InvariantCulture)}");
            }

            if (d != 0 && count > long.MaxValue / d)
            {
                throw r.FailMessage($"tensor '{name}' has dimensions ({Join(dims)}) whose product overflows");
            }

            count *= d;
        }

        string[] stringValues = [];
        byte[] data;
        if (type == OnnxDataType.String)
        {
            if (strings.Count != count)
            {
                throw r.FailMessage($"STRING tensor '{name}' of dimensions ({Join(dims)}) needs {count.ToString(CultureInfo.InvariantCulture)} strings; the file has {strings.Count.ToString(CultureInfo.InvariantCulture)}");
            }

            stringValues = [.. strings];
            data = [];
        }
        else if (type is OnnxDataType.Int4 or OnnxDataType.UInt4)
        {
            throw r.FailMessage($"tensor '{name}' has data type {type}, which is not supported");
        }
        else if (raw is not null)
        {
            long expected = count * ElementSize(type);
            if (raw.LongLength != expected)
            {
                throw r.FailMessage($"tensor '{name}' ({type}, dimensions ({Join(dims)})) needs {expected.ToString(CultureInfo.InvariantCulture)} bytes of raw_data; the file has {raw.Length.ToString(CultureInfo.InvariantCulture)}");
            }

            data = raw;
        }
        else
        {
            data = FromTypedFields(r, name, type, dims, count, floats, doubles, int32s, int64s, uint64s);
        }

        return new OnnxTensor(name, type, [.. dims], count, data, stringValues);
    }

    private static byte[] FromTypedFields(
        ProtoReader r,
        string name,
        OnnxDataType type,
        List<long> dims,
        long count,
        List<float> floats,
        List<double> doubles,
        List<long> int32s,
        List<long> int64s,
        List<long> uint64s)
    {
        int size = ElementSize(type);
        (int have, string field) = type switch
        {
            OnnxDataType.Float or OnnxDataType.Complex64 => (floats.Count, "float_data"),
            OnnxDataType.Double or OnnxDataType.Complex128 => (doubles.Count, "double_data"),
            OnnxDataType.Int64 => (int64s.Count, "int64_data"),
            OnnxDataType.UInt32 or OnnxDataType.UInt64 => (uint64s.Count, "uint64_data"),
            _ => (int32s.Count, "int32_data"),
        };
        long expected = type is OnnxDataType.Complex64 or OnnxDataType.Complex128 ? 2 * count : count;
        if (have != expected)
        {
            throw r.FailMessage($"tensor '{name}' ({type}, dimensions ({Join(dims)})) needs {expected.ToString(CultureInfo.InvariantCulture)} values; {field} has {have.ToString(CultureInfo.InvariantCulture)}"
                + (have == 0 ? " (and there is no raw_data)" : ""));
        }

        if (count * size > Array.MaxLength)
        {
            throw r.FailMessage($"tensor '{name}' of dimensions ({Join(dims)}) is too large to hold in memory");
        }

        var data = new byte[count * size];
        Span<byte> d = data;
        for (int i = 0; i < have; i++)
        {
            switch (type)
            {
                case OnnxDataType.Float or OnnxDataType.Complex64:
                    BinaryPrimitives.WriteSingleLittleEndian(d[(i * 4)..], floats[i]);
                    break;
                case OnnxDataType.Double or OnnxDataType.Complex128:
                    BinaryPrimitives.WriteDoubleLittleEndian(d[(i * 8)..], doubles[i]);
                    break;
                case OnnxDataType.Int64:
                    BinaryPrimitives.WriteInt64LittleEndian(d[(i * 8)..], int64s[i]);
                    break;
                case OnnxDataType.UInt64:
                    BinaryPrimitives.WriteInt64LittleEndian(d[(i * 8)..], uint64s[i]);
                    break;
                case OnnxDataType.UInt32:
                    BinaryPrimitives.WriteUInt32LittleEndian(d[(i * 4)..], unchecked((uint)uint64s[i]));
                    break;
                default:
                    // NOTE: int32_data carries every type of 32 bits or fewer (float16/bfloat16 as their bit patterns);
                    // keep the low bytes, little-endian.
                    long v = int32s[i];
                    for (int b = 0; b < size; b++)
                    {
                        d[(i * size) + b] = unchecked((byte)(v >> (8 * b)));
                    }

                    break;
            }
        }

        return data;
    }

    private static int ElementSize(OnnxDataType type) => OnnxTensor.ElementSize(type);

    private static string Join(List<long> dims) => string.Join(", ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));
}
