using SeqLens.Attribution.Ism;
using SeqLens.Graphs;

namespace SeqLens.Tests.Attribution.Ism;

public class InSilicoMutagenesisTests
{
    /// <summary>ISM by hand: mutate one base, run the executor on that one sequence, subtract.</summary>
    private static float[] BruteForce(Graph g, Tensor x, int start, int end, bool logRatio = false)
    {
        int n = x.Shape[0], length = x.Shape[2];
        var executor = new Executor(g);
        int tasks = g.Outputs[0].Node.SampleShape.Aggregate(1, (a, b) => a * b);
        var result = new float[n * tasks * 4 * length];
        var one = new Tensor(1, 4, length);
        for (int i = 0; i < n; i++)
        {
            x.Data.AsSpan(i * 4 * length, 4 * length).CopyTo(one.Data);
            float[] reference = executor.Forward(one).Data.ToArray();
            for (int p = start; p < end; p++)
            {
                for (int b = 0; b < 4; b++)
                {
                    x.Data.AsSpan(i * 4 * length, 4 * length).CopyTo(one.Data);
                    bool identity = true;
                    for (int c = 0; c < 4; c++)
                    {
                        identity &= one.Data[(c * length) + p] == (c == b ? 1f : 0f);
                        one.Data[(c * length) + p] = c == b ? 1f : 0f;
                    }

                    if (identity)
                    {
                        continue;
                    }

                    float[] y = executor.Forward(one).Data;
                    for (int t = 0; t < tasks; t++)
                    {
                        double score = logRatio
                            ? Math.Log(1 / (1 + Math.Exp(-(double)y[t]))) - Math.Log(1 / (1 + Math.Exp(-(double)reference[t])))
                            : y[t] - reference[t];
                        result[((((i * tasks) + t) * 4) + b) * length + p] = (float)score;
                    }
                }
            }
        }

        return result;
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(expected[i] - actual[i]) / Math.Max(1, Math.Abs(expected[i]));
            if (!(err <= worst))
            {
                worst = err;
                at = i;
            }
        }

        Assert.True(worst <= tolerance, $"max relative error {worst:E2} at {at}: expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)}");
    }

    [Theory]
    [InlineData("plain", 17)]
    [InlineData("dilated-residual", 23)]
    [InlineData("mul-gate", 9)]
    public void Naive_EqualsBruteForce(string model, int length)
    {
        Graph g = IsmTestModels.Create(model, length);
        Tensor x = IsmTestModels.Sequences(2, length, 3, withN: true);
        IsmResult r = new InSilicoMutagenesis(g, new IsmOptions { Method = IsmMethod.Naive, BatchSize = 7 }).Attribute(x);
        AssertClose(BruteForce(g, x, 0, length), r.Scores.Data, 1e-6);
    }

    [Theory]
    [InlineData("plain", 17)]
    [InlineData("pooling-padded", 20)]
    [InlineData("concat-branches", 12)]
    public void Fast_EqualsBruteForce(string model, int length)
    {
        Graph g = IsmTestModels.Create(model, length);
        Tensor x = IsmTestModels.Sequences(2, length, 5, withN: true);
        IsmResult r = new InSilicoMutagenesis(g, new IsmOptions { BatchSize = 10 }).Attribute(x);
        AssertClose(BruteForce(g, x, 0, length), r.Scores.Data, 1e-4);
    }

    public static TheoryData<string, int> FastCases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in IsmTestModels.Names)
        {
            foreach (int length in new[] { 13, 31, 64 })
            {
                data.Add(name, length);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FastCases))]
    public void Fast_EqualsNaive(string model, int length)
    {
        Graph g = IsmTestModels.Create(model, length);
        Tensor x = IsmTestModels.Sequences(2, length, (ulong)length, withN: length == 31);
        IsmResult naive = new InSilicoMutagenesis(g, new IsmOptions { Method = IsmMethod.Naive, BatchSize = 64 }).Attribute(x);
        IsmResult fast = new InSilicoMutagenesis(g, new IsmOptions { BatchSize = 37 }).Attribute(x);
        AssertClose(naive.Scores.Data, fast.Scores.Data, 1e-4);
        AssertClose(naive.Reference.Data, fast.Reference.Data, 1e-5);
        Assert.Contains(naive.Scores.Data, v => v != 0f);
    }

    [Fact]
    public void Scores_ZeroAtReferenceBaseAndOutsideWindow()
    {
        const int length = 20;
        Graph g = IsmTestModels.Create("plain", length);
        Tensor x = IsmTestModels.Sequences(1, length, 9);
        IsmResult r = new InSilicoMutagenesis(g, new IsmOptions { Start = 5, End = 12 }).Attribute(x);
        Assert.Equal([1, 3, 4, length], r.Scores.Shape);
        Tensor task = r.ForTask(1);
        for (int p = 0; p < length; p++)
        {
            for (int b = 0; b < 4; b++)
            {
                float s = task[0, b, p];
                bool reference = x[0, b, p] == 1f;
                if (reference || p < 5 || p >= 12)
                {
                    Assert.Equal(0f, s);
                }
                else
                {
                    Assert.NotEqual(0f, s);
                }
            }
        }

        AssertClose(BruteForce(g, x, 5, 12), r.Scores.Data, 1e-4);
    }

    [Fact]
    public void LogRatio_Sigmoid_EqualsBruteForce()
    {
        const int length = 15;
        Graph g = IsmTestModels.Create("strided", length);
        Tensor x = IsmTestModels.Sequences(2, length, 13);
        IsmResult r = new InSilicoMutagenesis(g, new IsmOptions { Score = IsmScore.LogRatio }).Attribute(x);
        AssertClose(BruteForce(g, x, 0, length, logRatio: true), r.Scores.Data, 1e-4);
    }

    [Fact]
    public void LogRatio_Softmax_IsLogSoftmaxDifference()
    {
        const int length = 12;
        var b = new GraphBuilder(seed: 3);
        Node input = b.Input("dna", 4, length);
        Graph g = b.Build(b.Dense(b.Flatten(b.Relu(b.Conv1d(input, 3, 3))), 4), activation: OutputActivation.Softmax);
        Tensor x = IsmTestModels.Sequences(1, length, 2);
        IsmResult diff = new InSilicoMutagenesis(g).Attribute(x);
        IsmResult log = new InSilicoMutagenesis(g, new IsmOptions { Score = IsmScore.LogRatio }).Attribute(x);
        float[] z0 = diff.Reference.Data;
        double Lse(Func<int, double> z) => Math.Log(Enumerable.Range(0, 4).Sum(t => Math.Exp(z(t))));
        for (int p = 0; p < length; p++)
        {
            for (int bs = 0; bs < 4; bs++)
            {
                if (x[0, bs, p] == 1f)
                {
                    continue;
                }

                // z_mut[t] = z0[t] + diff[t]; log-ratio[t] = diff[t] − (lse(z_mut) − lse(z0)).
                double shift = Lse(t => z0[t] + diff.Scores[0, t, bs, p]) - Lse(t => z0[t]);
                for (int t = 0; t < 4; t++)
                {
                    Assert.Equal(diff.Scores[0, t, bs, p] - shift, log.Scores[0, t, bs, p], 1e-4);
                }
            }
        }
    }

    [Fact]
    public void ReverseComplementAverage_IsMeanOfBothStrands()
    {
        const int length = 16;
        Graph g = IsmTestModels.Create("concat-branches", length);
        Tensor x = IsmTestModels.Sequences(2, length, 21);
        var options = new IsmOptions { Start = 3, End = 11 };
        IsmResult forward = new InSilicoMutagenesis(g, options).Attribute(x);
        IsmResult averaged = new InSilicoMutagenesis(g, options with { ReverseComplementAverage = true }).Attribute(x);
        IsmResult reverse = new InSilicoMutagenesis(g, new IsmOptions { Start = length - 11, End = length - 3 })
            .Attribute(SeqLens.Sequences.ReverseComplement.OneHot(x));
        bool differs = false;
        for (int i = 0; i < 2; i++)
        {
            for (int t = 0; t < 3; t++)
            {
                for (int bs = 0; bs < 4; bs++)
                {
                    for (int p = 0; p < length; p++)
                    {
                        float expected = 0.5f * (forward.Scores[i, t, bs, p] + reverse.Scores[i, t, 3 - bs, length - 1 - p]);
                        Assert.Equal(expected, averaged.Scores[i, t, bs, p], 1e-5);
                        differs |= Math.Abs(expected - forward.Scores[i, t, bs, p]) > 1e-4;
                    }
                }
            }
        }

        Assert.True(differs, "the model is not strand-symmetric, so averaging must change some score");
    }

    [Fact]
    public void FastPlan_WindowsStopAtFirstNonLocalNode()
    {
        Graph g = IsmTestModels.Create("plain", 40);
        var plan = new FastMutantEvaluator(g, 0, 40, 8);
        string[] local = plan.LocalNodes.ToArray();
        Assert.Equal(6, local.Length); // input, conv, relu, pool, conv, relu
        Assert.DoesNotContain(local, n => n.StartsWith("Flatten", StringComparison.Ordinal) || n.StartsWith("Dense", StringComparison.Ordinal));
        Assert.Equal(1, plan.WidthOf("dna"));
        Assert.Equal(5, plan.WidthOf(local[1])); // kernel 5 same padding: p-2..p+2
        Assert.Equal(3, plan.WidthOf(local[3])); // pool 2 (stride 2) of a 5-wide window
        Assert.Equal(5, plan.WidthOf(local[4])); // valid conv 3: 3 + 2
    }

    [Fact]
    public void Fast_SameBytesForAnyBatchSize()
    {
        const int length = 40;
        Graph g = IsmTestModels.Create("dilated-residual", length);
        Tensor x = IsmTestModels.Sequences(2, length, 17, withN: true);
        float[] a = new InSilicoMutagenesis(g, new IsmOptions { BatchSize = 3 }).Attribute(x).Scores.Data;
        float[] b = new InSilicoMutagenesis(g, new IsmOptions { BatchSize = 160 }).Attribute(x).Scores.Data;
        Assert.Equal(a, b);
    }

    /// <summary>
    /// The benchmark's full-size Basset-like model at L = 600: windows at the start, the middle and near the end. Floor-mode
    /// pooling drops the last positions (the final pool reads conv3 outputs 0..39 of 41, which reach input 590 at most), so
    /// substitutions at 591.. change nothing: both methods must give exact zeros there.
    /// </summary>
    [Fact]
    public void Fast_EqualsNaive_FullSizeBasset()
    {
        const int length = 600;
        var b = new GraphBuilder(seed: 1);
        Node input = b.Input("dna", 4, length);
        Node h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(input, 300, 19, padding: Padding.Symmetric(9)))), 3);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 200, 11))), 4);
        h = b.MaxPool1d(b.Relu(b.BatchNorm1d(b.Conv1d(h, 200, 7))), 4);
        Graph g = b.Build(b.Dense(b.Relu(b.Dense(b.Flatten(h), 1000)), 164));
        IsmTestModels.Randomize(g, 3);
        Tensor x = IsmTestModels.Sequences(1, length, 23);
        foreach ((int start, int end) in new[] { (0, 4), (298, 302), (587, 591) })
        {
            var options = new IsmOptions { Start = start, End = end };
            IsmResult naive = new InSilicoMutagenesis(g, options with { Method = IsmMethod.Naive }).Attribute(x);
            IsmResult fast = new InSilicoMutagenesis(g, options).Attribute(x);
            AssertClose(naive.Scores.Data, fast.Scores.Data, 1e-4);
            Assert.True(naive.Scores.Data.Max(Math.Abs) > 1e-3, $"window [{start}, {end}): all scores are below 1e-3");
        }

        var tail = new IsmOptions { Start = 591, End = 600 };
        Assert.All(new InSilicoMutagenesis(g, tail with { Method = IsmMethod.Naive }).Attribute(x).Scores.Data, v => Assert.Equal(0f, v));
        Assert.All(new InSilicoMutagenesis(g, tail).Attribute(x).Scores.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void BadInput_SaysExpectedAndGot()
    {
        Graph g = IsmTestModels.Create("plain", 10);
        var ism = new InSilicoMutagenesis(g);
        var ex = Assert.Throws<ArgumentException>(() => ism.Attribute(new Tensor(1, 4, 11)));
        Assert.Contains("(batch, 4, 10)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new InSilicoMutagenesis(g, new IsmOptions { Start = 4, End = 4 }).Attribute(new Tensor(1, 4, 10)));
        var b = new GraphBuilder(seed: 1);
        Graph regression = b.Build(b.Dense(b.Flatten(b.Input("dna", 4, 10)), 1), activation: OutputActivation.None);
        var log = Assert.Throws<ArgumentException>(() => new InSilicoMutagenesis(regression, new IsmOptions { Score = IsmScore.LogRatio }));
        Assert.Contains("sigmoid or softmax", log.Message, StringComparison.Ordinal);
    }
}
