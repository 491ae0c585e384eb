using System.Globalization;

namespace SeqLens.IO.Onnx;

/// <summary>
/// One dimension of a <c>TensorShapeProto</c>: a fixed size (<see cref="Value"/>), a symbolic name such as
/// <c>batch</c> (<see cref="Param"/>, from <c>dim_param</c>), or neither (unknown).
/// </summary>
public readonly record struct OnnxDimension(long? Value, string? Param)
{
    /// <summary>True when the dimension has a fixed size.</summary>
    public bool IsFixed => Value.HasValue;

    /// <summary>The size, the symbolic name, or <c>?</c>.</summary>
    public override string ToString() => Value?.ToString(CultureInfo.InvariantCulture) ?? Param ?? "?";
}
