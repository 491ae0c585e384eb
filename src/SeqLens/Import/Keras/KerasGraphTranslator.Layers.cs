using System.Globalization;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using static SeqLens.Import.Keras.KerasConfigValues;

namespace SeqLens.Import.Keras;

// Layers other than convolution and pooling.
internal sealed partial class KerasGraphTranslator
{
    /// <summary>Keras class names the importer understands (Keras 1 and 2 spellings).</summary>
    internal static readonly string[] SupportedLayers =
    [
        "InputLayer", "Conv1D", "Convolution1D", "Conv2D", "Convolution2D", "Dense", "Activation", "ReLU", "LeakyReLU", "ELU",
        "Softmax", "Dropout", "Flatten", "Reshape", "Permute", "MaxPooling1D", "MaxPool1D", "MaxPooling2D", "MaxPool2D",
        "AveragePooling1D", "AvgPool1D", "AveragePooling2D", "AvgPool2D", "GlobalMaxPooling1D", "GlobalMaxPool1D",
        "GlobalAveragePooling1D", "GlobalAvgPool1D", "GlobalMaxPooling2D", "GlobalMaxPool2D", "GlobalAveragePooling2D",
        "GlobalAvgPool2D", "BatchNormalization", "Add", "Concatenate", "Merge",
    ];

    /// <summary>Activation names accepted in <c>activation</c> attributes and Activation layers.</summary>
    internal static readonly string[] SupportedActivations = ["linear", "relu", "sigmoid", "tanh", "softmax", "elu", "softplus", "exponential"];

    private KerasTensor TranslateLayer(KerasLayer layer, KerasTensor[] inputs, bool isOutput)
    {
        if (layer.ClassName != "InputLayer" && layer.ClassName != "Add" && layer.ClassName != "Concatenate" && layer.ClassName != "Merge" && inputs.Length != 1)
        {
            throw new ArgumentException($"expected one input; got {inputs.Length}.");
        }

        return layer.ClassName switch
        {
            "InputLayer" => InputLayer(layer.Config),
            "Conv1D" or "Convolution1D" => Conv1D(layer, inputs[0], isOutput),
            "Conv2D" or "Convolution2D" => Conv2D(layer, inputs[0], isOutput),
            "Dense" => Dense(layer, inputs[0], isOutput),
            "Activation" => Activation(inputs[0], String(layer.Config, "activation") ?? "linear", isOutput, ownLayer: true),
            "ReLU" => ReluLayer(layer.Config, inputs[0]),
            "LeakyReLU" => Unary(inputs[0], new LeakyReluOp((float)(Number(layer.Config, "alpha", "negative_slope") ?? 0.3))),
            "ELU" => Unary(inputs[0], new EluOp((float)(Number(layer.Config, "alpha") ?? 1.0))),
            "Softmax" => SoftmaxLayer(layer.Config, inputs[0], isOutput),
            "Dropout" => Unary(inputs[0], new DropoutOp((float)(Number(layer.Config, "rate", "p") ?? 0.5))),
            "Flatten" => Flatten(layer.Config, inputs[0]),
            "Reshape" => Reshape(layer.Config, inputs[0]),
            "Permute" => Permute(layer.Config, inputs[0]),
            "MaxPooling1D" or "MaxPool1D" or "AveragePooling1D" or "AvgPool1D" => Pool1D(layer, inputs[0]),
            "MaxPooling2D" or "MaxPool2D" or "AveragePooling2D" or "AvgPool2D" => Pool2D(layer, inputs[0]),
            "GlobalMaxPooling1D" or "GlobalMaxPool1D" or "GlobalAveragePooling1D" or "GlobalAvgPool1D"
                or "GlobalMaxPooling2D" or "GlobalMaxPool2D" or "GlobalAveragePooling2D" or "GlobalAvgPool2D" => GlobalPool(layer, inputs[0]),
            "BatchNormalization" => BatchNormalization(layer, inputs[0]),
            "Add" => AddLayer(inputs),
            "Concatenate" => ConcatenateLayer(inputs, Int(layer.Config, "axis") ?? -1),
            "Merge" => Merge(layer.Config, inputs),
            _ => throw new ArgumentException($"unsupported layer class '{layer.ClassName}'. Supported: {string.Join(", ", SupportedLayers)}."),
        };
    }

    private KerasTensor InputLayer(System.Text.Json.Nodes.JsonObject config)
    {
        int[] shape = Ints(config, "batch_input_shape", "batch_shape") is int[] batchShape ? batchShape[1..]
            : Ints(config, "input_shape") is int[] inputShape ? inputShape
            : Int(config, "input_dim") is int dim ? (Int(config, "input_length") is int length ? [length, dim] : [dim])
            : throw new ArgumentException("the input shape is not given (expected batch_input_shape, batch_shape, input_shape or input_dim).");
        bool channelsFirst = String(config, "data_format", "dim_ordering") switch
        {
            "channels_first" or "th" => true,
            "channels_last" or "tf" => false,
            _ => shape.Length == 3 && _channelsFirst2D,
        };

        // Our layout for DNA: (channels, length); the Keras length axis is where an open size may be filled in.
        (int[] axes, int lengthAxis) = shape.Length switch
        {
            1 => (new[] { 0 }, 0),
            2 => channelsFirst ? (new[] { 0, 1 }, 1) : (new[] { 1, 0 }, 0),
            3 => channelsFirst ? (new[] { 0, 2 }, 2) : (new[] { 2, 1 }, 1),
            _ => throw new ArgumentException($"input shape {KerasShape(shape)} is not supported; expected (length, channels), (channels, length), (channels, 1, length) or (1, length, channels)."),
        };
        if (shape[lengthAxis] < 0 && _options.InputLength is int fixedLength)
        {
            shape[lengthAxis] = fixedLength;
        }

        if (shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"input shape {KerasShape(shape)} has an open or empty dimension; set KerasImportOptions.InputLength for an open sequence length.");
        }

        if (shape.Length == 3 && shape[channelsFirst ? 1 : 0] != 1)
        {
            throw new ArgumentException($"input shape {KerasShape(shape)}: only a height of 1 (DNA as a 1 x length image) is supported.");
        }

        Node node = _builder.Input(NodeName(), axes.Select(a => shape[a]).ToArray());
        _notes.Add($"Keras shape {KerasShape(shape)} held as {Tensor.FormatShape(node.SampleShape)}");
        return new KerasTensor(node, shape, axes);
    }

    private KerasTensor Unary(KerasTensor x, Op op) => x with { Node = _builder.Add(op, [x.Node], NodeName()) };

    /// <summary>
    /// Applies a Keras activation. A final sigmoid or softmax on an output that nothing else reads becomes the output's
    /// activation instead of an op (unless <see cref="KerasImportOptions.KeepOutputActivation"/>).
    /// </summary>
    private KerasTensor Activation(KerasTensor x, string activation, bool isOutput, bool ownLayer)
    {
        if (activation == "linear")
        {
            return x;
        }

        if (isOutput && !_options.KeepOutputActivation && activation is "sigmoid" or "softmax")
        {
            _strippedActivation[(_layer.Name, _call)] = activation == "sigmoid" ? OutputActivation.Sigmoid : OutputActivation.Softmax;
            _notes.Add($"final {activation} recorded as the output activation (graph ends at logits)");
            return x;
        }

        string name = NodeName(ownLayer ? string.Empty : "_" + activation);
        Node n = activation switch
        {
            "relu" => _builder.Relu(x.Node, name),
            "sigmoid" => _builder.Sigmoid(x.Node, name),
            "tanh" => _builder.Tanh(x.Node, name),
            "elu" => _builder.Elu(x.Node, 1f, name),
            "softplus" => _builder.Softplus(x.Node, 1f, 20f, name),
            "exponential" => _builder.Exp(x.Node, name),
            "softmax" => Softmax(x, x.Rank - 1, name).Node,
            _ => throw new ArgumentException($"unsupported activation '{activation}'. Supported: {string.Join(", ", SupportedActivations)}."),
        };
        return x with { Node = n };
    }

    /// <summary>Softmax over Keras axis <paramref name="axis"/> (per sample).</summary>
    private KerasTensor Softmax(KerasTensor x, int axis, string name)
    {
        int ours = Array.IndexOf(x.Axes, axis);
        if (ours < 0)
        {
            x = new KerasTensor(Arrange(x, Identity(x.Rank), "layout"), x.KerasShape, Identity(x.Rank));
            ours = axis;
        }

        return x with { Node = _builder.Softmax(x.Node, ours + 1, name) };
    }

    private KerasTensor SoftmaxLayer(System.Text.Json.Nodes.JsonObject config, KerasTensor x, bool isOutput)
    {
        int axis = SampleAxis(Int(config, "axis") ?? -1, x.Rank);
        return axis == x.Rank - 1 ? Activation(x, "softmax", isOutput, ownLayer: true) : Softmax(x, axis, NodeName());
    }

    private KerasTensor ReluLayer(System.Text.Json.Nodes.JsonObject config, KerasTensor x)
    {
        double slope = Number(config, "negative_slope") ?? 0;
        if (Number(config, "max_value") is double max || (Number(config, "threshold") ?? 0) != 0)
        {
            throw new ArgumentException("ReLU with max_value or threshold is not supported (only max(x, 0) and a negative slope).");
        }

        return slope == 0 ? Unary(x, new ReluOp()) : Unary(x, new LeakyReluOp((float)slope));
    }

    private KerasTensor Dense(KerasLayer layer, KerasTensor x, bool isOutput)
    {
        int units = Int(layer.Config, "units", "output_dim") ?? throw new ArgumentException("missing 'units' (Keras 2) or 'output_dim' (Keras 1).");
        bool useBias = Bool(layer.Config, "use_bias", "bias") ?? true;
        int inFeatures = x.KerasShape[^1];
        Node input = x.Rank == 1 ? x.Node : Arrange(x, Identity(x.Rank), "layout");
        var w = _weights.Layer(layer.Name);
        Tensor kernel = Weight(w, "kernel", [inFeatures, units]);
        Node node = _builder.Dense(input, units, useBias, NodeName());
        var op = (DenseOp)node.Op;
        Span<float> dst = op.Weight.Value.Span;
        for (int i = 0; i < inFeatures; i++)
        {
            for (int o = 0; o < units; o++)
            {
                dst[(o * inFeatures) + i] = kernel.Data[(i * units) + o]; // Keras (in, out) -> ours (out, in)
            }
        }

        LoadBias(w, op.Bias, units, useBias);
        _notes.Add("kernel (in, out) transposed to (out, in)");
        int[] shape = [.. x.KerasShape[..^1], units];
        var result = new KerasTensor(node, shape, Identity(shape.Length));
        return Activation(result, String(layer.Config, "activation") ?? "linear", isOutput, ownLayer: false);
    }

    private KerasTensor Flatten(System.Text.Json.Nodes.JsonObject config, KerasTensor x)
    {
        // Keras 2.2+: Flatten(data_format="channels_first") first moves the channels last, to keep weight order.
        int[] order = String(config, "data_format") == "channels_first" && x.Rank > 1 ? [.. Enumerable.Range(1, x.Rank - 1), 0] : Identity(x.Rank);
        Node n = _builder.Flatten(InElementOrder(x, order), NodeName());
        return KerasTensor.InKerasOrder(n);
    }

    private KerasTensor Reshape(System.Text.Json.Nodes.JsonObject config, KerasTensor x)
    {
        int[] target = Ints(config, "target_shape") ?? throw new ArgumentException("missing 'target_shape'.");
        Node n = _builder.Reshape(InElementOrder(x, Identity(x.Rank)), target, NodeName());
        return KerasTensor.InKerasOrder(n);
    }

    private KerasTensor Permute(System.Text.Json.Nodes.JsonObject config, KerasTensor x)
    {
        int[] dims = Ints(config, "dims") ?? throw new ArgumentException("missing 'dims'.");
        if (dims.Length != x.Rank || !dims.Order().SequenceEqual(Enumerable.Range(1, x.Rank)))
        {
            throw new ArgumentException($"dims ({string.Join(", ", dims)}) must be a permutation of 1..{x.Rank}.");
        }

        // No data moves: only the meaning of the axes changes. New Keras axis k is old axis dims[k] - 1.
        int[] shape = dims.Select(d => x.KerasShape[d - 1]).ToArray();
        int[] axes = x.Axes.Select(a => Array.IndexOf(dims, a + 1)).ToArray();
        _notes.Add("axis relabelling only (no op)");
        return new KerasTensor(x.Node, shape, axes);
    }

    private KerasTensor BatchNormalization(KerasLayer layer, KerasTensor x)
    {
        var config = layer.Config;
        if (Int(config, "mode") is int mode && mode != 0)
        {
            throw new ArgumentException($"Keras 1 BatchNormalization mode {mode} is not supported (only mode 0, feature-wise with running statistics).");
        }

        int[] axisList = Ints(config, "axis") ?? [-1];
        if (axisList.Length != 1)
        {
            throw new ArgumentException($"normalisation over several axes ({string.Join(", ", axisList)}) is not supported.");
        }

        int channelAxis = SampleAxis(axisList[0], x.Rank);
        int[] rest = x.Axes.Where(a => a != channelAxis && x.KerasShape[a] != 1).ToArray();
        if (rest.Length > 1)
        {
            throw new ArgumentException($"BatchNormalization of a {KerasShape(x.KerasShape)} tensor needs at most one axis besides the channels.");
        }

        int[] order = [channelAxis, .. rest];
        Node input = Arrange(x, order, "layout");
        int channels = x.KerasShape[channelAxis];
        float epsilon = (float)(Number(config, "epsilon") ?? 1e-3);
        float momentum = (float)(1 - (Number(config, "momentum") ?? 0.99));
        Node node = _builder.BatchNorm1d(input, momentum, epsilon, affine: true, NodeName());
        var op = (BatchNorm1dOp)node.Op;
        var w = _weights.Layer(layer.Name);
        bool scale = Bool(config, "scale") ?? true;
        bool center = Bool(config, "center") ?? true;
        Fill(op.Weight!.Value, scale ? Weight(w, "gamma", [channels]) : null, 1f);
        Fill(op.Bias!.Value, center ? Weight(w, "beta", [channels]) : null, 0f);
        Fill(op.RunningMean.Value, Weight(w, "moving_mean", [channels]), 0f);
        Fill(op.RunningVar.Value, Weight(w, "moving_variance", [channels]), 1f);
        _notes.Add(string.Create(CultureInfo.InvariantCulture, $"epsilon {epsilon}, momentum {1 - momentum} (Keras) = {momentum} (ours)"));
        return new KerasTensor(node, x.KerasShape, order);
    }

    private KerasTensor AddLayer(KerasTensor[] inputs)
    {
        if (inputs.Length < 1 || inputs.Any(i => !i.KerasShape.SequenceEqual(inputs[0].KerasShape)))
        {
            throw new ArgumentException($"Add needs inputs of one shape; got {string.Join(" and ", inputs.Select(i => KerasShape(i.KerasShape)))}.");
        }

        Node[] nodes = inputs.Select(i => Arrange(i, inputs[0].Axes, "layout")).ToArray();
        return inputs[0] with { Node = _builder.Add(nodes, NodeName()) };
    }

    private KerasTensor ConcatenateLayer(KerasTensor[] inputs, int kerasAxis)
    {
        if (inputs.Length < 1 || inputs.Any(i => i.Rank != inputs[0].Rank))
        {
            throw new ArgumentException($"Concatenate needs inputs of one rank; got {string.Join(" and ", inputs.Select(i => KerasShape(i.KerasShape)))}.");
        }

        int axis = SampleAxis(kerasAxis, inputs[0].Rank);
        int[] order = inputs[0].Axes.Contains(axis) ? inputs[0].Axes : Identity(inputs[0].Rank);
        Node[] nodes = inputs.Select(i => Arrange(i, order, "layout")).ToArray();
        Node n = _builder.Concat(nodes, Array.IndexOf(order, axis) + 1, NodeName());
        int[] shape = (int[])inputs[0].KerasShape.Clone();
        shape[axis] = inputs.Sum(i => i.KerasShape[axis]);
        return new KerasTensor(n, shape, order);
    }

    private KerasTensor Merge(System.Text.Json.Nodes.JsonObject config, KerasTensor[] inputs) => String(config, "mode") switch
    {
        "sum" => AddLayer(inputs),
        "concat" => ConcatenateLayer(inputs, Int(config, "concat_axis") ?? -1),
        string mode => throw new ArgumentException($"Keras 1 Merge mode '{mode}' is not supported (only 'sum' and 'concat')."),
        null => throw new ArgumentException("Keras 1 Merge without a mode."),
    };

    /// <summary>The weight with <paramref name="role"/>, checked against <paramref name="expected"/>.</summary>
    private Tensor Weight(IReadOnlyDictionary<string, (string Name, Tensor Value)> weights, string role, int[] expected)
    {
        if (!weights.TryGetValue(role, out var w))
        {
            throw new ArgumentException($"the weights file {_weights.Path} has no '{role}' weight for this layer (weights present: {(weights.Count == 0 ? "none" : string.Join(", ", weights.Values.Select(v => v.Name)))}).");
        }

        if (!w.Value.Shape.SequenceEqual(expected))
        {
            throw new ArgumentException($"weight '{w.Name}' in {_weights.Path} has shape {Tensor.FormatShape(w.Value.Shape)}; the layer config needs {Tensor.FormatShape(expected)}.");
        }

        return w.Value;
    }

    private void LoadBias(IReadOnlyDictionary<string, (string Name, Tensor Value)> weights, Parameter? bias, int size, bool useBias)
    {
        if (useBias)
        {
            Weight(weights, "bias", [size]).Span.CopyTo(bias!.Value.Span);
        }
        else if (weights.ContainsKey("bias"))
        {
            throw new ArgumentException($"the config says use_bias = false but {_weights.Path} holds a bias for this layer.");
        }
    }

    private static void Fill(Tensor destination, Tensor? source, float otherwise)
    {
        if (source is null)
        {
            destination.Span.Fill(otherwise);
        }
        else
        {
            source.Span.CopyTo(destination.Span);
        }
    }
}
