using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Sequences;

namespace SeqLens.Tests.Attribution;

/// <summary>Small models for attribution tests: hand-set weights where values are computed by hand, seeded otherwise.</summary>
internal static class AttributionModels
{
    /// <summary>Sets a dense node's weights (row-major (out, in)) and zero bias.</summary>
    public static void SetDense(Node node, params float[] weights)
    {
        var op = (DenseOp)node.Op;
        weights.CopyTo(op.Weight.Value.Data, 0);
        op.Bias?.Value.Data.AsSpan().Clear();
    }

    /// <summary>y = x1 − ReLU(x1 − x2) = min(x1, x2) on input (1, 2) (the DeepLIFT paper's RevealCancel example, §3.5.3).</summary>
    public static Graph MinNet()
    {
        var b = new GraphBuilder(1);
        Node x = b.Input("x", 1, 2);
        Node a = b.Dense(x, 1, name: "a");
        Node d = b.Dense(x, 1, name: "d");
        Node h = b.Relu(d, name: "h");
        Node y = b.Flatten(b.Sub(a, h, name: "y"));
        SetDense(a, 1, 0);
        SetDense(d, 1, -1);
        return b.Build(y, activation: OutputActivation.None);
    }

    /// <summary>Max-pool (2) over input (1, 4), then dense with weights (1, 2).</summary>
    public static Graph MaxPoolNet()
    {
        var b = new GraphBuilder(1);
        Node x = b.Input("x", 1, 4);
        Node p = b.MaxPool1d(x, 2, name: "pool");
        Node o = b.Dense(b.Flatten(p), 1, name: "out");
        SetDense(o, 1, 2);
        return b.Build(o, activation: OutputActivation.None);
    }

    /// <summary>z = x1·x2 on input (1, 2).</summary>
    public static Graph GateNet()
    {
        var b = new GraphBuilder(1);
        Node x = b.Input("x", 1, 2);
        Node a = b.Dense(x, 1, name: "a");
        Node c = b.Dense(x, 1, name: "c");
        SetDense(a, 1, 0);
        SetDense(c, 0, 1);
        return b.Build(b.Flatten(b.Mul(a, c, name: "gate")), activation: OutputActivation.None);
    }

    /// <summary>A linear model: flatten (4, L) then dense to 2 tasks with a bias.</summary>
    public static Graph Linear(int length, long seed = 3)
    {
        var b = new GraphBuilder(seed);
        Node x = b.Input("dna", 4, length);
        Node o = b.Dense(b.Flatten(x), 2, name: "out");
        ((DenseOp)o.Op).Bias!.Value.Data[0] = 0.7f;
        return b.Build(o, activation: OutputActivation.None);
    }

    /// <summary>
    /// A small genomic CNN with every attribution-relevant op: conv + BN + ReLU, dilated conv, max-pool, residual add, a
    /// sigmoid gate (Mul), ELU, average pool, dense + ReLU, dense to 3 tasks.
    /// </summary>
    public static Graph Mixed(int length, long seed = 5)
    {
        var b = new GraphBuilder(seed);
        Node x = b.Input("dna", 4, length);
        Node h = b.Relu(b.BatchNorm1d(b.Conv1d(x, 6, 5, padding: Padding.Same, name: "conv1"), name: "bn1"), name: "relu1");
        Node d = b.Relu(b.Conv1d(h, 6, 3, dilation: 2, padding: Padding.Same, name: "dconv"), name: "relu2");
        Node r = b.Add(h, d, name: "residual");
        Node gate = b.Mul(b.Elu(r, name: "elu"), b.Sigmoid(b.Conv1d(r, 6, 1, name: "gateconv"), name: "sig"), name: "gate");
        Node p = b.MaxPool1d(gate, 3, name: "pool");
        Node a = b.AvgPool1d(p, 2, name: "avg");
        Node f = b.Relu(b.Dense(b.Flatten(a), 8, name: "fc1"), name: "relu3");
        Node o = b.Dense(f, 3, name: "out");
        RandomiseBatchNorm((BatchNorm1dOp)b.Nodes.First(n => n.Name == "bn1").Op, seed);
        return b.Build(o, activation: OutputActivation.None);
    }

    /// <summary>Gives a batch-norm non-trivial (and some negative) scales and shifts.</summary>
    public static void RandomiseBatchNorm(BatchNorm1dOp bn, long seed)
    {
        var rng = new Rng((ulong)seed + 77);
        for (int c = 0; c < bn.Channels; c++)
        {
            bn.Weight!.Value.Data[c] = (float)((rng.NextDouble() * 2) - 0.6);
            bn.Bias!.Value.Data[c] = (float)((rng.NextDouble() * 0.4) - 0.2);
            bn.RunningMean.Value.Data[c] = (float)((rng.NextDouble() * 0.2) - 0.1);
            bn.RunningVar.Value.Data[c] = (float)(0.5 + rng.NextDouble());
        }
    }

    /// <summary>Random one-hot DNA <c>(n, 4, length)</c>.</summary>
    public static Tensor RandomDna(int n, int length, long seed)
    {
        var rng = new Rng((ulong)seed);
        var seqs = new string[n];
        for (int i = 0; i < n; i++)
        {
            var chars = new char[length];
            for (int l = 0; l < length; l++)
            {
                chars[l] = "ACGT"[rng.NextInt(4)];
            }

            seqs[i] = new string(chars);
        }

        return OneHot.Encode(seqs);
    }
}
