using SeqLens.Graphs;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

/// <summary>One-op graphs for op tests: build, run forward, and gradient-check.</summary>
internal static class OpHarness
{
    /// <summary>A graph <c>x → layer(x)</c> whose input has the per-sample shape of <paramref name="shape"/> (batch first).</summary>
    public static Graph Single(int[] shape, Func<GraphBuilder, Node, Node> layer, long seed = 7)
    {
        var b = new GraphBuilder(seed);
        Node x = b.Input("x", shape[1..]);
        return b.Build(layer(b, x), activation: OutputActivation.None);
    }

    /// <summary>Runs <paramref name="graph"/> forward (evaluation unless <paramref name="training"/>) and returns a copy of the output.</summary>
    public static Tensor Run(Graph graph, Tensor input, bool training = false, long seed = 0)
        => new Executor(graph, seed) { Training = training }.Forward(input).Clone();

    /// <summary>Builds <c>x → layer(x)</c>, draws an input in [lo, hi) and gradient-checks input and parameter gradients.</summary>
    public static void Check(int[] shape, Func<GraphBuilder, Node, Node> layer, float lo = -1f, float hi = 1f, float awayFromZero = 0f, bool training = false, long seed = 11)
    {
        Graph g = Single(shape, layer, seed);
        Tensor x = GradientCheck.Random(new Rng((ulong)seed), lo, hi, shape, awayFromZero);
        GradientCheck.Check(g, [x], training: training);
    }

    /// <summary>Values in random order that differ pairwise by at least <paramref name="spacing"/> (no max-pool ties within a check step).</summary>
    public static Tensor Distinct(Rng rng, int[] shape, float spacing = 0.05f)
    {
        var t = new Tensor(shape);
        var order = Enumerable.Range(0, t.Length).ToArray();
        rng.Shuffle(order.AsSpan());
        for (int i = 0; i < t.Length; i++)
        {
            t.Data[i] = (order[i] - (t.Length / 2f)) * spacing;
        }

        return t;
    }

    /// <summary>Asserts element-wise closeness with a relative-plus-absolute tolerance, naming the worst element.</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative = 1e-6, double absolute = 1e-7, string what = "value")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs((double)expected[i] - actual[i]);
            if (err > absolute + (relative * Math.Abs(expected[i])))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9} (error {err:G3}).");
            }
        }
    }
}
