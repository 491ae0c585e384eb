using System.Globalization;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.IO;
using SeqLens.IO.Onnx;

namespace SeqLens.Import.Onnx;

// Converters of the layers with weights, the pools and the activations.
internal sealed partial class OnnxGraphImporter
{
    private Dictionary<string, Action<OnnxNode>> CreateConverters() => new(StringComparer.Ordinal)
    {
        ["Conv"] = Conv,
        ["Gemm"] = Gemm,
        ["MatMul"] = MatMul,
        ["BatchNormalization"] = BatchNormalization,
        ["MaxPool"] = n => Pool(n, max: true),
        ["AveragePool"] = n => Pool(n, max: false),
        ["GlobalMaxPool"] = n => GlobalPool(n, max: true),
        ["GlobalAveragePool"] = n => GlobalPool(n, max: false),
        ["Relu"] = n => Unary(n, new ReluOp()),
        ["LeakyRelu"] = n => Unary(n, new LeakyReluOp(n.GetFloat("alpha", 0.01f))),
        ["Elu"] = n => Unary(n, new EluOp(n.GetFloat("alpha", 1f))),
        ["Sigmoid"] = Sigmoid,
        ["Tanh"] = n => Unary(n, new TanhOp()),
        ["Softplus"] = n => Unary(n, new SoftplusOp()),
        ["Exp"] = n => Unary(n, new ExpOp()),
        ["Log"] = n => Unary(n, new LogOp()),
        ["Softmax"] = n => Softmax(n, log: false),
        ["LogSoftmax"] = n => Softmax(n, log: true),
        ["Add"] = n => Arithmetic(n, '+'),
        ["Sub"] = n => Arithmetic(n, '-'),
        ["Mul"] = n => Arithmetic(n, '*'),
        ["Div"] = n => Arithmetic(n, '/'),
        ["Flatten"] = Flatten,
        ["Reshape"] = ReshapeNode,
        ["Transpose"] = Transpose,
        ["Squeeze"] = Squeeze,
        ["Unsqueeze"] = Unsqueeze,
        ["Concat"] = Concat,
        ["Pad"] = Pad,
        ["Slice"] = Slice,
        ["Identity"] = PassThrough,
        ["Dropout"] = Dropout,
        ["Constant"] = Constant,
        ["ConstantOfShape"] = ConstantOfShape,
        ["Shape"] = Shape,
        ["Gather"] = Gather,
        ["Cast"] = Cast,
        ["ReduceMean"] = n => Reduce(n, mean: true),
        ["ReduceSum"] = n => Reduce(n, mean: false),
    };

    // ---- convolution and dense --------------------------------------------------------------------------------------

    private void Conv(OnnxNode node)
    {
        Node x = GetNode(node, 0);
        OnnxConstant w = GetConst(node, 1, "weight");
        OnnxConstant? b = Has(node, 2) ? GetConst(node, 2, "bias") : null;
        int rank = x.SampleShape.Length + 1;
        bool twoD = rank == 4;
        if (rank != 3 && !twoD)
        {
            throw new NotSupportedException($"its input has shape {Tensor.FormatShape(Full(x))}; SeqLens maps 1-D convolutions on (N, C, L), or (N, C, 1, L) with 1×k kernels");
        }

        if (w.Shape.Length != rank)
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Conv): weight '{node.Inputs[1]}' has shape {Tensor.FormatShape(w.Shape)}; expected rank {rank.ToString(CultureInfo.InvariantCulture)} for input {Tensor.FormatShape(Full(x))}");
        }

        if (twoD && (x.SampleShape[1] != 1 || w.Shape[2] != 1))
        {
            throw new NotSupportedException($"a 2-D convolution with input {Tensor.FormatShape(Full(x))} and kernel {Tensor.FormatShape(w.Shape)}; SeqLens maps only height-1 inputs with 1×k kernels");
        }

        int spatial = rank - 2;
        int k = w.Shape[^1];
        int[] kernelShape = Ints(node, "kernel_shape", w.Shape[2..]);
        if (!kernelShape.AsSpan().SequenceEqual(w.Shape.AsSpan(2)))
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Conv): kernel_shape {Tensor.FormatShape(kernelShape)} does not match weight {Tensor.FormatShape(w.Shape)}");
        }

        int stride = LastOf(node, "strides", spatial, 1);
        int dilation = LastOf(node, "dilations", spatial, 1);
        int groups = (int)node.GetInt("group", 1);
        Padding padding = PaddingOf(node, spatial);
        int inChannels = x.SampleShape[0];
        int outChannels = w.Shape[0];
        if (groups <= 0 || inChannels % groups != 0 || w.Shape[1] * groups != inChannels)
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Conv): weight {Tensor.FormatShape(w.Shape)} with group {groups.ToString(CultureInfo.InvariantCulture)} does not fit {inChannels.ToString(CultureInfo.InvariantCulture)} input channels");
        }

        if (b is not null && b.Count != outChannels)
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Conv): bias has {b.Count.ToString(CultureInfo.InvariantCulture)} values; expected {outChannels.ToString(CultureInfo.InvariantCulture)}");
        }

        var op = new Conv1dOp(new Tensor(Own(w), outChannels, w.Shape[1], k), b is null ? null : new Tensor(Own(b), outChannels), stride, dilation, padding, groups);
        Node input = twoD ? Reshape(node, x, [inChannels, x.SampleShape[2]]) : x;
        Node y = AddOp(node, op, [input], node.Inputs[1]);
        Set(node, twoD ? Reshape(node, y, [outChannels, 1, y.SampleShape[1]]) : y);
    }

    private void Gemm(OnnxNode node)
    {
        Node a = GetNode(node, 0);
        OnnxConstant bm = GetConst(node, 1, "weight (B)");
        if (a.SampleShape.Length != 1 || bm.Shape.Length != 2)
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Gemm) needs a 2-D A and B; got {Tensor.FormatShape(Full(a))} and {Tensor.FormatShape(bm.Shape)}");
        }

        if (node.GetInt("transA", 0) != 0)
        {
            throw new NotSupportedException("transA = 1 would transpose the batch axis");
        }

        bool transB = node.GetInt("transB", 0) != 0;
        float alpha = node.GetFloat("alpha", 1f);
        float beta = node.GetFloat("beta", 1f);
        int inFeatures = a.SampleShape[0];
        int outFeatures = transB ? bm.Shape[0] : bm.Shape[1];
        if ((transB ? bm.Shape[1] : bm.Shape[0]) != inFeatures)
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' (Gemm): B has shape {Tensor.FormatShape(bm.Shape)} (transB {(transB ? 1 : 0).ToString(CultureInfo.InvariantCulture)}); A has {inFeatures.ToString(CultureInfo.InvariantCulture)} features");
        }

        OnnxConstant? c = Has(node, 2) ? GetConst(node, 2, "bias (C)") : null;
        if (c is not null && !(c.Count == outFeatures && c.Shape.Length <= 2 && (c.Shape.Length < 2 || c.Shape[0] == 1)) && c.Count != 1)
        {
            throw new NotSupportedException($"C has shape {Tensor.FormatShape(c.Shape)}; SeqLens maps a bias of shape ({outFeatures.ToString(CultureInfo.InvariantCulture)}), (1, {outFeatures.ToString(CultureInfo.InvariantCulture)}) or a scalar");
        }

        float[] wt;
        if (transB && alpha == 1f)
        {
            wt = Own(bm);
        }
        else if (transB)
        {
            wt = new float[outFeatures * inFeatures];
            System.Numerics.Tensors.TensorPrimitives.Multiply(bm.Floats, alpha, wt);
        }
        else
        {
            wt = new float[outFeatures * inFeatures];
            Transpose2d(bm.Floats, inFeatures, outFeatures, wt, alpha);
        }

        Tensor? bias = null;
        if (c is not null)
        {
            float[] cv = c.Floats;
            bias = new Tensor(outFeatures);
            for (int o = 0; o < outFeatures; o++)
            {
                bias.Data[o] = beta * cv[cv.Length == 1 ? 0 : o];
            }
        }

        var op = new DenseOp(new Tensor(wt, outFeatures, inFeatures), bias);
        Set(node, AddOp(node, op, [a], node.Inputs[1]));
    }

    private void MatMul(OnnxNode node)
    {
        Node a = GetNode(node, 0);
        OnnxConstant bm = GetConst(node, 1, "weight (B)");
        if (bm.Shape.Length != 2 || a.SampleShape[^1] != bm.Shape[0])
        {
            throw new NotSupportedException($"B has shape {Tensor.FormatShape(bm.Shape)} for A {Tensor.FormatShape(Full(a))}; SeqLens maps A (..., K) times a constant (K, M)");
        }

        int inFeatures = bm.Shape[0];
        int outFeatures = bm.Shape[1];

        // MatMul followed by the Add of a constant (M) vector, and nothing else reading the product: one Dense with bias.
        OnnxNode? add = null;
        OnnxConstant? bias = null;
        if (_consumers.TryGetValue(node.Outputs[0], out List<OnnxNode>? users) && users.Count == 1 && !_graphOutputs.Contains(node.Outputs[0])
            && users[0].OpType == "Add" && users[0].Domain is "" or "ai.onnx" && users[0].Inputs.Count == 2)
        {
            int other = users[0].Inputs[0] == node.Outputs[0] ? 1 : 0;
            if (_values.TryGetValue(users[0].Inputs[other], out Value v) && v.Const is OnnxConstant cv && cv.IsFloat
                && cv.Count == outFeatures && cv.Shape.Length >= 1 && cv.Shape[^1] == outFeatures)
            {
                add = users[0];
                bias = cv;
            }
        }

        var weight = new float[outFeatures * inFeatures];
        Transpose2d(bm.Floats, inFeatures, outFeatures, weight, 1f);
        var op = new DenseOp(new Tensor(weight, outFeatures, inFeatures), bias is null ? null : new Tensor((float[])bias.Floats.Clone(), outFeatures));
        Node y = AddOp(node, op, [a], node.Inputs[1]);
        Set(node, y);
        if (add is not null)
        {
            _absorbed.Add(add);
            _converted.Add(add);
            Set(add, y);
        }
    }

    /// <summary>
    /// The constant's float array for an op to keep as its parameter: the first taker gets the converted array itself
    /// (no copy of large weights), later ones a copy, so no two ops share storage.
    /// </summary>
    private float[] Own(OnnxConstant c) => _owned.Add(c) ? c.Floats : (float[])c.Floats.Clone();

    private static void Transpose2d(float[] src, int rows, int cols, float[] dst, float scale)
    {
        // dst (cols, rows) = scale · srcᵀ, src (rows, cols).
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                dst[(c * rows) + r] = scale * src[(r * cols) + c];
            }
        }
    }

    private void BatchNormalization(OnnxNode node)
    {
        Node x = GetNode(node, 0);
        if (node.GetInt("training_mode", 0) != 0)
        {
            throw new NotSupportedException("training_mode = 1; SeqLens imports inference graphs (export with model.eval())");
        }

        RequireUnused(node, 1, "running-mean");
        RequireUnused(node, 2, "running-variance");
        int rank = x.SampleShape.Length + 1;
        bool twoD = rank == 4 && x.SampleShape[1] == 1;
        if (rank is not (2 or 3) && !twoD)
        {
            throw new NotSupportedException($"its input has shape {Tensor.FormatShape(Full(x))}; SeqLens maps (N, C), (N, C, L) or (N, C, 1, L)");
        }

        int channels = x.SampleShape[0];
        string[] roles = ["scale", "bias", "mean", "variance"];
        OnnxConstant[] p = [.. Enumerable.Range(1, 4).Select(i => GetConst(node, i, roles[i - 1]))];
        foreach (OnnxConstant c in p)
        {
            if (c.Count != channels)
            {
                throw new ParseException(_path, 0, 0, $"node '{node.Name}' (BatchNormalization): a parameter has shape {Tensor.FormatShape(c.Shape)}; expected ({channels.ToString(CultureInfo.InvariantCulture)})");
            }
        }

        float epsilon = node.GetFloat("epsilon", 1e-5f);
        float momentum = 1f - node.GetFloat("momentum", 0.9f);
        var op = new BatchNorm1dOp(channels, Math.Clamp(momentum, 0f, 1f), epsilon > 0f ? epsilon : throw new ParseException(_path, 0, 0, $"node '{node.Name}' (BatchNormalization): epsilon must be positive"));
        p[0].Floats.CopyTo(op.Weight!.Value.Data, 0);
        p[1].Floats.CopyTo(op.Bias!.Value.Data, 0);
        p[2].Floats.CopyTo(op.RunningMean.Value.Data, 0);
        p[3].Floats.CopyTo(op.RunningVar.Value.Data, 0);
        Node input = twoD ? Reshape(node, x, [channels, x.SampleShape[2]]) : x;
        Node y = AddOp(node, op, [input], node.Inputs[1]);
        Set(node, twoD ? Reshape(node, y, [channels, 1, y.SampleShape[1]]) : y);
    }

    // ---- pooling -------------------------------------------------------------------------------------------------------

    private void Pool(OnnxNode node, bool max)
    {
        Node x = GetNode(node, 0);
        int rank = x.SampleShape.Length + 1;
        bool twoD = rank == 4 && x.SampleShape[1] == 1;
        if (rank != 3 && !twoD)
        {
            throw new NotSupportedException($"its input has shape {Tensor.FormatShape(Full(x))}; SeqLens pools (N, C, L) or (N, C, 1, L) with 1×k windows");
        }

        if (max)
        {
            RequireUnused(node, 1, "indices");
        }

        int spatial = rank - 2;
        int[] kernel = Ints(node, "kernel_shape", null);
        if (kernel.Length != spatial || (twoD && kernel[0] != 1))
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' ({node.OpType}): kernel_shape {Tensor.FormatShape(kernel)} does not fit input {Tensor.FormatShape(Full(x))} (1-D windows expected)");
        }

        if (node.GetInt("ceil_mode", 0) != 0)
        {
            throw new NotSupportedException("ceil_mode = 1; SeqLens pools with floor (ceil_mode = 0)");
        }

        if (LastOf(node, "dilations", spatial, 1) != 1)
        {
            throw new NotSupportedException("dilated pooling");
        }

        int k = kernel[^1];
        int stride = LastOf(node, "strides", spatial, 1);
        Padding padding = PaddingOf(node, spatial);
        Op op = max
            ? new MaxPool1dOp(k, stride, padding)
            : new AvgPool1dOp(k, stride, padding, node.GetInt("count_include_pad", 0) != 0);
        int channels = x.SampleShape[0];
        Node input = twoD ? Reshape(node, x, [channels, x.SampleShape[2]]) : x;
        Node y = AddOp(node, op, [input]);
        Set(node, twoD ? Reshape(node, y, [channels, 1, y.SampleShape[1]]) : y);
    }

    private void GlobalPool(OnnxNode node, bool max)
    {
        Node x = GetNode(node, 0);
        if (x.SampleShape.Length < 2)
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' ({node.OpType}) needs (N, C, spatial...); got {Tensor.FormatShape(Full(x))}");
        }

        int channels = x.SampleShape[0];
        int length = x.SampleShape.Skip(1).Aggregate(1, (p, d) => p * d);
        Node input = Reshape(node, x, [channels, length]);
        Node pooled = AddOp(node, max ? new GlobalMaxPoolOp() : new GlobalAvgPoolOp(), [input]);
        int[] shape = [channels, .. Enumerable.Repeat(1, x.SampleShape.Length - 1)];
        Set(node, Reshape(node, pooled, shape));
    }

    // ---- activations ---------------------------------------------------------------------------------------------------

    private void Unary(OnnxNode node, Op op) => Set(node, AddOp(node, op, [GetNode(node, 0)]));

    private bool IsFinalOutput(OnnxNode node)
        => _options.FinalActivationAsOutput && _graphOutputs.Contains(node.Outputs[0]) && !_consumers.ContainsKey(node.Outputs[0]);

    private void Sigmoid(OnnxNode node)
    {
        Node x = GetNode(node, 0);
        if (IsFinalOutput(node))
        {
            _activations[node.Outputs[0]] = OutputActivation.Sigmoid;
            Set(node, x);
            return;
        }

        Set(node, AddOp(node, new SigmoidOp(), [x]));
    }

    private void Softmax(OnnxNode node, bool log)
    {
        Node x = GetNode(node, 0);
        int rank = x.SampleShape.Length + 1;
        int axis = NonBatchAxis(node.GetInt("axis", _opset < 13 ? 1 : -1), rank, "axis");
        if (_opset < 13 && axis != rank - 1)
        {
            // Before opset 13 Softmax flattened the axes from 'axis' on into one; that equals a softmax over 'axis' only
            // when every later axis has size 1.
            if (x.SampleShape.Skip(axis).Aggregate(1, (p, d) => p * d) != x.SampleShape[axis - 1])
            {
                throw new NotSupportedException($"opset {_opset.ToString(CultureInfo.InvariantCulture)} {node.OpType} over axes {axis.ToString(CultureInfo.InvariantCulture)}.. of {Tensor.FormatShape(Full(x))} (flattened); SeqLens maps a softmax over one axis");
            }
        }

        if (!log && axis == rank - 1 && IsFinalOutput(node))
        {
            _activations[node.Outputs[0]] = OutputActivation.Softmax;
            Set(node, x);
            return;
        }

        Set(node, AddOp(node, log ? new LogSoftmaxOp(axis) : new SoftmaxOp(axis), [x]));
    }

    // ---- attribute helpers -----------------------------------------------------------------------------------------------

    private int[] Ints(OnnxNode node, string name, int[]? fallback)
    {
        if (node.Attribute(name) is null)
        {
            return fallback ?? throw new ParseException(_path, 0, 0, $"node '{node.Name}' ({node.OpType}) has no attribute '{name}', which it needs");
        }

        return node.GetInts(name).Select(v => v is >= int.MinValue and <= int.MaxValue
            ? (int)v
            : throw new ParseException(_path, 0, 0, $"node '{node.Name}' ({node.OpType}): attribute '{name}' value {v} is out of range")).ToArray();
    }

    /// <summary>The last of a per-spatial-axis attribute (the length axis); earlier axes must hold <paramref name="fallback"/>-compatible 1s.</summary>
    private int LastOf(OnnxNode node, string name, int spatial, int fallback)
    {
        int[] values = Ints(node, name, Enumerable.Repeat(fallback, spatial).ToArray());
        if (values.Length != spatial || values.Any(v => v <= 0))
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' ({node.OpType}): attribute '{name}' is {Tensor.FormatShape(values)}; expected {spatial.ToString(CultureInfo.InvariantCulture)} positive value(s)");
        }

        return values[^1];
    }

    private Padding PaddingOf(OnnxNode node, int spatial)
    {
        string autoPad = node.Attribute("auto_pad") is null ? "NOTSET" : node.GetString("auto_pad");
        switch (autoPad)
        {
            case "VALID":
                return Padding.Valid;
            case "SAME_UPPER":
                return Padding.Same;
            case "NOTSET" or "":
                break;
            default:
                throw new NotSupportedException($"auto_pad = {autoPad}; SeqLens maps NOTSET, VALID and SAME_UPPER");
        }

        int[] pads = Ints(node, "pads", new int[2 * spatial]);
        if (pads.Length != 2 * spatial || pads.Any(p => p < 0))
        {
            throw new ParseException(_path, 0, 0, $"node '{node.Name}' ({node.OpType}): pads {Tensor.FormatShape(pads)}; expected {(2 * spatial).ToString(CultureInfo.InvariantCulture)} non-negative values");
        }

        if (spatial == 2 && (pads[0] != 0 || pads[2] != 0))
        {
            throw new NotSupportedException("padding of the height axis of a (N, C, 1, L) input");
        }

        return Padding.Explicit(pads[spatial - 1], pads[^1]);
    }
}
