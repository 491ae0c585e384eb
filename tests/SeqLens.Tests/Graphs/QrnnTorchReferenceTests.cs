using System.Globalization;
using System.Text.Json.Nodes;
using SeqLens.Graphs;
using Xunit.Abstractions;

namespace SeqLens.Tests.Graphs;

/// <summary>
/// The QRNN layer (GraphBuilder.Qrnn) against a PyTorch 1.13 QRNN written with a Python loop over time
/// (Fixtures/Qrnn/qrnn_reference.json, written by tools/make_qrnn_fixtures.py): output, input gradient and every
/// parameter gradient within 1e-5 relative (plus 1e-6 of the tensor's largest magnitude for values near zero).
/// </summary>
public class QrnnTorchReferenceTests(ITestOutputHelper output)
{
    private const double Relative = 1e-5;
    private const double FloorOfMax = 1e-6;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (JsonNode? c in Load())
        {
            data.Add(c!["name"]!.GetValue<string>());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Layer_MatchesPyTorch(string name)
    {
        JsonNode c = Load().First(n => n!["name"]!.GetValue<string>() == name)!;
        Tensor x = ToTensor(c["input"]!);
        var b = new GraphBuilder(1);
        Node input = b.Input("x", x.Shape[1..]);
        Node q = b.Qrnn(input, c["hidden"]!.GetValue<int>(), c["width"]!.GetValue<int>(), c["layers"]!.GetValue<int>(), c["bidirectional"]!.GetValue<bool>(), name: "q");
        Graph g = b.Build(q, activation: OutputActivation.None);
        var parameters = c["params"]!.AsObject();
        Assert.Equal(parameters.Count, g.Parameters.Count);
        foreach (var p in g.Parameters)
        {
            Tensor v = ToTensor(parameters[p.Name]!);
            Assert.Equal(v.Shape, p.Value.Shape);
            v.Data.CopyTo(p.Value.Data, 0);
        }

        var exec = new Executor(g);
        Tensor y = exec.Forward(x);
        Compare("output", ToTensor(c["output"]!), y);
        g.ZeroGrad();
        exec.Backward(ToTensor(c["output_grad"]!), new BackwardOptions { ParameterGradients = true, InputGradients = true });
        Compare("input gradient", ToTensor(c["input_grad"]!), exec.Gradient("x")!);
        foreach (var p in g.Parameters)
        {
            Compare("gradient of " + p.Name, ToTensor(c["param_grads"]![p.Name]!), p.Grad);
        }
    }

    private static JsonArray Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Qrnn", "qrnn_reference.json");
        return JsonNode.Parse(File.ReadAllText(path))!["cases"]!.AsArray();
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
            worst = Math.Max(worst, err / (Math.Abs(expected.Data[i]) + 1e-30));
            if (err > allowed)
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]: PyTorch {expected.Data[i]:G9}, SeqLens {actual.Data[i]:G9} (error {err:G3} > {allowed:G3})."));
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {expected.Length} values, worst relative error {worst:G3}"));
    }

    private static Tensor ToTensor(JsonNode node)
    {
        int[] shape = node["shape"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
        float[] data = node["data"]!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray();
        return new Tensor(data, shape);
    }
}
