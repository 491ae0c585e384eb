using System.Globalization;
using System.Text.Json.Nodes;
using SeqLens.Graphs;
using Xunit.Abstractions;

namespace SeqLens.Tests.Graphs;

/// <summary>
/// Forward and backward of the ops against PyTorch 1.13 (Fixtures/Ops/torch_reference.json, written by
/// tools/make_op_fixtures.py): the op is created from the same model.json attributes through <see cref="OpRegistry"/>,
/// PyTorch's parameters are loaded into it, and output, input gradient, parameter gradients and updated running
/// statistics must agree within 1e-5 relative (plus 1e-6 of the tensor's largest magnitude, for elements near zero).
/// </summary>
public class TorchReferenceTests(ITestOutputHelper output)
{
    private const double Relative = 1e-5;
    private const double FloorOfMax = 1e-6;

    private static readonly Lazy<JsonArray> Cases = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Ops", "torch_reference.json");
        return JsonNode.Parse(File.ReadAllText(path))!["cases"]!.AsArray();
    });

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (JsonNode? c in Cases.Value)
        {
            data.Add(c!["name"]!.GetValue<string>());
        }

        return data;
    }

    [Fact]
    public void Fixture_CoversTheRequiredOps()
    {
        var kinds = Cases.Value.Select(c => c!["kind"]!.GetValue<string>()).ToHashSet();
        foreach (string kind in new[] { "Conv1d", "Dense", "BatchNorm1d", "MaxPool1d", "AvgPool1d", "GlobalMaxPool", "GlobalAvgPool", "Softmax", "LogSoftmax" })
        {
            Assert.Contains(kind, kinds);
        }

        Assert.Contains(Cases.Value, c => c!["kind"]!.GetValue<string>() == "BatchNorm1d" && c["training"]!.GetValue<bool>());
        Assert.Contains(Cases.Value, c => c!["kind"]!.GetValue<string>() == "BatchNorm1d" && !c["training"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ForwardAndBackward_MatchPyTorch(string name)
    {
        JsonNode c = Cases.Value.Single(n => n!["name"]!.GetValue<string>() == name)!;
        Tensor x = Load(c["input"]!);
        string kind = c["kind"]!.GetValue<string>();
        bool training = c["training"]!.GetValue<bool>();

        var b = new GraphBuilder(1);
        Node input = b.Input("x", x.Shape[1..]);
        int[] sampleShape = [1, .. x.Shape[1..]];
        Op op = OpRegistry.Create(kind, new OpAttributes(name, c["attributes"]!.AsObject()), [sampleShape], b.NextInitRandom());
        Graph g = b.Build(b.Add(op, [input], "op"), activation: OutputActivation.None);

        var parameters = c["parameters"]!.AsObject();
        Assert.Equal(parameters.Select(p => p.Key).Order(StringComparer.Ordinal), op.Parameters.Select(p => p.LocalName).Order(StringComparer.Ordinal));
        foreach (Parameter p in op.Parameters)
        {
            Tensor value = Load(parameters[p.LocalName]!);
            Assert.Equal(value.Shape, p.Value.Shape);
            value.Data.CopyTo(p.Value.Data, 0);
        }

        var exec = new Executor(g) { Training = training };
        Tensor y = exec.Forward(x);
        Compare(name + " output", Load(c["output"]!), y);

        g.ZeroGrad();
        exec.Backward(Load(c["output_grad"]!), new BackwardOptions { ParameterGradients = true, InputGradients = true });
        Compare(name + " input grad", Load(c["input_grad"]!), exec.Gradient("x")!);
        var grads = c["parameter_grads"]!.AsObject();
        Assert.Equal(grads.Select(p => p.Key).Order(StringComparer.Ordinal), op.Parameters.Where(p => p.Trainable).Select(p => p.LocalName).Order(StringComparer.Ordinal));
        foreach (Parameter p in op.Parameters.Where(p => p.Trainable))
        {
            Compare($"{name} {p.LocalName} grad", Load(grads[p.LocalName]!), p.Grad);
        }

        if (c["parameters_after"] is JsonObject after)
        {
            foreach ((string key, JsonNode? value) in after)
            {
                Compare($"{name} {key} after", Load(value!), op.Parameters.Single(p => p.LocalName == key).Value);
            }
        }
    }

    private void Compare(string what, Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double max = expected.Data.Max(v => Math.Abs((double)v));
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs((double)expected.Data[i] - actual.Data[i]);
            double allowed = (Relative * Math.Abs(expected.Data[i])) + (FloorOfMax * max);
            worst = Math.Max(worst, err / ((Math.Abs(expected.Data[i]) + (0.1 * max)) + 1e-30));
            if (err > allowed)
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]: PyTorch {expected.Data[i]:G9}, SeqLens {actual.Data[i]:G9} (error {err:G3} > {allowed:G3})."));
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {expected.Length} values, worst error / (|expected| + 0.1·max) = {worst:G3}"));
    }

    private static Tensor Load(JsonNode node)
    {
        int[] shape = node["shape"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        float[] data = node["data"]!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray();
        return new Tensor(data, shape);
    }
}
