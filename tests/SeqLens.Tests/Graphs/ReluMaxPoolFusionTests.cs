using SeqLens.Attribution;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Kernels;
using SeqLens.Tests.Attribution;

namespace SeqLens.Tests.Graphs;

/// <summary>Executor.FuseReluMaxPool: a max pool's paired DeepLIFT rule run through the ReLU before it in one pass.</summary>
public class ReluMaxPoolFusionTests
{
    private const int Length = 70;

    /// <summary>conv1 → bn1 → relu1 → pool1 (kernel, stride) → conv2 → relu2 → pool2 (3) → dense → relu → dense (3 tasks).</summary>
    private static Graph Model(int kernel, int stride)
    {
        var b = new GraphBuilder(31);
        Node x = b.Input("dna", 4, Length);
        Node h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(x, 8, 5, padding: Padding.Same, name: "conv1"), name: "bn1"), name: "relu1"), kernel, stride, name: "pool1");
        h = b.MaxPool1d(b.Relu(b.Conv1d(h, 6, 3, name: "conv2"), name: "relu2"), 3, name: "pool2");
        Node f = b.Relu(b.Dense(b.Flatten(h), 10, name: "fc1"), name: "relu3");
        Graph g = b.Build(b.Dense(f, 3, name: "out"), activation: OutputActivation.None);
        AttributionModels.RandomiseBatchNorm((BatchNorm1dOp)g["bn1"].Op, 8);
        return g;
    }

    /// <summary>One input row and 5 shuffled references (shared rows), Rescale; returns the input multipliers and the executor.</summary>
    private static (float[] Multipliers, Executor Exec) Run(Graph g, bool fuse, int threads = 2, ISet<Node>? keep = null)
    {
        Tensor x = AttributionModels.RandomDna(1, Length, 4);
        var batch = new Tensor(6, 4, Length);
        x.Data.CopyTo(batch.Data, 0);
        AttributionReferences refs = AttributionReferences.DinucleotideShuffles(5, 2);
        for (int j = 0; j < 5; j++)
        {
            refs.Fill(x.Data, 4, 0, j, batch.Data.AsSpan((j + 1) * 4 * Length, 4 * Length));
        }

        int saved = KernelThreads.MaxDegree;
        try
        {
            KernelThreads.MaxDegree = threads;
            var exec = new Executor(g) { FuseReluMaxPool = fuse };
            if (keep is not null)
            {
                exec.KeepNodes = (IReadOnlySet<Node>)keep;
            }

            exec.Forward(batch);
            var seed = new Tensor(6, 3);
            for (int r = 1; r < 6; r++)
            {
                seed[r, 2] = 1f;
            }

            exec.Backward(seed, new BackwardOptions { NodeRules = DeepLiftRules.Resolve(g, DeepLiftRule.Rescale), Pairs = RowPairs.Shared(1, 5), InputGradients = true });
            return ((float[])exec.Gradient(g.Inputs[0])!.Data.Clone(), exec);
        }
        finally
        {
            KernelThreads.MaxDegree = saved;
        }
    }

    [Fact]
    public void Fused_NonOverlappingPools_BitIdenticalToTheTwoRules()
    {
        Graph g = Model(2, 2);
        (float[] plain, _) = Run(g, fuse: false);
        (float[] fused, Executor exec) = Run(g, fuse: true);
        Assert.True(plain.Max(Math.Abs) > 1e-3);
        Assert.Equal(plain, fused);
        Assert.Throws<InvalidOperationException>(() => exec.Gradient("relu1"));
        Assert.Throws<InvalidOperationException>(() => exec.Conservation(g["relu2"]));
        Assert.NotNull(exec.Gradient("bn1")); // the ReLU's input multipliers are there
        NodeConservation pool = exec.Conservation(g["pool1"]);
        Assert.True(pool.Gap(1) <= 1e-5 * (1 + pool.Magnitude[1]));
    }

    [Fact]
    public void Fused_OverlappingPool_EqualUpToRounding_AndThreadCountDoesNotMatter()
    {
        Graph g = Model(3, 2);
        (float[] plain, _) = Run(g, fuse: false);
        (float[] fused, _) = Run(g, fuse: true, threads: 2);
        (float[] fusedOne, _) = Run(g, fuse: true, threads: 1);
        double scale = plain.Max(Math.Abs);
        for (int k = 0; k < plain.Length; k++)
        {
            Assert.True(Math.Abs(plain[k] - fused[k]) <= 1e-5 * scale, $"element {k}: fused {fused[k]} vs {plain[k]}");
        }

        Assert.Equal(fusedOne, fused);
    }

    [Fact]
    public void Fused_KeptReluIsNotFused()
    {
        Graph g = Model(2, 2);
        (float[] plain, Executor reference) = Run(g, fuse: false);
        (float[] fused, Executor exec) = Run(g, fuse: true, keep: new HashSet<Node> { g["relu1"] });
        Assert.Equal(plain, fused);
        Assert.Equal(reference.Gradient("relu1")!.Data, exec.Gradient("relu1")!.Data);
        Assert.Throws<InvalidOperationException>(() => exec.Gradient("relu2"));
    }
}
