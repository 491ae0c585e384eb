using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using static SeqLens.Import.Keras.KerasConfigValues;

namespace SeqLens.Import.Keras;

// Convolution and pooling: 1-D layers, and 2-D layers on height-1 inputs (DNA as a 1 x L image), as 1-D ops.
internal sealed partial class KerasGraphTranslator
{
    private bool ChannelsFirst(KerasLayer layer, bool oneD) => String(layer.Config, "data_format", "dim_ordering") switch
    {
        "channels_first" or "th" => true,
        "channels_last" or "tf" => false,
        _ => !oneD && _channelsFirst2D,
    };

    /// <summary>Keras axes (channels, width) of a 1-D or height-1 2-D tensor, and the height axis (-1 for 1-D).</summary>
    private static (int Channel, int Width, int Height) SpatialAxes(bool oneD, bool channelsFirst) => (oneD, channelsFirst) switch
    {
        (true, true) => (0, 1, -1),
        (true, false) => (1, 0, -1),
        (false, true) => (0, 2, 1),
        (false, false) => (2, 1, 0),
    };

    /// <summary>Brings a conv/pool input to our <c>(C, W)</c> layout, checking rank and height.</summary>
    private Node SpatialInput(KerasTensor x, bool oneD, bool channelsFirst, out int channels)
    {
        (int c, int w, int h) = SpatialAxes(oneD, channelsFirst);
        int rank = oneD ? 2 : 3;
        if (x.Rank != rank)
        {
            string layout = (oneD, channelsFirst) switch
            {
                (true, true) => "(channels, length)",
                (true, false) => "(length, channels)",
                (false, true) => "(channels, 1, length)",
                _ => "(1, length, channels)",
            };
            throw new ArgumentException($"expects input {layout}; got Keras shape {KerasShape(x.KerasShape)}.");
        }

        if (h >= 0 && x.KerasShape[h] != 1)
        {
            throw new ArgumentException($"only inputs of height 1 (DNA as a 1 x length image) are supported; got Keras shape {KerasShape(x.KerasShape)}.");
        }

        channels = x.KerasShape[c];
        return Arrange(x, [c, w], "layout");
    }

    /// <summary>The Keras tensor of a conv/pool output held as our <c>(C, W)</c> node.</summary>
    private static KerasTensor SpatialOutput(Node node, bool oneD, bool channelsFirst)
    {
        (int c, int w, int h) = SpatialAxes(oneD, channelsFirst);
        var shape = new int[oneD ? 2 : 3];
        shape[c] = node.SampleShape[0];
        shape[w] = node.SampleShape[1];
        if (h >= 0)
        {
            shape[h] = 1;
        }

        return new KerasTensor(node, shape, [c, w]);
    }

    private static Padding ConvPadding(string? padding, int kernel, int stride, int dilation, bool flipped) => (padding ?? "valid") switch
    {
        "valid" => Padding.Valid,
        "same" when flipped && (kernel % 2 == 0 || stride != 1) =>
            throw new ArgumentException($"'same' padding with a Theano-flipped kernel of even width {kernel} or stride {stride} is not supported (Theano crops differently)."),
        "same" => Padding.Same,
        "causal" => Padding.Explicit(dilation * (kernel - 1), 0),
        "full" => Padding.Symmetric(dilation * (kernel - 1)),
        string other => throw new ArgumentException($"unsupported padding '{other}' (expected valid, same, causal or full)."),
    };

    private KerasTensor Conv1D(KerasLayer layer, KerasTensor x, bool isOutput)
    {
        var config = layer.Config;
        bool cf = ChannelsFirst(layer, oneD: true);
        Node input = SpatialInput(x, oneD: true, cf, out int cin);
        int filters = Int(config, "filters", "nb_filter") ?? throw new ArgumentException("missing 'filters' (Keras 2) or 'nb_filter' (Keras 1).");
        int k = Int(config, "kernel_size", "filter_length") ?? throw new ArgumentException("missing 'kernel_size' (Keras 2) or 'filter_length' (Keras 1).");
        int stride = Int(config, "strides", "subsample_length") ?? 1;
        int dilation = Int(config, "dilation_rate") ?? 1;
        bool useBias = Bool(config, "use_bias", "bias") ?? true;
        var w = _weights.Layer(layer.Name);

        // Keras 2 kernel (k, in, out); Keras 1 Convolution1D stores (k, 1, in, out).
        bool keras1Shape = w.TryGetValue("kernel", out var kw) && kw.Value.Rank == 4;
        Tensor kernel = keras1Shape ? Weight(w, "kernel", [k, 1, cin, filters]) : Weight(w, "kernel", [k, cin, filters]);
        int outAxis = keras1Shape ? 3 : 2;
        int inAxis = keras1Shape ? 2 : 1;
        var node = ConvNode(input, kernel, outAxis, inAxis, widthAxis: 0, filters, cin, k, stride, dilation, String(config, "padding", "border_mode"), useBias, w);
        var result = SpatialOutput(node, oneD: true, cf);
        return Activation(result, String(config, "activation") ?? "linear", isOutput, ownLayer: false);
    }

    private KerasTensor Conv2D(KerasLayer layer, KerasTensor x, bool isOutput)
    {
        var config = layer.Config;
        bool cf = ChannelsFirst(layer, oneD: false);
        Node input = SpatialInput(x, oneD: false, cf, out int cin);
        int filters = Int(config, "filters", "nb_filter") ?? throw new ArgumentException("missing 'filters' (Keras 2) or 'nb_filter' (Keras 1).");
        int[] size = Ints(config, "kernel_size") ?? [Int(config, "nb_row") ?? -1, Int(config, "nb_col") ?? -1];
        int[] strides = Ints(config, "strides", "subsample") ?? [1, 1];
        int[] dilation = Ints(config, "dilation_rate") ?? [1, 1];
        if (size.Length != 2 || size[1] <= 0 || size[0] != 1)
        {
            throw new ArgumentException($"only 1 x k kernels are supported (DNA as a 1 x length image); got kernel size ({string.Join(", ", size)}).");
        }

        if (strides.Length != 2 || dilation.Length != 2)
        {
            throw new ArgumentException("strides and dilation_rate need two values.");
        }

        int k = size[1];
        bool useBias = Bool(config, "use_bias", "bias") ?? true;
        var w = _weights.Layer(layer.Name);

        // Keras 1 with Theano dim ordering stores (out, in, rows, cols); otherwise (rows, cols, in, out).
        bool oihw = layer.ClassName == "Convolution2D" && cf;
        Tensor kernel = oihw ? Weight(w, "kernel", [filters, cin, 1, k]) : Weight(w, "kernel", [1, k, cin, filters]);
        Node node = oihw
            ? ConvNode(input, kernel, outAxis: 0, inAxis: 1, widthAxis: 3, filters, cin, k, strides[1], dilation[1], String(config, "padding", "border_mode"), useBias, w)
            : ConvNode(input, kernel, outAxis: 3, inAxis: 2, widthAxis: 1, filters, cin, k, strides[1], dilation[1], String(config, "padding", "border_mode"), useBias, w);
        var result = SpatialOutput(node, oneD: false, cf);
        return Activation(result, String(config, "activation") ?? "linear", isOutput, ownLayer: false);
    }

    /// <summary>Adds the Conv1d node and loads the kernel (axes named by role; other axes have size 1) and bias.</summary>
    private Node ConvNode(Node input, Tensor kernel, int outAxis, int inAxis, int widthAxis, int filters, int cin, int k, int stride, int dilation, string? padding, bool useBias, IReadOnlyDictionary<string, (string Name, Tensor Value)> w)
    {
        Padding pad = ConvPadding(padding, k, stride, dilation, _flip);
        Node node = _builder.Conv1d(input, filters, k, stride, dilation, pad, 1, useBias, NodeName());
        var op = (Conv1dOp)node.Op;
        int[] strides = new int[kernel.Rank];
        for (int d = kernel.Rank - 1, s = 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= kernel.Shape[d];
        }

        Span<float> dst = op.Weight.Value.Span;
        for (int o = 0; o < filters; o++)
        {
            for (int i = 0; i < cin; i++)
            {
                for (int j = 0; j < k; j++)
                {
                    // NOTE: Theano convolves (kernel reversed against the input); our Conv1d correlates, so flip the width.
                    int src = (o * strides[outAxis]) + (i * strides[inAxis]) + ((_flip ? k - 1 - j : j) * strides[widthAxis]);
                    dst[(((o * cin) + i) * k) + j] = kernel.Data[src];
                }
            }
        }

        LoadBias(w, op.Bias, filters, useBias);
        _notes.Add($"kernel {Tensor.FormatShape(kernel.Shape)} -> {Tensor.FormatShape(op.Weight.Value.Shape)}{(_flip ? ", reversed along the width (Theano convolution)" : string.Empty)}; padding {pad}");
        return node;
    }

    private KerasTensor Pool1D(KerasLayer layer, KerasTensor x)
    {
        var config = layer.Config;
        bool cf = ChannelsFirst(layer, oneD: true);
        Node input = SpatialInput(x, oneD: true, cf, out _);
        int pool = Int(config, "pool_size", "pool_length") ?? 2;
        int stride = Int(config, "strides", "stride") ?? pool;
        return SpatialOutput(PoolNode(layer.ClassName.StartsWith("Max", StringComparison.Ordinal), input, pool, stride, String(config, "padding", "border_mode")), oneD: true, cf);
    }

    private KerasTensor Pool2D(KerasLayer layer, KerasTensor x)
    {
        var config = layer.Config;
        bool cf = ChannelsFirst(layer, oneD: false);
        Node input = SpatialInput(x, oneD: false, cf, out _);
        int[] pool = Ints(config, "pool_size") ?? [2, 2];
        int[] strides = Ints(config, "strides") ?? pool;
        string padding = String(config, "padding", "border_mode") ?? "valid";
        if (pool.Length != 2 || strides.Length != 2 || (pool[0] != 1 && padding != "same"))
        {
            throw new ArgumentException($"only 1 x k pooling of a height-1 input is supported; got pool size ({string.Join(", ", pool)}), strides ({string.Join(", ", strides)}), padding {padding}.");
        }

        return SpatialOutput(PoolNode(layer.ClassName.StartsWith("Max", StringComparison.Ordinal), input, pool[1], strides[1], padding), oneD: false, cf);
    }

    private Node PoolNode(bool max, Node input, int pool, int stride, string? padding)
    {
        Padding pad = (padding ?? "valid") switch
        {
            "valid" => Padding.Valid,
            "same" => Padding.Same,
            string other => throw new ArgumentException($"unsupported pooling padding '{other}' (expected valid or same)."),
        };

        // Keras averages over the real positions of a window (padding excluded), as TensorFlow.
        return max
            ? _builder.MaxPool1d(input, pool, stride, pad, NodeName())
            : _builder.AvgPool1d(input, pool, stride, pad, countIncludePad: false, NodeName());
    }

    private KerasTensor GlobalPool(KerasLayer layer, KerasTensor x)
    {
        bool oneD = layer.ClassName.EndsWith("1D", StringComparison.Ordinal);
        bool cf = ChannelsFirst(layer, oneD);
        (int c, _, _) = SpatialAxes(oneD, cf);
        if (x.Rank != (oneD ? 2 : 3))
        {
            throw new ArgumentException($"expects a rank-{(oneD ? 2 : 3)} input; got Keras shape {KerasShape(x.KerasShape)}.");
        }

        // Channels first, then every other axis flattened into one length axis.
        int[] order = [c, .. Identity(x.Rank).Where(a => a != c)];
        Node n = Arrange(x, order, "layout");
        if (n.SampleShape.Length > 2)
        {
            n = _builder.Reshape(n, [x.KerasShape[c], -1], NodeName("_reshape"));
        }

        bool max = layer.ClassName.StartsWith("GlobalMax", StringComparison.Ordinal);
        Node node = max ? _builder.GlobalMaxPool(n, NodeName()) : _builder.GlobalAvgPool(n, NodeName());
        return KerasTensor.InKerasOrder(node);
    }
}
