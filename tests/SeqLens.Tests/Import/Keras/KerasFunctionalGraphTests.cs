using SeqLens.Graphs;
using SeqLens.Import.Keras;

namespace SeqLens.Tests.Import.Keras;

/// <summary>Functional-model mechanics: several inputs, and a layer called twice (shared weights).</summary>
public sealed class KerasFunctionalGraphTests : IDisposable
{
    private const string Conv = """
        {"class_name": "Conv1D", "name": "conv_a", "config": {"name": "conv_a", "filters": 3, "kernel_size": [3], "strides": [1],
         "padding": "same", "dilation_rate": [1], "activation": "relu", "use_bias": true}, "inbound_nodes": CALLS}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("seqlens-keras-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Input(string name) => $$$"""
        {"class_name": "InputLayer", "name": "{{{name}}}", "config": {"name": "{{{name}}}", "batch_input_shape": [null, 12, 4]}, "inbound_nodes": []}
        """;

    private string Write(string name, string layers, string inputs, string output)
    {
        string path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, $$$"""
            {"class_name": "Model", "keras_version": "2.1.6", "backend": "tensorflow", "config": {"name": "m", "layers": [{{{layers}}}],
             "input_layers": {{{inputs}}}, "output_layers": [["{{{output}}}", 0, 0]]}}
            """);
        return path;
    }

    [Fact]
    public void SharedLayerOnTwoInputs_EqualsSumOfSingleCalls()
    {
        string weights = KerasFixtures.Path("functional_add_concat.h5");
        string shared = Write(
            "shared",
            string.Join(",", Input("dna"), Input("dna2"), Conv.Replace("CALLS", """[[["dna", 0, 0, {}]], [["dna2", 0, 0, {}]]]""", StringComparison.Ordinal),
                """{"class_name": "Add", "name": "add_1", "config": {"name": "add_1"}, "inbound_nodes": [[["conv_a", 0, 0, {}], ["conv_a", 1, 0, {}]]]}""",
                """{"class_name": "GlobalAveragePooling1D", "name": "gap", "config": {"name": "gap"}, "inbound_nodes": [[["add_1", 0, 0, {}]]]}"""),
            """[["dna", 0, 0], ["dna2", 0, 0]]""",
            "gap");
        string single = Write(
            "single",
            string.Join(",", Input("dna"), Conv.Replace("CALLS", """[[["dna", 0, 0, {}]]]""", StringComparison.Ordinal),
                """{"class_name": "GlobalAveragePooling1D", "name": "gap", "config": {"name": "gap"}, "inbound_nodes": [[["conv_a", 0, 0, {}]]]}"""),
            """[["dna", 0, 0]]""",
            "gap");

        KerasImportResult r = KerasImporter.ImportWithReport(shared, weights);
        Graph two = r.Graph;
        Graph one = KerasImporter.Import(single, weights);
        Assert.Equal(["dna", "dna2"], two.Inputs.Select(i => i.Name));
        Assert.Contains(r.Report.Layers, l => l.LayerName == "conv_a#1" && l.OutputNode.StartsWith("conv_a_call1", StringComparison.Ordinal));

        var expected = KerasFixtures.Json("functional_add_concat.expected.json");
        Tensor x = KerasFixtures.Inputs(expected);
        Tensor x2 = new(x.Data.Reverse().ToArray(), x.Shape);
        Tensor sum = new Executor(two).Forward([x, x2])[0].Clone();
        Tensor a = new Executor(one).Forward(x).Clone();
        Tensor b = new Executor(one).Forward(x2).Clone();
        Assert.Equal([3, 3], sum.Shape);
        for (int i = 0; i < sum.Length; i++)
        {
            Assert.Equal(a.Data[i] + b.Data[i], sum.Data[i], 1e-5);
        }
    }

    [Fact]
    public void Cycle_IsReported()
    {
        string path = Write(
            "cycle",
            string.Join(",", Input("dna"),
                """{"class_name": "Add", "name": "add_1", "config": {"name": "add_1"}, "inbound_nodes": [[["dna", 0, 0, {}], ["add_2", 0, 0, {}]]]}""",
                """{"class_name": "Add", "name": "add_2", "config": {"name": "add_2"}, "inbound_nodes": [[["add_1", 0, 0, {}], ["dna", 0, 0, {}]]]}"""),
            """[["dna", 0, 0]]""",
            "add_2");
        var e = Assert.Throws<SeqLens.IO.ParseException>(() => KerasImporter.Import(path, KerasFixtures.Path("functional_add_concat.h5")));
        Assert.Contains("cycle", e.Message, StringComparison.Ordinal);
    }
}
