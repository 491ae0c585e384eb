using System.Text.Json.Nodes;
using SeqLens.Graphs;
using SeqLens.Training.Losses;
using SeqLens.Training.Optimizers;

namespace SeqLens.Tests.Training;

/// <summary>
/// End-to-end training steps against PyTorch (tools/make_training_fixtures.py): conv → ReLU → global max → dense,
/// masked BCE on logits, backward through the executor, optimiser step — three times, from the same weights.
/// </summary>
public class TrainingStepTests
{
    private static readonly JsonNode Fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Training", "train_steps.json")))!;

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("sgd_nesterov")]
    public void ThreeSteps_MatchPyTorchLossesAndWeights(string name)
    {
        JsonNode c = Fixture["cases"]!.AsArray().First(n => n!["name"]!.GetValue<string>() == name)!;
        var b = new GraphBuilder(seed: 0);
        var h = b.GlobalMaxPool(b.Relu(b.Conv1d(b.Input("dna", 4, 12), 3, 5, name: "conv")));
        Graph g = b.Build(b.Dense(h, 2, name: "out"));
        Parameter[] ps = [.. g.TrainableParameters];
        Assert.Equal(["conv.weight", "conv.bias", "out.weight", "out.bias"], ps.Select(p => p.Name));
        for (int k = 0; k < ps.Length; k++)
        {
            Floats(c["initial"]![k]!).CopyTo(ps[k].Value.Data, 0);
        }

        Optimizer opt = name switch
        {
            "adam" => new Adam(ps, 0.05),
            "adamw" => new AdamW(ps, 0.05, weightDecay: 0.1),
            _ => new Sgd(ps, 0.1, momentum: 0.9, nesterov: true),
        };
        var x = new Tensor(Floats(c["x"]!), 6, 4, 12);
        var y = new Tensor(Floats(c["y"]!), 6, 2);
        var exec = new Executor(g) { Training = true };
        var loss = new BinaryCrossEntropyWithLogitsLoss();
        var grad = new Tensor(6, 2);
        double[] losses = c["losses"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        for (int step = 0; step < 3; step++)
        {
            opt.ZeroGrad();
            double l = loss.Compute(exec.Forward(x), y, grad);
            Assert.Equal(losses[step], l, 1e-5);
            exec.Backward(grad, BackwardOptions.Training);
            opt.Step();
        }

        for (int k = 0; k < ps.Length; k++)
        {
            float[] expected = Floats(c["final"]![k]!);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - ps[k].Value.Data[i]) <= 2e-5, $"{name} {ps[k].Name}[{i}]: torch {expected[i]}, ours {ps[k].Value.Data[i]}");
            }
        }
    }

    private static float[] Floats(JsonNode n) => n.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray();
}
