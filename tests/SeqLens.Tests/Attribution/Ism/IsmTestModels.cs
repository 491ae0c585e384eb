using SeqLens.Graphs;

namespace SeqLens.Tests.Attribution.Ism;

/// <summary>Small models covering every kind of node fast ISM handles, with random biases and batch-norm statistics.</summary>
internal static class IsmTestModels
{
    public static readonly string[] Names =
    [
        "plain", "strided", "dilated-residual", "pooling-padded", "concat-branches", "global-max", "mul-gate",
        "batchnorm", "pad-sub-elementwise", "profile-output", "transpose-fallback",
    ];

    public static Graph Create(string name, int length) => name switch
    {
        "plain" => Build(length, (b, x) =>
        {
            Node h = b.Relu(b.Conv1d(x, 6, 5, padding: Padding.Same));
            h = b.MaxPool1d(h, 2);
            h = b.Relu(b.Conv1d(h, 5, 3));
            return b.Dense(b.Flatten(h), 3);
        }),
        "strided" => Build(length, (b, x) =>
        {
            Node h = b.Elu(b.Conv1d(x, 5, 4, stride: 2));
            h = b.Tanh(b.Conv1d(h, 4, 3, stride: 3, padding: Padding.Explicit(2, 1)));
            return b.Dense(b.Flatten(h), 2);
        }),
        "dilated-residual" => Build(length, (b, x) =>
        {
            Node h = b.Relu(b.Conv1d(x, 6, 7, padding: Padding.Same));
            foreach (int d in new[] { 2, 4, 8 })
            {
                Node c = b.Relu(b.Conv1d(h, 6, 3, dilation: d, padding: Padding.Same));
                h = b.Add(h, c);
            }

            return b.Dense(b.GlobalAvgPool(h), 2);
        }),
        "pooling-padded" => Build(length, (b, x) =>
        {
            Node h = b.Relu(b.Conv1d(x, 5, 3, padding: Padding.Same));
            h = b.MaxPool1d(h, 3, 2, Padding.Symmetric(1));
            Node a = b.AvgPool1d(h, 3, 1, Padding.Explicit(1, 2), countIncludePad: false);
            Node c = b.AvgPool1d(h, 2, 1, Padding.Explicit(1, 0), countIncludePad: true);
            h = b.Add(b.Slice(a, 2, 0, -2), b.Slice(c, 2, 0, -1));
            return b.Dense(b.Flatten(h), 2);
        }),
        "concat-branches" => Build(length, (b, x) =>
        {
            Node left = b.Relu(b.Conv1d(x, 4, 5, padding: Padding.Same));
            Node right = b.Sigmoid(b.Conv1d(x, 3, 3, dilation: 2, padding: Padding.Same));
            Node h = b.Concat([left, right]);
            h = b.Relu(b.Conv1d(h, 5, 3, padding: Padding.Same));
            return b.Dense(b.Flatten(b.MaxPool1d(h, 2)), 3);
        }),
        "global-max" => Build(length, (b, x) =>
        {
            Node h = b.Relu(b.Conv1d(x, 6, 5));
            h = b.Relu(b.Conv1d(h, 6, 3, padding: Padding.Same));
            return b.Dense(b.GlobalMaxPool(h), 2);
        }),
        "mul-gate" => Build(length, (b, x) =>
        {
            Node v = b.Conv1d(x, 5, 3, padding: Padding.Same);
            Node g = b.Sigmoid(b.Conv1d(x, 5, 5, padding: Padding.Same));
            Node h = b.Mul(v, g);
            return b.Dense(b.Flatten(b.Gelu(h)), 2);
        }),
        "batchnorm" => Build(length, (b, x) =>
        {
            Node h = b.Relu(b.BatchNorm1d(b.Conv1d(x, 6, 5, padding: Padding.Same)));
            h = b.Dropout(b.MaxPool1d(h, 2), 0.3f);
            h = b.Relu(b.BatchNorm1d(b.Conv1d(h, 4, 3)));
            return b.Dense(b.Flatten(h), 2);
        }),
        "pad-sub-elementwise" => Build(length, (b, x) =>
        {
            Node h = b.Conv1d(b.Pad(x, 2, 2, 0.25f), 5, 4); // length L + 1
            Node k = b.Softplus(b.Conv1d(x, 5, 3, padding: Padding.Same));
            h = b.LeakyRelu(b.Sub(b.Slice(h, 2, 1), k));
            return b.Dense(b.Flatten(h), 2);
        }),
        "profile-output" => Build(length, (b, x) =>
        {
            Node h = b.Relu(b.Conv1d(x, 4, 5, padding: Padding.Same));
            h = b.Add(h, b.Relu(b.Conv1d(h, 4, 3, dilation: 2, padding: Padding.Same)));
            return b.Conv1d(h, 2, 3, padding: Padding.Same);
        }),
        "transpose-fallback" => Build(length, (b, x) =>
        {
            Node h = b.Relu(b.Conv1d(x, 4, 3, padding: Padding.Same));
            h = b.Transpose(b.Transpose(h, [0, 2, 1]), [0, 2, 1]);
            h = b.Relu(b.Conv1d(h, 3, 3, padding: Padding.Same));
            return b.Dense(b.Flatten(h), 2);
        }),
        _ => throw new ArgumentException($"No test model '{name}'."),
    };

    /// <summary>Builds, then randomises every bias and batch-norm statistic so no parameter is trivially zero or one.</summary>
    private static Graph Build(int length, Func<GraphBuilder, Node, Node> body, OutputActivation activation = OutputActivation.Sigmoid)
    {
        var b = new GraphBuilder(seed: 7);
        Node x = b.Input("dna", 4, length);
        Graph g = b.Build(body(b, x), activation: activation);
        Randomize(g, 11);
        return g;
    }

    public static void Randomize(Graph g, ulong seed)
    {
        var rng = new Rng(seed);
        foreach (Parameter p in g.Parameters)
        {
            if (p.LocalName is "bias" or "running_mean")
            {
                for (int i = 0; i < p.Value.Length; i++)
                {
                    p.Value.Data[i] = (rng.NextSingle() - 0.5f) * 0.4f;
                }
            }
            else if (p.LocalName is "running_var" or "weight" && p.Value.Rank == 1)
            {
                for (int i = 0; i < p.Value.Length; i++)
                {
                    p.Value.Data[i] = 0.5f + rng.NextSingle();
                }
            }
        }
    }

    /// <summary>Random one-hot sequences <c>(n, 4, length)</c>; with <paramref name="withN"/> a few all-zero (N) columns.</summary>
    public static Tensor Sequences(int n, int length, ulong seed, bool withN = false)
    {
        var rng = new Rng(seed);
        var x = new Tensor(n, 4, length);
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < length; p++)
            {
                if (withN && rng.NextInt(6) == 0)
                {
                    continue;
                }

                x.Data[(((i * 4) + rng.NextInt(4)) * length) + p] = 1f;
            }
        }

        return x;
    }
}
