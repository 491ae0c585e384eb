namespace SeqLens.IO.Onnx;

/// <summary>
/// A graph input, output or intermediate value (<c>ValueInfoProto</c>): its name and, for tensors, the element
/// type and shape.
/// </summary>
public sealed class OnnxValueInfo
{
    internal OnnxValueInfo(string name, bool isTensor, OnnxDataType elementType, IReadOnlyList<OnnxDimension>? shape)
    {
        Name = name;
        IsTensor = isTensor;
        ElementType = elementType;
        Shape = shape;
    }

    /// <summary>The value's name, as used by node inputs and outputs.</summary>
    public string Name { get; }

    /// <summary>False for sequences, maps, optionals and sparse tensors, and when no type was stored.</summary>
    public bool IsTensor { get; }

    /// <summary>The tensor element type (<see cref="OnnxDataType.Undefined"/> when not a tensor).</summary>
    public OnnxDataType ElementType { get; }

    /// <summary>The dimensions, outermost first; null when the rank is unknown (no shape stored). Empty for a scalar.</summary>
    public IReadOnlyList<OnnxDimension>? Shape { get; }

    /// <inheritdoc/>
    public override string ToString()
        => Shape is null ? $"{Name}: {ElementType}" : $"{Name}: {ElementType}[{string.Join(", ", Shape)}]";
}
