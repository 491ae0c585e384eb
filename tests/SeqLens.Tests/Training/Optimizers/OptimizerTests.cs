using System.Text.Json.Nodes;
using SeqLens.Graphs;
using SeqLens.Training.Optimizers;

namespace SeqLens.Tests.Training.Optimizers;

public class OptimizerTests
{
    private static readonly JsonNode Fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Training", "optimizers.json")))!;

    public static TheoryData<string> Cases => new(Fixture["cases"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Steps_MatchPyTorch(string name)
    {
        JsonNode c = Fixture["cases"]!.AsArray().First(x => x!["name"]!.GetValue<string>() == name)!;
        Parameter[] ps = [.. Enumerable.Range(0, 2).Select(k => new Parameter("p" + k, Tensor.FromValues(Floats(c["initial"]![k]!), Ints(c["shapes"]![k]!))))];
        Optimizer opt = name switch
        {
            "sgd" => new Sgd(ps, 0.1),
            "sgd_momentum" => new Sgd(ps, 0.05, momentum: 0.9, weightDecay: 0.01),
            "sgd_nesterov" => new Sgd(ps, 0.05, momentum: 0.8, nesterov: true),
            "adam" or "adam_clip" => new Adam(ps, 0.01),
            "adam_l2" => new Adam(ps, 0.02, 0.8, 0.99, 1e-6, 0.1),
            "adamw" => new AdamW(ps, 0.01, weightDecay: 0.05),
            _ => throw new InvalidOperationException(name),
        };

        foreach (JsonNode? step in c["grads"]!.AsArray())
        {
            for (int k = 0; k < ps.Length; k++)
            {
                Floats(step![k]!).CopyTo(ps[k].Grad.Data, 0);
            }

            if (name == "adam_clip")
            {
                GradientClipping.ClipByGlobalNorm(ps, 0.5);
            }

            opt.Step();
        }

        for (int k = 0; k < ps.Length; k++)
        {
            float[] expected = Floats(c["final"]![k]!);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - ps[k].Value.Data[i]) <= 1e-6 + (1e-6 * Math.Abs(expected[i])), $"{name} p{k}[{i}]: torch {expected[i]}, ours {ps[k].Value.Data[i]}");
            }
        }
    }

    [Fact]
    public void Sgd_Momentum_HandComputed()
    {
        var p = new Parameter("w", Tensor.FromValues([1f], 1));
        var opt = new Sgd([p], 0.1, momentum: 0.5);
        p.Grad.Data[0] = 2f;
        opt.Step(); // buf = 2; w = 1 - 0.2 = 0.8
        Assert.Equal(0.8f, p.Value.Data[0], 6);
        p.Grad.Data[0] = 1f;
        opt.Step(); // buf = 0.5·2 + 1 = 2; w = 0.8 - 0.2 = 0.6
        Assert.Equal(0.6f, p.Value.Data[0], 6);
    }

    [Fact]
    public void Adam_FirstStep_MovesByLearningRateTimesSign()
    {
        // With bias correction the first Adam step is -lr·g/(|g| + eps·...) ≈ -lr·sign(g).
        var p = new Parameter("w", Tensor.FromValues([0.5f, -0.5f], 2));
        var opt = new Adam([p], 0.01);
        p.Grad.Data[0] = 3f;
        p.Grad.Data[1] = -0.001f;
        opt.Step();
        Assert.Equal(0.49f, p.Value.Data[0], 5);
        Assert.Equal(-0.49f, p.Value.Data[1], 4);
    }

    [Fact]
    public void ClipByGlobalNorm_ScalesToMaxNormAndReturnsNorm()
    {
        var a = new Parameter("a", Tensor.FromValues([0f, 0f], 2));
        var b = new Parameter("b", Tensor.FromValues([0f], 1));
        a.Grad.Data[0] = 3f;
        a.Grad.Data[1] = 0f;
        b.Grad.Data[0] = 4f;
        double norm = GradientClipping.ClipByGlobalNorm([a, b], 1.0);
        Assert.Equal(5.0, norm, 12);
        Assert.Equal(0.6f, a.Grad.Data[0], 5);
        Assert.Equal(0.8f, b.Grad.Data[0], 5);
        Assert.Equal(1.0, GradientClipping.ClipByGlobalNorm([a, b], 2.0), 5);
        Assert.Equal(0.6f, a.Grad.Data[0], 5); // below the limit: unchanged
    }

    [Fact]
    public void ReduceOnPlateau_MatchesPyTorch()
    {
        foreach (JsonNode? s in Fixture["schedules"]!.AsArray())
        {
            var p = new Parameter("w", new Tensor(1));
            var opt = new Sgd([p], 1.0);
            JsonNode o = s!["options"]!;
            var scheduler = new ReduceLearningRateOnPlateau(
                opt,
                s["mode"]!.GetValue<string>() == "min" ? MetricMode.Min : MetricMode.Max,
                o["factor"]!.GetValue<double>(),
                o["patience"]!.GetValue<int>(),
                cooldown: o["cooldown"]?.GetValue<int>() ?? 0,
                minLearningRate: o["min_lr"]?.GetValue<double>() ?? 0);
            double[] metrics = s["metrics"]!.AsArray().Select(m => m!.GetValue<double>()).ToArray();
            double[] lrs = s["lrs"]!.AsArray().Select(m => m!.GetValue<double>()).ToArray();
            for (int i = 0; i < metrics.Length; i++)
            {
                scheduler.Step(metrics[i]);
                Assert.Equal(lrs[i], opt.LearningRate, 12);
            }
        }
    }

    [Fact]
    public void Sgd_NesterovWithoutMomentum_Throws()
        => Assert.Throws<ArgumentException>(() => new Sgd([new Parameter("w", new Tensor(1))], 0.1, nesterov: true));

    [Fact]
    public void Step_SkipsNonTrainableParameters()
    {
        var stats = new Parameter("running_mean", Tensor.FromValues([1f], 1), trainable: false);
        var opt = new Adam([stats], 0.1);
        Assert.Empty(opt.Parameters);
        opt.Step();
        Assert.Equal(1f, stats.Value.Data[0]);
    }

    private static float[] Floats(JsonNode n) => n.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray();

    private static int[] Ints(JsonNode n) => n.AsArray().Select(v => v!.GetValue<int>()).ToArray();
}
