using SeqLens.Graphs;

namespace SeqLens.Bench.Models;

/// <summary>
/// The benchmark models of the engine issue, built exactly as tools/bench/torch_models.py builds them in PyTorch.
/// </summary>
internal static class ReferenceModels
{
    /// <summary>
    /// Basset-like, L = 600: Conv(4,300,19,same)+BN+ReLU+MaxPool3 → Conv(300,200,11)+BN+ReLU+MaxPool4 →
    /// Conv(200,200,7)+BN+ReLU+MaxPool4 → Flatten → Dense(1000)+ReLU → Dense(164).
    /// </summary>
    public static Graph BassetLike(long seed = 1)
    {
        var b = new GraphBuilder(seed);
        Node x = b.Input("dna", 4, 600);
        Node h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(x, 300, 19, padding: Padding.Same, name: "conv1"))), 3);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 200, 11, name: "conv2"))), 4);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 200, 7, name: "conv3"))), 4);
        h = b.Relu(b.Dense(b.Flatten(h), 1000, name: "fc1"));
        return b.Build(b.Dense(h, 164, name: "out"));
    }

    /// <summary>
    /// DeepSEA-like, L = 1000: Conv(4,320,8)+ReLU+MaxPool4 → Conv(320,480,8)+ReLU+MaxPool4 → Conv(480,960,8)+ReLU →
    /// Flatten → Dense(925)+ReLU → Dense(919).
    /// </summary>
    public static Graph DeepSeaLike(long seed = 1)
    {
        var b = new GraphBuilder(seed);
        Node x = b.Input("dna", 4, 1000);
        Node h = b.MaxPool1d(b.Relu(b.Conv1d(x, 320, 8, name: "conv1")), 4);
        h = b.MaxPool1d(b.Relu(b.Conv1d(h, 480, 8, name: "conv2")), 4);
        h = b.Relu(b.Conv1d(h, 960, 8, name: "conv3"));
        h = b.Relu(b.Dense(b.Flatten(h), 925, name: "fc1"));
        return b.Build(b.Dense(h, 919, name: "out"));
    }

    /// <summary>A random one-hot batch <c>(batch, 4, length)</c>.</summary>
    public static Tensor RandomOneHot(int batch, int length, long seed)
    {
        var rng = new Rng((ulong)seed);
        var x = new Tensor(batch, 4, length);
        for (int i = 0; i < batch; i++)
        {
            for (int l = 0; l < length; l++)
            {
                x.Data[(((i * 4) + rng.NextInt(4)) * length) + l] = 1f;
            }
        }

        return x;
    }
}
