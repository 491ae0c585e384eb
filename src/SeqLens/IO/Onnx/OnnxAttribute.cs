using System.Text;

namespace SeqLens.IO.Onnx;

/// <summary>
/// A node attribute (<c>AttributeProto</c>): a name, a kind (<see cref="Type"/>) and the one value of that kind.
/// </summary>
/// <remarks>
/// Files written before the <c>type</c> field existed leave it unset; the reader then infers the kind from the
/// value field present. Values of the other kinds stay at their defaults (0, empty, null).
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "Named after onnx.proto's AttributeProto, which is what ONNX users search for; not a .NET attribute.")]
public sealed class OnnxAttribute
{
    private readonly byte[] _bytes;

    internal OnnxAttribute(
        string name,
        OnnxAttributeType type,
        float f,
        long i,
        byte[] s,
        OnnxTensor? t,
        OnnxGraph? g,
        IReadOnlyList<float> floats,
        IReadOnlyList<long> ints,
        IReadOnlyList<byte[]> strings,
        IReadOnlyList<OnnxTensor> tensors,
        IReadOnlyList<OnnxGraph> graphs)
    {
        Name = name;
        Type = type;
        Float = f;
        Int = i;
        _bytes = s;
        Tensor = t;
        Graph = g;
        Floats = floats;
        Ints = ints;
        StringBytes = strings;
        Tensors = tensors;
        Graphs = graphs;
    }

    /// <summary>The attribute name, e.g. <c>kernel_shape</c>.</summary>
    public string Name { get; }

    /// <summary>The attribute kind.</summary>
    public OnnxAttributeType Type { get; }

    /// <summary>The value of a <see cref="OnnxAttributeType.Float"/> attribute.</summary>
    public float Float { get; }

    /// <summary>The value of an <see cref="OnnxAttributeType.Int"/> attribute.</summary>
    public long Int { get; }

    /// <summary>The bytes of a <see cref="OnnxAttributeType.String"/> attribute.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The value of a <see cref="OnnxAttributeType.String"/> attribute decoded as UTF-8.</summary>
    public string String => Encoding.UTF8.GetString(_bytes);

    /// <summary>The value of a <see cref="OnnxAttributeType.Tensor"/> attribute.</summary>
    public OnnxTensor? Tensor { get; }

    /// <summary>The value of a <see cref="OnnxAttributeType.Graph"/> attribute.</summary>
    public OnnxGraph? Graph { get; }

    /// <summary>The values of a <see cref="OnnxAttributeType.Floats"/> attribute.</summary>
    public IReadOnlyList<float> Floats { get; }

    /// <summary>The values of an <see cref="OnnxAttributeType.Ints"/> attribute.</summary>
    public IReadOnlyList<long> Ints { get; }

    /// <summary>The raw values of a <see cref="OnnxAttributeType.Strings"/> attribute.</summary>
    public IReadOnlyList<byte[]> StringBytes { get; }

    /// <summary>The values of a <see cref="OnnxAttributeType.Strings"/> attribute decoded as UTF-8.</summary>
    public IReadOnlyList<string> Strings => StringBytes.Select(b => Encoding.UTF8.GetString(b)).ToArray();

    /// <summary>The values of a <see cref="OnnxAttributeType.Tensors"/> attribute.</summary>
    public IReadOnlyList<OnnxTensor> Tensors { get; }

    /// <summary>The values of a <see cref="OnnxAttributeType.Graphs"/> attribute.</summary>
    public IReadOnlyList<OnnxGraph> Graphs { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Type}";
}
