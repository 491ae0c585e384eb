using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace SeqLens.IO.Onnx;

/// <summary>
/// A constant tensor of an ONNX file (an initializer or a tensor attribute, <c>TensorProto</c>): name, dimensions,
/// element type and the values, kept as little-endian bytes of the element type whichever field stored them
/// (<c>raw_data</c> or the typed <c>float_data</c>, <c>int32_data</c>, <c>int64_data</c>, <c>double_data</c>,
/// <c>uint64_data</c>).
/// </summary>
/// <remarks>
/// <see cref="ToFloat32"/> converts every numeric type to float32 (float16 and bfloat16 exactly, float64 and 64-bit
/// integers rounded to nearest); <see cref="ToInt64"/> gives integer tensors (shape constants) exactly. The element
/// count equals the product of <see cref="Dims"/> (1 for a scalar, whose <see cref="Dims"/> is empty); the reader
/// checked it against the stored data.
/// </remarks>
public sealed class OnnxTensor
{
    private readonly long[] _dims;
    private readonly byte[] _data;
    private readonly string[] _strings;

    internal OnnxTensor(string name, OnnxDataType dataType, long[] dims, long count, byte[] data, string[] strings)
    {
        Name = name;
        DataType = dataType;
        _dims = dims;
        ElementCount = count;
        _data = data;
        _strings = strings;
    }

    /// <summary>The tensor's name (the initializer name that node inputs refer to).</summary>
    public string Name { get; }

    /// <summary>The element type as stored in the file.</summary>
    public OnnxDataType DataType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<long> Dims => _dims;

    /// <summary>Number of elements: the product of <see cref="Dims"/>.</summary>
    public long ElementCount { get; }

    /// <summary>The values as little-endian bytes of <see cref="DataType"/> (empty for strings).</summary>
    public ReadOnlyMemory<byte> RawData => _data;

    /// <summary>The values of a <see cref="OnnxDataType.String"/> tensor (empty otherwise).</summary>
    public IReadOnlyList<string> Strings => _strings;

    /// <summary>Bytes per element of a fixed-size numeric type, or 0 for strings and packed 4-bit types.</summary>
    public static int ElementSize(OnnxDataType type) => type switch
    {
        OnnxDataType.Float or OnnxDataType.Int32 or OnnxDataType.UInt32 => 4,
        OnnxDataType.Double or OnnxDataType.Int64 or OnnxDataType.UInt64 or OnnxDataType.Complex64 => 8,
        OnnxDataType.Complex128 => 16,
        OnnxDataType.Float16 or OnnxDataType.BFloat16 or OnnxDataType.Int16 or OnnxDataType.UInt16 => 2,
        OnnxDataType.UInt8 or OnnxDataType.Int8 or OnnxDataType.Bool or OnnxDataType.Float8E4M3FN
            or OnnxDataType.Float8E4M3FNUZ or OnnxDataType.Float8E5M2 or OnnxDataType.Float8E5M2FNUZ => 1,
        _ => 0,
    };

    /// <summary>The values converted to float32, row-major.</summary>
    /// <exception cref="NotSupportedException">For strings, complex numbers, float8 and 4-bit types.</exception>
    public float[] ToFloat32()
    {
        int n = checked((int)ElementCount);
        var result = new float[n];
        ReadOnlySpan<byte> d = _data;
        switch (DataType)
        {
            case OnnxDataType.Float when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(d).CopyTo(result);
                break;
            case OnnxDataType.Float:
                for (int i = 0; i < n; i++)
                {
                    result[i] = BinaryPrimitives.ReadSingleLittleEndian(d[(i * 4)..]);
                }

                break;
            case OnnxDataType.Double:
                for (int i = 0; i < n; i++)
                {
                    result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(d[(i * 8)..]);
                }

                break;
            case OnnxDataType.Float16:
                for (int i = 0; i < n; i++)
                {
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(d[(i * 2)..]);
                }

                break;
            case OnnxDataType.BFloat16:
                for (int i = 0; i < n; i++)
                {
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(d[(i * 2)..]) << 16);
                }

                break;
            case OnnxDataType.UInt64:
                for (int i = 0; i < n; i++)
                {
                    result[i] = BinaryPrimitives.ReadUInt64LittleEndian(d[(i * 8)..]);
                }

                break;
            case OnnxDataType.String or OnnxDataType.Complex64 or OnnxDataType.Complex128 or OnnxDataType.Float8E4M3FN
                or OnnxDataType.Float8E4M3FNUZ or OnnxDataType.Float8E5M2 or OnnxDataType.Float8E5M2FNUZ
                or OnnxDataType.Int4 or OnnxDataType.UInt4 or OnnxDataType.Undefined:
                throw new NotSupportedException($"ONNX tensor '{Name}' has data type {DataType}, which has no float32 conversion here.");
            default:
                long[] ints = ToInt64();
                for (int i = 0; i < n; i++)
                {
                    result[i] = ints[i];
                }

                break;
        }

        return result;
    }

    /// <summary>The values of an integer or boolean tensor as int64 (UINT64 above <see cref="long.MaxValue"/> wraps).</summary>
    /// <exception cref="NotSupportedException">For floating-point, string and complex types.</exception>
    public long[] ToInt64()
    {
        if (!IsIntegerOrBool(DataType))
        {
            throw new NotSupportedException($"ONNX tensor '{Name}' has data type {DataType}, which has no integer conversion here.");
        }

        int n = checked((int)ElementCount);
        var result = new long[n];
        ReadOnlySpan<byte> d = _data;
        for (int i = 0; i < n; i++)
        {
            result[i] = DataType switch
            {
                OnnxDataType.Int64 or OnnxDataType.UInt64 => BinaryPrimitives.ReadInt64LittleEndian(d[(i * 8)..]),
                OnnxDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(d[(i * 4)..]),
                OnnxDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(d[(i * 4)..]),
                OnnxDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(d[(i * 2)..]),
                OnnxDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(d[(i * 2)..]),
                OnnxDataType.Int8 => (sbyte)d[i],
                OnnxDataType.UInt8 => d[i],
                _ => d[i] != 0 ? 1 : 0, // Bool
            };
        }

        return result;
    }

    /// <summary>A float32 <see cref="SeqLens.Tensor"/> of the same shape (a scalar becomes rank 0).</summary>
    public Tensor ToTensor()
    {
        var shape = new int[_dims.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (_dims[i] > int.MaxValue)
            {
                throw new NotSupportedException($"ONNX tensor '{Name}' has dimension {_dims[i].ToString(CultureInfo.InvariantCulture)}, too large for one tensor.");
            }

            shape[i] = (int)_dims[i];
        }

        return new Tensor(ToFloat32(), shape);
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"{Name}: {DataType}({string.Join(", ", _dims.Select(d => d.ToString(CultureInfo.InvariantCulture)))})";

    private static bool IsIntegerOrBool(OnnxDataType type) => type is OnnxDataType.Int64 or OnnxDataType.UInt64
        or OnnxDataType.Int32 or OnnxDataType.UInt32 or OnnxDataType.Int16 or OnnxDataType.UInt16
        or OnnxDataType.Int8 or OnnxDataType.UInt8 or OnnxDataType.Bool;
}
