using SeqLens.Graphs;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

/// <summary>Ops composed into small genomic networks: gradients through whole graphs in training and evaluation.</summary>
public class OpNetworkTests
{
    /// <summary>A Basset-like stack: conv, batch-norm, tanh, max-pool, dropout, conv, global pools, concat, dense, log-softmax.</summary>
    private static Graph Basset(int length)
    {
        var b = new GraphBuilder(seed: 21);
        Node x = b.Input("dna", 4, length);
        Node h = b.Conv1d(x, 6, 5, padding: Padding.Same, name: "conv1");
        h = b.BatchNorm1d(h, name: "bn1");
        h = b.Tanh(h); // smooth: ELU is not C², which blurs central differences where BN in training moves every input
        h = b.MaxPool1d(h, 3, 2, Padding.Symmetric(1));
        h = b.Dropout(h, 0.2f);
        h = b.Conv1d(h, 4, 3, dilation: 2, padding: Padding.Same, name: "conv2");
        Node pooled = b.Concat([b.GlobalMaxPool(h), b.GlobalAvgPool(h)], axis: 1);
        Node logits = b.Dense(b.Gelu(pooled), 3, name: "out");
        return b.Build(b.LogSoftmax(logits), activation: OutputActivation.None);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 7)]
    public void Basset_Eval_GradientsMatchFiniteDifferences(int batch, int length)
    {
        Graph g = Basset(length);
        var x = OpHarness.Distinct(new Rng(4), [batch, 4, length], 0.1f);
        GradientCheck.Check(g, [x]);
    }

    /// <summary>
    /// Training mode: batch-norm on batch statistics and an active dropout mask inside a network.
    /// </summary>
    /// <remarks>
    /// NOTE: batch-norm in training shrinks input gradients to the float32 noise level of a deep stack's loss (and
    /// makes a preceding bias's gradient exactly zero), so this network normalises its input directly and keeps the
    /// path after it short; the element-wise checks of each op are in their own tests.
    /// </remarks>
    [Theory]
    [InlineData(3, 7)]
    [InlineData(2, 11)]
    public void Training_BatchNormAndDropoutInANetwork_GradientsMatch(int batch, int length)
    {
        var b = new GraphBuilder(seed: 22);
        Node x = b.Input("dna", 4, length);
        Node h = b.BatchNorm1d(x, name: "bn0");
        h = b.Conv1d(h, 5, 3, padding: Padding.Same, name: "conv");
        h = b.Dropout(b.Tanh(h), 0.25f);
        h = b.MaxPool1d(h, 2);
        Graph g = b.Build(b.Dense(b.Flatten(h), 2, name: "out"), activation: OutputActivation.None);
        GradientCheck.Check(g, [OpHarness.Distinct(new Rng(9), [batch, 4, length], 0.1f)], training: true);
    }

    [Fact]
    public void Residual_WithPerChannelBias_GradientsMatch()
    {
        var b = new GraphBuilder(seed: 5);
        Node x = b.Input("dna", 4, 9);
        Node h = b.Conv1d(x, 4, 3, padding: Padding.Same);
        Node gate = b.Sigmoid(b.Conv1d(x, 4, 3, padding: Padding.Same));
        Node bias = b.Mean(b.Tanh(h), [2]);
        Node r = b.Add([x, b.Mul(h, gate)]);
        r = b.Add(r, bias);
        r = b.Slice(b.Pad(r, 1, 2), 2, 1, -1, 2);
        Node y = b.Sum(b.Softplus(b.Transpose(r, [0, 2, 1])), [2]);
        Graph g = b.Build(b.Softmax(b.Flatten(b.Reshape(y, [-1]))), activation: OutputActivation.None);
        GradientCheck.Check(g, [GradientCheck.Random(new Rng(6), -1, 1, [3, 4, 9])]);
    }
}
