using SeqLens.Graphs;
using SeqLens.Import.Onnx;

namespace SeqLens.Tests.Import.Onnx;

/// <summary>
/// Models exported by torch.onnx.export (opset 11 and 13, dynamic batch) and imported: outputs and input gradients (of
/// the sum of the pre-activation outputs) agree with PyTorch 1.13 within 1e-4 relative.
/// </summary>
public class OnnxImporterReferenceTests
{
    public static TheoryData<string, int> Models()
    {
        var data = new TheoryData<string, int>();
        foreach (string model in new[] { "basset", "deepsea", "bpnet", "multitask" })
        {
            data.Add(model, 11);
            data.Add(model, 13);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Import_MatchesPyTorchOutputsAndInputGradients(string model, int opset)
    {
        Graph graph = OnnxImporter.Import(OnnxImportFixtures.Path($"{model}_opset{opset}.onnx"));
        Dictionary<string, Tensor> reference = OnnxImportFixtures.Reference(model);
        Tensor x = reference["x"];
        var exec = new Executor(graph);
        IReadOnlyList<Tensor> outputs = exec.Forward([x]);
        Assert.Equal(reference.Keys.Count(k => k.StartsWith("out", StringComparison.Ordinal)), outputs.Count);
        OnnxImportFixtures.AssertClose(reference["logits0"], outputs[0], $"{model} logits");
        for (int o = 0; o < outputs.Count; o++)
        {
            Tensor predicted = graph.Outputs[o].Activation switch
            {
                OutputActivation.Sigmoid => OnnxImportFixtures.Sigmoid(outputs[o]),
                OutputActivation.Softmax => OnnxImportFixtures.Softmax(outputs[o]),
                _ => outputs[o],
            };
            OnnxImportFixtures.AssertClose(reference["out" + o.ToString(System.Globalization.CultureInfo.InvariantCulture)], predicted, $"{model} output {o}");
        }

        var seeds = outputs.Select(t => (Tensor?)new Tensor(Enumerable.Repeat(1f, t.Length).ToArray(), t.Shape)).ToArray();
        exec.Backward(seeds, new BackwardOptions { InputGradients = true, ParameterGradients = false });
        OnnxImportFixtures.AssertClose(reference["grad"], exec.Gradient(graph.Inputs[0])!, $"{model} input gradient");
    }

    [Theory]
    [InlineData("basset", OutputActivation.Sigmoid)]
    [InlineData("deepsea", OutputActivation.Sigmoid)]
    [InlineData("multitask", OutputActivation.Softmax)]
    [InlineData("bpnet", OutputActivation.None)]
    public void Import_FinalActivationBecomesTheOutputActivation(string model, OutputActivation expected)
    {
        Graph graph = OnnxImporter.Import(OnnxImportFixtures.Path($"{model}_opset13.onnx"));
        Assert.All(graph.Outputs, o => Assert.Equal(expected, o.Activation));
        Assert.DoesNotContain(graph.Nodes, n => n.Op.Kind is "Softmax" or "Sigmoid");

        Graph kept = OnnxImporter.Import(OnnxImportFixtures.Path($"{model}_opset13.onnx"), new OnnxImportOptions { FinalActivationAsOutput = false });
        Assert.All(kept.Outputs, o => Assert.Equal(OutputActivation.None, o.Activation));
        Assert.Equal(expected == OutputActivation.None ? 0 : 1, kept.Nodes.Count(n => n.Op.Kind is "Softmax" or "Sigmoid"));
    }

    [Fact]
    public void Import_NamesLayersAfterPyTorchParameters()
    {
        Graph graph = OnnxImporter.Import(OnnxImportFixtures.Path("multitask_opset13.onnx"));
        string[] names = graph.Parameters.Select(p => p.Name).ToArray();
        Assert.Contains("conv1.weight", names);
        Assert.Contains("fc2.bias", names);
        Assert.Contains("bn.running_var", names);
        Assert.Contains(graph.Nodes, n => n.Op.Kind == "Affine");
        Assert.Equal(0.1f, ((SeqLens.Graphs.Ops.BatchNorm1dOp)graph["bn"].Op).Momentum, 5);
    }

    [Fact]
    public void Import_FoldsTheShapeSubgraphOfView()
    {
        // basset flattens with x.view(x.size(0), -1): Shape, Gather, Unsqueeze, Concat and Reshape fold to one reshape.
        Graph graph = OnnxImporter.Import(OnnxImportFixtures.Path("basset_opset11.onnx"));
        Assert.Equal(1, graph.Nodes.Count(n => n.Op.Kind == "Reshape"));
        Assert.Equal([16 * 12], graph["fc1"].Inputs[0].SampleShape);
        var exec = new Executor(graph);
        Assert.Equal([5, 6], exec.Forward(new Tensor(5, 4, 100)).Shape);
    }
}
