using System.Text.Json.Nodes;
using SeqLens.Graphs;
using SeqLens.IO;
using SeqLens.IO.Models;
using SeqLens.IO.SafeTensors;

namespace SeqLens.Tests.IO.Models;

public sealed class ModelFileTests : IDisposable
{
    private const string Spec = """
        {
          "format": "seqlens-model", "version": 1,
          "inputs": [ { "name": "dna", "shape": [4, 12] } ],
          "nodes": [
            { "name": "conv", "op": "Conv1d", "inputs": ["dna"], "attributes": { "out_channels": 3, "kernel_size": 5, "padding": "same" } },
            { "name": "relu", "op": "Relu", "inputs": ["conv"] },
            { "name": "out", "op": "Dense", "inputs": ["relu"], "attributes": { "out_features": 2 } }
          ],
          "outputs": [ { "node": "out", "tasks": ["a", "b"], "activation": "sigmoid" } ],
          "metadata": { "note": "test" }
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("seqlens-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SaveLoad_RoundTrip_SameOutputsSpecAndTensorNames()
    {
        var b = new GraphBuilder(seed: 5);
        var x = b.Input("dna", 4, 10);
        var h = b.Relu(b.Conv1d(x, 6, 3, padding: Padding.Symmetric(1), name: "conv1"), name: "relu1");
        h = b.Conv1d(h, 2, 4, stride: 2, dilation: 2, bias: false, name: "conv2");
        Graph g = b.Build(b.Dense(h, 3, name: "dense"), ["x", "y", "z"], OutputActivation.Softmax);
        ModelFile.Save(g, _dir, new JsonObject { ["epochs"] = 3 });

        LoadedModel loaded = ModelFile.Load(_dir);
        Assert.True(loaded.HasWeights);
        Assert.Equal(3, loaded.Metadata["epochs"]!.GetValue<int>());
        Assert.Equal(["x", "y", "z"], loaded.Graph.Outputs[0].TaskNames);
        Assert.Equal(OutputActivation.Softmax, loaded.Graph.Outputs[0].Activation);
        Assert.Equal(g.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal), SafeTensorsFile.Read(Path.Combine(_dir, "model.safetensors")).Tensors.Keys.Order(StringComparer.Ordinal));
        var input = GradientCheckInput(2, 4, 10);
        Assert.Equal(new Executor(g).Forward(input).Data, new Executor(loaded.Graph).Forward(input).Data);
        Assert.Equal(
            ModelSpec.Serialize(ModelSpec.ToJson(g, new JsonObject { ["epochs"] = 3 })),
            ModelSpec.Serialize(ModelSpec.ToJson(loaded.Graph, loaded.Metadata)));
    }

    [Fact]
    public void LoadSpec_HandWrittenSpecWithInferredChannels_BuildsSeededModel()
    {
        string path = Path.Combine(_dir, "spec.json");
        File.WriteAllText(path, Spec);
        LoadedModel a = ModelFile.LoadSpec(path, seed: 1);
        LoadedModel b = ModelFile.LoadSpec(path, seed: 1);
        LoadedModel c = ModelFile.LoadSpec(path, seed: 2);
        Assert.False(a.HasWeights);
        Assert.Equal("test", a.Metadata["note"]!.GetValue<string>());
        Assert.Equal(new[] { 2 }, a.Graph.Outputs[0].Node.SampleShape[^1..]);
        Assert.Equal(new[] { 3, 4, 5 }, a.Graph["conv"].Op.Parameters[0].Value.Shape);
        Assert.Equal(a.Graph.Parameters[0].Value.Data, b.Graph.Parameters[0].Value.Data);
        Assert.NotEqual(a.Graph.Parameters[0].Value.Data, c.Graph.Parameters[0].Value.Data);
    }

    [Fact]
    public void Load_SpecWithoutWeights_SaysHowToTrain()
    {
        File.WriteAllText(Path.Combine(_dir, "model.json"), Spec);
        var ex = Assert.Throws<FileNotFoundException>(() => ModelFile.Load(_dir));
        Assert.Contains("seqlens train --spec", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WeightsMissingExtraOrWrongShape_NamesEveryProblem()
    {
        File.WriteAllText(Path.Combine(_dir, "model.json"), Spec);
        SafeTensorsFile.Write(Path.Combine(_dir, "model.safetensors"), [
            new("conv.weight", new Tensor(3, 4, 4)),
            new("conv.bias", new Tensor(3)),
            new("out.weight", new Tensor(2, 3)),
            new("surplus", new Tensor(1)),
        ]);
        var ex = Assert.Throws<ParseException>(() => ModelFile.Load(_dir));
        Assert.EndsWith("model.safetensors", ex.Path, StringComparison.Ordinal);
        Assert.Contains("missing tensors out.bias", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected tensors surplus", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'conv.weight' has shape (3, 4, 4); the model needs (3, 4, 5)", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadSpecs => new()
    {
        { "unknown op", Spec.Replace("\"op\": \"Relu\"", "\"op\": \"Swish\"", StringComparison.Ordinal), "Node 'relu': unknown op 'Swish'. Supported:" },
        { "unknown input", Spec.Replace("\"inputs\": [\"conv\"]", "\"inputs\": [\"conv9\"]", StringComparison.Ordinal), "node 'relu': unknown input 'conv9'" },
        { "missing attribute", Spec.Replace("\"out_features\": 2", "\"features\": 2", StringComparison.Ordinal), "Node 'out': required attribute 'out_features' is missing" },
        { "bad attribute type", Spec.Replace("\"kernel_size\": 5", "\"kernel_size\": \"five\"", StringComparison.Ordinal), "attribute 'kernel_size' must be an integer" },
        { "wrong format", Spec.Replace("seqlens-model", "keras", StringComparison.Ordinal), "'format' must be \"seqlens-model\"" },
        { "newer version", Spec.Replace("\"version\": 1", "\"version\": 7", StringComparison.Ordinal), "written by a newer SeqLens" },
        { "bad activation", Spec.Replace("\"sigmoid\"", "\"tanh\"", StringComparison.Ordinal), "activation must be sigmoid, softmax or none" },
        { "task count", Spec.Replace("[\"a\", \"b\"]", "[\"a\"]", StringComparison.Ordinal), "2 values per sample but 1 task names" },
        { "unused node", Spec.Replace("\"node\": \"out\", \"tasks\": [\"a\", \"b\"]", "\"node\": \"relu\"", StringComparison.Ordinal), "not connected to any output: out" },
        { "duplicate name", Spec.Replace("\"name\": \"relu\"", "\"name\": \"conv\"", StringComparison.Ordinal), "'conv' is empty or already used" },
        { "shape mismatch", Spec.Replace("\"out_channels\": 3,", "\"out_channels\": 3, \"in_channels\": 5,", StringComparison.Ordinal), "Conv1d expects (batch, 5, length); got (1, 4, 12)" },
        { "inputs not array", Spec.Replace("\"inputs\": [ { \"name\": \"dna\", \"shape\": [4, 12] } ]", "\"inputs\": 3", StringComparison.Ordinal), "'inputs' must be a JSON array; got 3" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void LoadSpec_BadSpec_ParseExceptionNamingProblem(string what, string text, string expected)
    {
        string path = Path.Combine(_dir, what.Replace(' ', '_') + ".json");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<ParseException>(() => ModelFile.LoadSpec(path, 0));
        Assert.Equal(path, ex.Path);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadSpec_InvalidJson_GivesLine()
    {
        string path = Path.Combine(_dir, "broken.json");
        File.WriteAllText(path, "{\n  \"format\": \"seqlens-model\",\n  \"version\": 1 1\n}");
        var ex = Assert.Throws<ParseException>(() => ModelFile.LoadSpec(path, 0));
        Assert.Equal(3, ex.Line);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptWeights_ParseExceptionNamingWeightsFile()
    {
        File.WriteAllText(Path.Combine(_dir, "model.json"), Spec);
        File.WriteAllBytes(Path.Combine(_dir, "model.safetensors"), [1, 2, 3]);
        var ex = Assert.Throws<ParseException>(() => ModelFile.Load(_dir));
        Assert.EndsWith("model.safetensors", ex.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void ExampleSpec_BuildsAndSavesRoundTrip()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SeqLens.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        LoadedModel model = ModelFile.LoadSpec(Path.Combine(dir.FullName, "examples", "cnn.json"), seed: 3);
        Assert.Equal(["task0"], model.Graph.Outputs[0].TaskNames);
        Assert.Equal(new[] { 32, 4, 15 }, model.Graph["conv1"].Op.Parameters[0].Value.Shape);
        Assert.Equal(new[] { 32, 32, 5 }, model.Graph["conv2"].Op.Parameters[0].Value.Shape);
        ModelFile.Save(model.Graph, _dir, model.Metadata);
        LoadedModel again = ModelFile.Load(_dir);
        var x = GradientCheckInput(2, 4, 200);
        Assert.Equal(new Executor(model.Graph).Forward(x).Data, new Executor(again.Graph).Forward(x).Data);
    }

    [Fact]
    public void LoadSpec_MutatedSpecs_OnlyParseExceptions()
    {
        var rng = new Rng(21);
        string path = Path.Combine(_dir, "fuzz.json");
        const string alphabet = "{}[]\",:0123456789-.aeznulltrue ";
        int built = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            char[] text = Spec.ToCharArray();
            int edits = 1 + rng.NextInt(3);
            for (int e = 0; e < edits; e++)
            {
                text[rng.NextInt(text.Length)] = alphabet[rng.NextInt(alphabet.Length)];
            }

            File.WriteAllText(path, new string(text));
            try
            {
                ModelFile.LoadSpec(path, 0);
                built++;
            }
            catch (ParseException ex)
            {
                Assert.Equal(path, ex.Path);
            }
        }

        Assert.InRange(built, 1, 399);
    }

    private static Tensor GradientCheckInput(params int[] shape)
        => SeqLens.Tests.Support.GradientCheck.Random(new Rng(9), -1, 1, shape);
}
