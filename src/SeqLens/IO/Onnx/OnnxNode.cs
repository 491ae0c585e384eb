using System.Globalization;

namespace SeqLens.IO.Onnx;

/// <summary>
/// One operator call of an ONNX graph (<c>NodeProto</c>): op type and domain, input and output value names
/// (an empty input name means an omitted optional input), and attributes by name, in file order.
/// </summary>
/// <remarks>
/// The typed getters (<see cref="GetInt"/>, <see cref="GetInts"/>, ...) return the fallback when the attribute is
/// absent and throw a <see cref="ParseException"/> naming the file, node and attribute when it has another kind or
/// is required but missing.
/// </remarks>
public sealed class OnnxNode
{
    private readonly Dictionary<string, OnnxAttribute> _byName;

    internal OnnxNode(
        string path,
        string name,
        string opType,
        string domain,
        IReadOnlyList<string> inputs,
        IReadOnlyList<string> outputs,
        IReadOnlyList<OnnxAttribute> attributes)
    {
        SourcePath = path;
        Name = name;
        OpType = opType;
        Domain = domain;
        Inputs = inputs;
        Outputs = outputs;
        Attributes = attributes;
        _byName = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        foreach (OnnxAttribute a in attributes)
        {
            _byName[a.Name] = a;
        }
    }

    /// <summary>The file the node was read from (for messages).</summary>
    public string SourcePath { get; }

    /// <summary>The node name (may be empty: names are optional in ONNX).</summary>
    public string Name { get; }

    /// <summary>The operator, e.g. <c>Conv</c>.</summary>
    public string OpType { get; }

    /// <summary>The operator domain; empty for the default ONNX domain.</summary>
    public string Domain { get; }

    /// <summary>Names of the input values, in order.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Names of the output values, in order.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The attributes in file order.</summary>
    public IReadOnlyList<OnnxAttribute> Attributes { get; }

    /// <summary>The attribute called <paramref name="name"/>, or null.</summary>
    public OnnxAttribute? Attribute(string name) => _byName.GetValueOrDefault(name);

    /// <summary>An INT attribute.</summary>
    public long GetInt(string name, long? fallback = null) => Get(name, OnnxAttributeType.Int, a => a.Int, fallback);

    /// <summary>A FLOAT attribute.</summary>
    public float GetFloat(string name, float? fallback = null) => Get(name, OnnxAttributeType.Float, a => a.Float, fallback);

    /// <summary>A STRING attribute decoded as UTF-8.</summary>
    public string GetString(string name, string? fallback = null)
        => GetRef(name, OnnxAttributeType.String, a => a.String, fallback);

    /// <summary>An INTS attribute.</summary>
    public IReadOnlyList<long> GetInts(string name, IReadOnlyList<long>? fallback = null)
        => GetRef(name, OnnxAttributeType.Ints, a => a.Ints, fallback);

    /// <summary>A FLOATS attribute.</summary>
    public IReadOnlyList<float> GetFloats(string name, IReadOnlyList<float>? fallback = null)
        => GetRef(name, OnnxAttributeType.Floats, a => a.Floats, fallback);

    /// <summary>A TENSOR attribute (required).</summary>
    public OnnxTensor GetTensor(string name) => GetRef<OnnxTensor>(name, OnnxAttributeType.Tensor, a => a.Tensor!, null);

    /// <summary>A GRAPH attribute (required).</summary>
    public OnnxGraph GetGraph(string name) => GetRef<OnnxGraph>(name, OnnxAttributeType.Graph, a => a.Graph!, null);

    /// <inheritdoc/>
    public override string ToString() => $"{OpType} '{Name}' ({string.Join(", ", Inputs)}) -> ({string.Join(", ", Outputs)})";

    private T Get<T>(string name, OnnxAttributeType type, Func<OnnxAttribute, T> read, T? fallback)
        where T : struct
    {
        if (!_byName.TryGetValue(name, out OnnxAttribute? a))
        {
            return fallback ?? throw Error($"has no attribute '{name}' ({type}), which it needs");
        }

        return a.Type == type ? read(a) : throw WrongType(a, type);
    }

    private T GetRef<T>(string name, OnnxAttributeType type, Func<OnnxAttribute, T> read, T? fallback)
        where T : class
    {
        if (!_byName.TryGetValue(name, out OnnxAttribute? a))
        {
            return fallback ?? throw Error($"has no attribute '{name}' ({type}), which it needs");
        }

        return a.Type == type ? read(a) : throw WrongType(a, type);
    }

    private ParseException WrongType(OnnxAttribute a, OnnxAttributeType expected)
        => Error($"attribute '{a.Name}' is {a.Type}; expected {expected}");

    private ParseException Error(string what)
        => new(SourcePath, 0, 0, string.Format(CultureInfo.InvariantCulture, "node '{0}' ({1}) {2}", Name, OpType, what));
}
