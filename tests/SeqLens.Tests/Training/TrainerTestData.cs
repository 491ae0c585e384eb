using SeqLens.Graphs;

namespace SeqLens.Tests.Training;

/// <summary>Small seeded data and models for trainer tests (independent of the simulation presets).</summary>
internal static class TrainerTestData
{
    /// <summary>
    /// One-hot random DNA <c>(n, 4, length)</c>; task 0 is 1 when <c>GATA</c> is planted (half the rows), task 1 when
    /// <c>CCGG</c> is (independently), so a small CNN can learn both.
    /// </summary>
    public static (Tensor X, Tensor Y) Motifs(int n, int length, ulong seed, int tasks = 2)
    {
        var rng = new Rng(seed);
        var x = new Tensor(n, 4, length);
        var y = new Tensor(n, tasks);
        string[] motifs = ["GATA", "CCGG"];
        for (int i = 0; i < n; i++)
        {
            var seq = new char[length];
            for (int j = 0; j < length; j++)
            {
                seq[j] = "ACGT"[rng.NextInt(4)];
            }

            for (int t = 0; t < tasks; t++)
            {
                if (rng.NextInt(2) == 1)
                {
                    int at = rng.NextInt(length - 3);
                    motifs[t].CopyTo(0, seq, at, 4);
                    y.Data[(i * tasks) + t] = 1f;
                }
            }

            for (int t = 0; t < tasks; t++)
            {
                // Labels follow the final sequence (a later plant may create or break a motif).
                y.Data[(i * tasks) + t] = new string(seq).Contains(motifs[t], StringComparison.Ordinal) ? 1f : 0f;
            }

            for (int j = 0; j < length; j++)
            {
                x.Data[(((i * 4) + "ACGT".IndexOf(seq[j], StringComparison.Ordinal)) * length) + j] = 1f;
            }
        }

        return (x, y);
    }

    /// <summary>conv(8, k=4) → ReLU → global max over positions → dense(tasks); with <paramref name="regularised"/>, batch-norm after the conv and dropout before the dense layer.</summary>
    public static Graph Cnn(int length, int tasks, long seed, bool regularised = false)
    {
        var b = new GraphBuilder(seed);
        var x = b.Input("dna", 4, length);
        var h = b.Conv1d(x, 8, 4, name: "conv");
        if (regularised)
        {
            h = b.BatchNorm1d(h, name: "bn");
        }

        h = b.GlobalMaxPool(b.Relu(h, name: "relu"), name: "pool");
        if (regularised)
        {
            h = b.Dropout(h, 0.25f, name: "drop");
        }

        return b.Build(b.Dense(h, tasks, name: "out"));
    }
}
