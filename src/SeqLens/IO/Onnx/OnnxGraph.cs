namespace SeqLens.IO.Onnx;

/// <summary>
/// An ONNX graph (<c>GraphProto</c>): nodes in file order (ONNX requires topological order), graph inputs and
/// outputs, the optional <c>value_info</c> of intermediate values, and the initializers (constant weights).
/// </summary>
/// <remarks>
/// In IR version 3 and earlier, initializers are also listed among <see cref="Inputs"/>; use
/// <see cref="TryGetInitializer"/> to tell weights from data inputs.
/// </remarks>
public sealed class OnnxGraph
{
    private readonly Dictionary<string, OnnxTensor> _initializers;

    internal OnnxGraph(
        string name,
        IReadOnlyList<OnnxNode> nodes,
        IReadOnlyList<OnnxValueInfo> inputs,
        IReadOnlyList<OnnxValueInfo> outputs,
        IReadOnlyList<OnnxValueInfo> valueInfo,
        IReadOnlyList<OnnxTensor> initializers)
    {
        Name = name;
        Nodes = nodes;
        Inputs = inputs;
        Outputs = outputs;
        ValueInfo = valueInfo;
        Initializers = initializers;
        _initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (OnnxTensor t in initializers)
        {
            _initializers[t.Name] = t;
        }
    }

    /// <summary>The graph name.</summary>
    public string Name { get; }

    /// <summary>The nodes in file order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>The graph inputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>The graph outputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>Type and shape of intermediate values, when the file records them.</summary>
    public IReadOnlyList<OnnxValueInfo> ValueInfo { get; }

    /// <summary>The initializers in file order.</summary>
    public IReadOnlyList<OnnxTensor> Initializers { get; }

    /// <summary>The initializer called <paramref name="name"/>, if any.</summary>
    public bool TryGetInitializer(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OnnxTensor? tensor)
        => _initializers.TryGetValue(name, out tensor);

    /// <inheritdoc/>
    public override string ToString() => $"graph '{Name}': {Nodes.Count} nodes, {Initializers.Count} initializers";
}
