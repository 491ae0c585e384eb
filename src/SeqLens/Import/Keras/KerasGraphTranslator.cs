using System.Text.RegularExpressions;
using SeqLens.Graphs;
using SeqLens.IO;

namespace SeqLens.Import.Keras;

/// <summary>
/// Turns a <see cref="KerasModelConfig"/> plus <see cref="KerasWeights"/> into a <see cref="Graph"/>, one Keras layer
/// call at a time (depth-first from the outputs), tracking how each Keras tensor is laid out in our graph
/// (<see cref="KerasTensor"/>) so that channels-last tensors stay channels-first inside and transposes are inserted
/// only where a layer needs Keras' own element order (Flatten, Reshape, Dense on rank &gt; 1, outputs).
/// </summary>
internal sealed partial class KerasGraphTranslator
{
    private readonly KerasModelConfig _config;
    private readonly KerasWeights _weights;
    private readonly KerasImportOptions _options;
    private readonly GraphBuilder _builder = new();
    private readonly Dictionary<string, KerasLayer> _layers;
    private readonly Dictionary<(string Layer, int Call), KerasTensor> _done = [];
    private readonly HashSet<(string Layer, int Call)> _inProgress = [];
    private readonly HashSet<(string Layer, int Call)> _consumed = [];
    private readonly Dictionary<(string Layer, int Call), OutputActivation> _strippedActivation = [];
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly List<KerasLayerMapping> _mappings = [];
    private readonly bool _flip;
    private readonly string _flipReason;
    private readonly bool _channelsFirst2D;
    private KerasLayer _layer = null!;
    private int _call;
    private readonly List<string> _notes = [];

    public KerasGraphTranslator(KerasModelConfig config, KerasWeights weights, KerasImportOptions? options)
    {
        _config = config;
        _weights = weights;
        _options = options ?? new KerasImportOptions();
        _layers = config.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        foreach (KerasLayer layer in config.Layers)
        {
            foreach (KerasTensorRef r in layer.Calls.SelectMany(c => c))
            {
                _consumed.Add((r.Layer, r.NodeIndex));
            }
        }

        string? backend = Backend;
        bool thOrdering = config.Layers.Any(l => KerasConfigValues.String(l.Config, "dim_ordering") == "th");
        _channelsFirst2D = config.Layers.Any(l => KerasConfigValues.String(l.Config, "dim_ordering", "data_format") is "th" or "channels_first");
        if (_options.TheanoKernelFlip is bool forced)
        {
            (_flip, _flipReason) = (forced, "set by the caller");
        }
        else if (backend is not null)
        {
            (_flip, _flipReason) = (backend == "theano", $"backend '{backend}' recorded in the file");
        }
        else
        {
            (_flip, _flipReason) = thOrdering
                ? (true, "no backend recorded; Theano dim ordering ('th') implies Theano's true convolution")
                : (false, "no backend recorded and no Theano dim ordering");
        }
    }

    private string? KerasVersion => _config.KerasVersion ?? _weights.KerasVersion;

    private string? Backend => _config.Backend ?? _weights.Backend;

    public KerasImportResult Translate()
    {
        foreach (KerasTensorRef input in _config.Inputs)
        {
            Resolve(input);
        }

        var outputs = new List<GraphOutput>();
        var activations = new List<OutputActivation>();
        foreach (KerasTensorRef output in _config.Outputs)
        {
            KerasTensor t = Resolve(output);
            (_layer, _call) = (_layers[output.Layer], output.NodeIndex);
            Node node = Arrange(t, Identity(t.Rank), "output");
            OutputActivation activation = _strippedActivation.GetValueOrDefault((output.Layer, output.NodeIndex), OutputActivation.None);
            IReadOnlyList<string>? tasks = _config.Outputs.Count == 1 ? _options.TaskNames : null;
            try
            {
                outputs.Add(GraphBuilder.MakeOutput(node, tasks, activation));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException(ex.Message, nameof(KerasImportOptions.TaskNames), ex);
            }

            activations.Add(activation);
        }

        Graph graph;
        try
        {
            graph = _builder.Build(outputs);
        }
        catch (ArgumentException ex)
        {
            throw new ParseException(_config.Source, 0, 0, "the model's layers do not form one graph: " + ex.Message, ex);
        }

        var report = new KerasImportReport(KerasVersion, Backend, _flip, _flipReason, _mappings, activations);
        return new KerasImportResult(graph, report);
    }

    private KerasTensor Resolve(KerasTensorRef r)
    {
        var key = (r.Layer, r.NodeIndex);
        if (_done.TryGetValue(key, out KerasTensor? done))
        {
            return done;
        }

        if (!_layers.TryGetValue(r.Layer, out KerasLayer? layer))
        {
            throw new ParseException(_config.Source, 0, 0, $"a layer input refers to unknown layer '{r.Layer}'.");
        }

        if (r.NodeIndex < 0 || r.NodeIndex >= layer.Calls.Count)
        {
            throw LayerError(layer, $"node index {r.NodeIndex} referenced, but the layer has {layer.Calls.Count} call(s).");
        }

        if (r.TensorIndex != 0)
        {
            throw LayerError(layer, $"tensor index {r.TensorIndex} referenced; only single-output layers are supported.");
        }

        if (!_inProgress.Add(key))
        {
            throw LayerError(layer, "the layer graph has a cycle through this layer.");
        }

        KerasTensor[] inputs = layer.Calls[r.NodeIndex].Select(Resolve).ToArray();
        int before = _builder.Nodes.Count;
        _layer = layer;
        _call = r.NodeIndex;
        _notes.Clear();
        bool isOutput = _config.Outputs.Any(o => o.Layer == r.Layer && o.NodeIndex == r.NodeIndex) && !_consumed.Contains(key);
        KerasTensor result;
        try
        {
            result = TranslateLayer(layer, inputs, isOutput);
        }
        catch (ArgumentException ex)
        {
            throw LayerError(layer, ex.Message, ex);
        }
        catch (FormatException ex)
        {
            throw LayerError(layer, ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            // The HDF5 reader's "not numbers" / "too large" for a weight dataset.
            throw LayerError(layer, ex.Message, ex);
        }

        string name = r.NodeIndex == 0 ? layer.Name : $"{layer.Name}#{r.NodeIndex}";
        string[] nodes = _builder.Nodes.Skip(before).Select(n => n.Name).ToArray();
        _mappings.Add(new KerasLayerMapping(name, layer.ClassName, nodes, result.Node.Name, string.Join("; ", _notes)));
        _done[key] = result;
        _inProgress.Remove(key);
        return result;
    }

    /// <summary>A node name for the current layer call: the layer name (plus <c>_callN</c> for later calls) and a suffix.</summary>
    private string NodeName(string suffix = "")
    {
        string stem = (_call == 0 ? _layer.Name : $"{_layer.Name}_call{_call}") + suffix;
        string name = stem;
        for (int i = 2; !_usedNames.Add(name); i++)
        {
            name = stem + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    private ParseException LayerError(KerasLayer layer, string message, Exception? inner = null)
    {
        // Point at the layer's "name" in the JSON text so a long one-line config still gives a column.
        (int line, int column) = Locate(_config.Text, layer.Name);
        return new ParseException(_config.Source, line, column, $"layer '{layer.Name}' ({layer.ClassName}): {message}", inner);
    }

    private static (int Line, int Column) Locate(string text, string layerName)
    {
        Match m = Regex.Match(text, "\"name\"\\s*:\\s*\"" + Regex.Escape(layerName) + "\"");
        if (!m.Success)
        {
            return (0, 0);
        }

        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < m.Index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, m.Index - lineStart + 1);
    }
}
