namespace SeqLens.IO.Onnx;

/// <summary>Element types of ONNX tensors, numbered as <c>TensorProto.DataType</c> in onnx.proto.</summary>
public enum OnnxDataType
{
    /// <summary>Not set.</summary>
    Undefined = 0,

    /// <summary>IEEE float32.</summary>
    Float = 1,

    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8 = 2,

    /// <summary>Signed 8-bit integer.</summary>
    Int8 = 3,

    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 4,

    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 5,

    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer.</summary>
    Int64 = 7,

    /// <summary>UTF-8 strings (not numeric).</summary>
    String = 8,

    /// <summary>Boolean (one byte).</summary>
    Bool = 9,

    /// <summary>IEEE float16.</summary>
    Float16 = 10,

    /// <summary>IEEE float64.</summary>
    Double = 11,

    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 12,

    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 13,

    /// <summary>Two float32 (real, imaginary).</summary>
    Complex64 = 14,

    /// <summary>Two float64 (real, imaginary).</summary>
    Complex128 = 15,

    /// <summary>bfloat16: the upper 16 bits of a float32.</summary>
    BFloat16 = 16,

    /// <summary>float8 e4m3fn (onnx 1.14+).</summary>
    Float8E4M3FN = 17,

    /// <summary>float8 e4m3fnuz (onnx 1.14+).</summary>
    Float8E4M3FNUZ = 18,

    /// <summary>float8 e5m2 (onnx 1.14+).</summary>
    Float8E5M2 = 19,

    /// <summary>float8 e5m2fnuz (onnx 1.14+).</summary>
    Float8E5M2FNUZ = 20,

    /// <summary>Packed unsigned 4-bit integers (onnx 1.16+).</summary>
    UInt4 = 21,

    /// <summary>Packed signed 4-bit integers (onnx 1.16+).</summary>
    Int4 = 22,
}
