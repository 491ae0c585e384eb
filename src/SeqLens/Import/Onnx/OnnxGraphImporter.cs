using System.Globalization;
using SeqLens.Graphs;
using SeqLens.IO;
using SeqLens.IO.Onnx;

namespace SeqLens.Import.Onnx;

/// <summary>The state of one ONNX import: the values seen so far (graph nodes or folded constants) and the builder.</summary>
internal sealed partial class OnnxGraphImporter
{
    private readonly OnnxModel _model;
    private readonly OnnxImportOptions _options;
    private readonly string _path;
    private readonly long _opset;
    private readonly GraphBuilder _builder = new(seed: 0);
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OnnxNode>> _consumers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _graphOutputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<OnnxNode> _absorbed = [];
    private readonly HashSet<OnnxConstant> _owned = [];
    private readonly HashSet<OnnxNode> _converted = [];
    private readonly Dictionary<string, OutputActivation> _activations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Action<OnnxNode>> _converters;

    public OnnxGraphImporter(OnnxModel model, OnnxImportOptions options)
    {
        _model = model;
        _options = options;
        _path = model.SourcePath;
        long? opset = model.OpsetVersion(string.Empty) ?? model.OpsetVersion("ai.onnx");
        if (opset is null)
        {
            throw new ParseException(_path, 0, 0, "the model imports no default-domain opset");
        }

        if (opset < OnnxImporter.MinimumOpset)
        {
            throw new NotSupportedException($"{_path}: the model uses opset {opset.Value.ToString(CultureInfo.InvariantCulture)}; SeqLens imports opset {OnnxImporter.MinimumOpset.ToString(CultureInfo.InvariantCulture)} or later (re-export with a newer opset_version).");
        }

        _opset = opset.Value;
        _converters = CreateConverters();
    }

    /// <summary>The ONNX op types with a converter.</summary>
    public static IReadOnlyCollection<string> SupportedOps { get; } = new OnnxGraphImporter().CreateConverters().Keys.Order(StringComparer.Ordinal).ToArray();

    // Only for listing the converters' keys.
    private OnnxGraphImporter()
    {
        _model = null!;
        _options = new OnnxImportOptions();
        _path = string.Empty;
        _converters = [];
    }

    /// <summary>A value of the ONNX graph: a node of ours, or a constant known at import.</summary>
    private readonly record struct Value(Node? Node, OnnxConstant? Const);

    public Graph Run()
    {
        OnnxGraph g = _model.Graph;
        foreach (OnnxTensor init in g.Initializers)
        {
            _values[init.Name] = new Value(null, Wrap(init, $"initializer '{init.Name}'"));
        }

        foreach (OnnxNode node in g.Nodes)
        {
            foreach (string input in node.Inputs.Where(i => i.Length > 0))
            {
                if (!_consumers.TryGetValue(input, out List<OnnxNode>? list))
                {
                    _consumers[input] = list = [];
                }

                list.Add(node);
            }
        }

        foreach (OnnxValueInfo output in g.Outputs)
        {
            _graphOutputs.Add(output.Name);
        }

        foreach (OnnxValueInfo input in g.Inputs.Where(i => !_values.ContainsKey(i.Name)))
        {
            AddInput(input);
        }

        if (_builder.Nodes.Count == 0)
        {
            throw new ParseException(_path, 0, 0, "the graph has no input that is not an initializer");
        }

        foreach (OnnxNode node in g.Nodes)
        {
            if (_absorbed.Contains(node))
            {
                continue;
            }

            if (node.Domain is not ("" or "ai.onnx") || !_converters.TryGetValue(node.OpType, out Action<OnnxNode>? convert))
            {
                string op = node.Domain is "" or "ai.onnx" ? node.OpType : node.Domain + "." + node.OpType;
                throw new NotSupportedException($"{_path}: node '{node.Name}' has op type '{op}', which SeqLens does not import. Supported ops: {string.Join(", ", SupportedOps)}.");
            }

            try
            {
                convert(node);
                _converted.Add(node);
            }
            catch (ArgumentException ex)
            {
                throw new ParseException(_path, 0, 0, $"node '{node.Name}' ({node.OpType}): {ex.Message}", ex);
            }
            catch (NotSupportedException ex) when (!ex.Message.StartsWith(_path, StringComparison.Ordinal))
            {
                throw new NotSupportedException($"{_path}: node '{node.Name}' ({node.OpType}): {ex.Message}.", ex);
            }
        }

        return _builder.Build(g.Outputs.Select(MakeOutput).ToArray());
    }

    private GraphOutput MakeOutput(OnnxValueInfo output)
    {
        if (!_values.TryGetValue(output.Name, out Value v))
        {
            throw new ParseException(_path, 0, 0, $"graph output '{output.Name}' is not produced by any node");
        }

        if (v.Node is null)
        {
            throw new NotSupportedException($"{_path}: graph output '{output.Name}' is a constant; SeqLens graphs end at computed values.");
        }

        OutputActivation activation = _activations.GetValueOrDefault(output.Name, OutputActivation.None);
        return GraphBuilder.MakeOutput(v.Node, null, activation);
    }

    private void AddInput(OnnxValueInfo input)
    {
        if (!input.IsTensor || input.Shape is null)
        {
            throw new NotSupportedException($"{_path}: input '{input.Name}' has no tensor shape; SeqLens needs (batch, channels, length).");
        }

        if (input.ElementType is not (OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Float16))
        {
            throw new NotSupportedException($"{_path}: input '{input.Name}' has element type {input.ElementType}; expected float.");
        }

        IReadOnlyList<OnnxDimension> dims = input.Shape;
        if (dims.Count < 2)
        {
            throw new NotSupportedException($"{_path}: input '{input.Name}' has rank {dims.Count}; expected (batch, ...) such as (batch, 4, length).");
        }

        var sample = new int[dims.Count - 1];
        for (int i = 1; i < dims.Count; i++)
        {
            OnnxDimension d = dims[i];
            if (d.IsFixed)
            {
                sample[i - 1] = d.Value is > 0 and <= int.MaxValue ? (int)d.Value.Value : throw new ParseException(_path, 0, 0, $"input '{input.Name}' has dimension {d} on axis {i}; expected a positive size");
            }
            else if (i == dims.Count - 1 && _options.Length is int length)
            {
                sample[i - 1] = length > 0 ? length : throw new ArgumentException($"The length option must be positive; got {length}.");
            }
            else
            {
                string hint = i == dims.Count - 1 ? " Give the sequence length with the length option." : string.Empty;
                throw new NotSupportedException($"{_path}: input '{input.Name}' has symbolic dimension '{d}' on axis {i}; SeqLens graphs have fixed shapes apart from the batch (axis 0).{hint}");
            }
        }

        _names.Add(input.Name);
        _values[input.Name] = new Value(_builder.Input(input.Name, sample), null);
    }

    private OnnxConstant Wrap(OnnxTensor tensor, string what)
    {
        try
        {
            return OnnxConstant.FromTensor(tensor);
        }
        catch (NotSupportedException ex)
        {
            throw new NotSupportedException($"{_path}: {what}: {ex.Message}.", ex);
        }
    }

    // ---- value access ---------------------------------------------------------------------------------------------

    private Value Get(OnnxNode node, int i)
    {
        if (i >= node.Inputs.Count || node.Inputs[i].Length == 0)
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' ({node.OpType}) needs input {i.ToString(CultureInfo.InvariantCulture)}; it has {node.Inputs.Count(s => s.Length > 0).ToString(CultureInfo.InvariantCulture)}");
        }

        string name = node.Inputs[i];
        return _values.TryGetValue(name, out Value v)
            ? v
            : throw new ParseException(_path, 0, 0, $"node '{node.Name}' ({node.OpType}) reads '{name}', which is neither a graph input, an initializer nor an earlier node's output");
    }

    private static bool Has(OnnxNode node, int i) => i < node.Inputs.Count && node.Inputs[i].Length > 0;

    private Node GetNode(OnnxNode node, int i)
    {
        Value v = Get(node, i);
        return v.Node ?? throw new NotSupportedException($"input {i.ToString(CultureInfo.InvariantCulture)} ('{node.Inputs[i]}') is a constant; SeqLens maps this op on computed tensors only");
    }

    private OnnxConstant GetConst(OnnxNode node, int i, string role)
    {
        Value v = Get(node, i);
        return v.Const ?? throw new NotSupportedException($"its {role} ('{node.Inputs[i]}') is computed from the input; SeqLens needs it constant (an initializer or a folded shape)");
    }

    private static int[] Full(Node n) => [1, .. n.SampleShape];

    private void Set(OnnxNode node, Node value, int output = 0) => _values[node.Outputs[output]] = new Value(value, null);

    private void Set(OnnxNode node, OnnxConstant value, int output = 0) => _values[node.Outputs[output]] = new Value(null, value);

    private void RequireUnused(OnnxNode node, int output, string what)
    {
        if (output < node.Outputs.Count && node.Outputs[output].Length > 0
            && (_consumers.ContainsKey(node.Outputs[output]) || _graphOutputs.Contains(node.Outputs[output])))
        {
            throw new NotSupportedException($"its {what} output is used; SeqLens computes only the first output");
        }
    }

    /// <summary>Adds <paramref name="op"/> named after the weight's prefix, the ONNX name, or <c>kind_N</c>.</summary>
    private Node AddOp(OnnxNode node, Op op, IReadOnlyList<Node> inputs, string? weightName = null)
    {
        string? name = null;
        if (weightName is not null && weightName.EndsWith(".weight", StringComparison.Ordinal) && weightName.Length > ".weight".Length)
        {
            name = weightName[..^".weight".Length];
        }

        if (name is null || _names.Contains(name))
        {
            name = node.Name.Length > 0 && !_names.Contains(node.Name) ? node.Name : null;
        }

        Node added = _builder.Add(op, inputs, name);
        _names.Add(added.Name);
        return added;
    }

    private Node Reshape(OnnxNode node, Node x, int[] sampleShape)
        => x.SampleShape.AsSpan().SequenceEqual(sampleShape) ? x : AddOp(node, new Graphs.Ops.ReshapeOp(sampleShape), [x]);

    private int Axis(long axis, int rank, string what)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            throw new ParseException(_path, 0, 0, $"{what} {axis.ToString(CultureInfo.InvariantCulture)} is out of range for rank {rank.ToString(CultureInfo.InvariantCulture)}");
        }

        return (int)a;
    }

    private int NonBatchAxis(long axis, int rank, string what)
    {
        int a = Axis(axis, rank, what);
        return a != 0 ? a : throw new NotSupportedException($"{what} {axis.ToString(CultureInfo.InvariantCulture)} is the batch axis; SeqLens ops work per sample");
    }

    private int[] AxesOf(OnnxNode node, int inputIndex, string attribute)
    {
        // Opset 13 moved Squeeze/Unsqueeze/ReduceSum axes from an attribute to an input (ReduceMean: opset 18).
        if (Has(node, inputIndex))
        {
            return GetConst(node, inputIndex, "axes").Ints.Select(a => checked((int)a)).ToArray();
        }

        return node.Attribute(attribute) is null ? [] : node.GetInts(attribute).Select(a => checked((int)a)).ToArray();
    }
}
