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

    private static void RequireRank(Node x, int rank, string op, string layout)
    {
        if (x.SampleShape.Length != rank)
        {
            throw new ArgumentException($"{op} expects (batch, {layout[1..]}; node '{x.Name}' has per-sample shape {Tensor.FormatShape(x.SampleShape)}.");
        }
    }
}
