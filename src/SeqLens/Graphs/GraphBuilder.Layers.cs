using SeqLens.Graphs.Ops;

namespace SeqLens.Graphs;

// Convenience methods, one per op: each creates the op (seeding its initialisation) and adds it.
public sealed partial class GraphBuilder
{
    /// <summary>1-D convolution with <paramref name="outChannels"/> filters of width <paramref name="kernelSize"/>.</summary>
    public Node Conv1d(Node x, int outChannels, int kernelSize, int stride = 1, int dilation = 1, Padding padding = default, int groups = 1, bool bias = true, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireRank(x, 2, "Conv1d", "(channels, length)");
        return Add(new Conv1dOp(x.SampleShape[0], outChannels, kernelSize, NextInitRandom(), stride, dilation, padding, groups, bias), [x], name);
    }

    /// <summary>Dense layer on the last axis.</summary>
    public Node Dense(Node x, int outFeatures, bool bias = true, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Add(new DenseOp(x.SampleShape[^1], outFeatures, NextInitRandom(), bias), [x], name);
    }

    /// <summary>ReLU.</summary>
    public Node Relu(Node x, string? name = null) => Add(new ReluOp(), [x], name);

    /// <summary>Leaky ReLU with <paramref name="negativeSlope"/> (default 0.01, PyTorch's).</summary>
    public Node LeakyRelu(Node x, float negativeSlope = 0.01f, string? name = null) => Add(new LeakyReluOp(negativeSlope), [x], name);

    /// <summary>ELU with <paramref name="alpha"/> (default 1).</summary>
    public Node Elu(Node x, float alpha = 1f, string? name = null) => Add(new EluOp(alpha), [x], name);

    /// <summary>Exact (erf) GELU.</summary>
    public Node Gelu(Node x, string? name = null) => Add(new GeluOp(), [x], name);

    /// <summary>Logistic sigmoid.</summary>
    public Node Sigmoid(Node x, string? name = null) => Add(new SigmoidOp(), [x], name);

    /// <summary>Hyperbolic tangent.</summary>
    public Node Tanh(Node x, string? name = null) => Add(new TanhOp(), [x], name);

    /// <summary>Softplus with <paramref name="beta"/> (1) and linear <paramref name="threshold"/> (20), as PyTorch.</summary>
    public Node Softplus(Node x, float beta = 1f, float threshold = 20f, string? name = null) => Add(new SoftplusOp(beta, threshold), [x], name);

    /// <summary>Element-wise exponential.</summary>
    public Node Exp(Node x, string? name = null) => Add(new ExpOp(), [x], name);

    /// <summary>Element-wise natural logarithm.</summary>
    public Node Log(Node x, string? name = null) => Add(new LogOp(), [x], name);

    /// <summary>Batch normalisation over the channels of <c>(B, C, L)</c> or <c>(B, C)</c> (momentum 0.1, eps 1e-5, as PyTorch).</summary>
    public Node BatchNorm1d(Node x, float momentum = 0.1f, float epsilon = 1e-5f, bool affine = true, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.SampleShape.Length is not (1 or 2))
        {
            throw new ArgumentException($"BatchNorm1d expects (batch, channels, length) or (batch, channels); node '{x.Name}' has per-sample shape {Tensor.FormatShape(x.SampleShape)}.");
        }

        return Add(new BatchNorm1dOp(x.SampleShape[0], momentum, epsilon, affine), [x], name);
    }

    /// <summary>Inverted dropout with drop probability <paramref name="p"/> (active in training only).</summary>
    public Node Dropout(Node x, float p = 0.5f, string? name = null) => Add(new DropoutOp(p), [x], name);

    /// <summary>Max pooling over length; <paramref name="stride"/> defaults to <paramref name="kernelSize"/>.</summary>
    public Node MaxPool1d(Node x, int kernelSize, int? stride = null, Padding padding = default, string? name = null)
        => Add(new MaxPool1dOp(kernelSize, stride, padding), [x], name);

    /// <summary>Average pooling over length; <paramref name="countIncludePad"/> true as PyTorch (Keras: false).</summary>
    public Node AvgPool1d(Node x, int kernelSize, int? stride = null, Padding padding = default, bool countIncludePad = true, string? name = null)
        => Add(new AvgPool1dOp(kernelSize, stride, padding, countIncludePad), [x], name);

    /// <summary>Maximum over length: <c>(B, C, L) → (B, C)</c>.</summary>
    public Node GlobalMaxPool(Node x, string? name = null) => Add(new GlobalMaxPoolOp(), [x], name);

    /// <summary>Mean over length: <c>(B, C, L) → (B, C)</c>.</summary>
    public Node GlobalAvgPool(Node x, string? name = null) => Add(new GlobalAvgPoolOp(), [x], name);

    /// <summary>Flattens each sample to one axis.</summary>
    public Node Flatten(Node x, string? name = null) => Add(new FlattenOp(), [x], name);

    /// <summary>Reshapes each sample to <paramref name="sampleShape"/> (batch excluded; one −1 allowed).</summary>
    public Node Reshape(Node x, int[] sampleShape, string? name = null) => Add(new ReshapeOp(sampleShape), [x], name);

    /// <summary>Permutes all axes (batch included, kept first): output axis k is input axis <c>permutation[k]</c>.</summary>
    public Node Transpose(Node x, int[] permutation, string? name = null) => Add(new TransposeOp(permutation), [x], name);

    /// <summary>Pads the last axis with <paramref name="left"/> and <paramref name="right"/> copies of <paramref name="value"/>.</summary>
    public Node Pad(Node x, int left, int right, float value = 0f, string? name = null) => Add(new PadOp(left, right, value), [x], name);

    /// <summary><c>x[..., start:end:step, ...]</c> on <paramref name="axis"/> (batch = 0; Python's negative indices).</summary>
    public Node Slice(Node x, int axis, int start, int? end = null, int step = 1, string? name = null) => Add(new SliceOp(axis, start, end, step), [x], name);

    /// <summary>Joins <paramref name="inputs"/> along <paramref name="axis"/> (batch = 0; default 1, the channels).</summary>
    public Node Concat(IReadOnlyList<Node> inputs, int axis = 1, string? name = null) => Add(new ConcatOp(axis), inputs, name);

    /// <summary>Element-wise sum of <paramref name="a"/> and <paramref name="b"/> (b may be a per-channel vector).</summary>
    public Node Add(Node a, Node b, string? name = null) => Add(new AddOp(), [a, b], name);

    /// <summary>Element-wise sum of several terms.</summary>
    public Node Add(IReadOnlyList<Node> terms, string? name = null) => Add(new AddOp(), terms, name);

    /// <summary>Element-wise <c>a − b</c>.</summary>
    public Node Sub(Node a, Node b, string? name = null) => Add(new SubOp(), [a, b], name);

    /// <summary>Element-wise <c>a·b</c>.</summary>
    public Node Mul(Node a, Node b, string? name = null) => Add(new MulOp(), [a, b], name);

    /// <summary>Sum over <paramref name="axes"/> (batch = 0, not allowed).</summary>
    public Node Sum(Node x, int[] axes, bool keepDims = false, string? name = null) => Add(new SumOp(axes, keepDims), [x], name);

    /// <summary>Mean over <paramref name="axes"/> (batch = 0, not allowed).</summary>
    public Node Mean(Node x, int[] axes, bool keepDims = false, string? name = null) => Add(new MeanOp(axes, keepDims), [x], name);

    /// <summary>Softmax over <paramref name="axis"/> (default the last).</summary>
    public Node Softmax(Node x, int axis = -1, string? name = null) => Add(new SoftmaxOp(axis), [x], name);

    /// <summary>Log-softmax over <paramref name="axis"/> (default the last).</summary>
    public Node LogSoftmax(Node x, int axis = -1, string? name = null) => Add(new LogSoftmaxOp(axis), [x], name);

    private static void RequireRank(Node x, int rank, string op, string layout)
    {
        if (x.SampleShape.Length != rank)
        {
            throw new ArgumentException($"{op} expects (batch, {layout[1..]}; node '{x.Name}' has per-sample shape {Tensor.FormatShape(x.SampleShape)}.");
        }
    }
}
