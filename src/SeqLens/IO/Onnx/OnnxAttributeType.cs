namespace SeqLens.IO.Onnx;

/// <summary>Kinds of ONNX node attributes, numbered as <c>AttributeProto.AttributeType</c> in onnx.proto.</summary>
public enum OnnxAttributeType
{
    /// <summary>Not set (old files; the reader then infers the kind from the field present).</summary>
    Undefined = 0,

    /// <summary>One float32 (<see cref="OnnxAttribute.Float"/>).</summary>
    Float = 1,

    /// <summary>One int64 (<see cref="OnnxAttribute.Int"/>).</summary>
    Int = 2,

    /// <summary>One byte string (<see cref="OnnxAttribute.String"/>, <see cref="OnnxAttribute.Bytes"/>).</summary>
    String = 3,

    /// <summary>One tensor (<see cref="OnnxAttribute.Tensor"/>).</summary>
    Tensor = 4,

    /// <summary>One subgraph (<see cref="OnnxAttribute.Graph"/>), e.g. the branches of <c>If</c>.</summary>
    Graph = 5,

    /// <summary>A list of float32.</summary>
    Floats = 6,

    /// <summary>A list of int64.</summary>
    Ints = 7,

    /// <summary>A list of byte strings.</summary>
    Strings = 8,

    /// <summary>A list of tensors.</summary>
    Tensors = 9,

    /// <summary>A list of subgraphs.</summary>
    Graphs = 10,

    /// <summary>A sparse tensor (kept as a kind only; its value is not decoded).</summary>
    SparseTensor = 11,

    /// <summary>A list of sparse tensors (kind only).</summary>
    SparseTensors = 12,

    /// <summary>A type (kind only).</summary>
    TypeProto = 13,

    /// <summary>A list of types (kind only).</summary>
    TypeProtos = 14,
}
