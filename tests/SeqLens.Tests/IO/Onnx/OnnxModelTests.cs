using System.Text.Json;
using SeqLens.IO;
using SeqLens.IO.Onnx;

namespace SeqLens.Tests.IO.Onnx;

public class OnnxModelTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Onnx");

    public static TheoryData<string> Files() =>
    [
        "cnn_opset11.onnx", "cnn_opset13.onnx", "batchnorm_opset13.onnx", "reshape_opset13.onnx", "softmax_opset11.onnx", "typed_fields.onnx",
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_Fixture_MatchesOnnxPythonApi(string file)
    {
        JsonElement expected = Expected(file);
        OnnxModel model = OnnxModel.Load(Path.Combine(Dir, file));

        Assert.Equal(expected.GetProperty("ir_version").GetInt64(), model.IrVersion);
        Assert.Equal(expected.GetProperty("producer_name").GetString(), model.ProducerName);
        var opsets = expected.GetProperty("opset_import").EnumerateArray()
            .Select(o => new OnnxOpsetImport(o.GetProperty("domain").GetString()!, o.GetProperty("version").GetInt64())).ToList();
        Assert.Equal(opsets, model.OpsetImports);
        var metadata = expected.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(metadata, model.Metadata);
        AssertGraph(expected.GetProperty("graph"), model.Graph, withInitializers: true);
    }

    [Fact]
    public void Load_Cnn_GivesOpsetAttributesAndWeights()
    {
        OnnxModel model = OnnxModel.Load(Path.Combine(Dir, "cnn_opset11.onnx"));

        Assert.Equal(11, model.OpsetVersion());
        Assert.Null(model.OpsetVersion("com.microsoft"));
        Assert.Equal(["Conv", "Relu", "MaxPool", "Flatten", "Gemm"], model.Graph.Nodes.Select(n => n.OpType));
        OnnxNode conv = model.Graph.Nodes[0];
        Assert.Equal([5L], conv.GetInts("kernel_shape"));
        Assert.Equal([2L, 2L], conv.GetInts("pads"));
        Assert.Equal(1, conv.GetInt("group", 1));
        Assert.Equal(7, conv.GetInt("no_such_attribute", 7));
        Assert.True(model.Graph.TryGetInitializer("conv.weight", out OnnxTensor? w));
        Tensor weight = w.ToTensor();
        Assert.Equal([3, 4, 5], weight.Shape);
        Assert.False(model.Graph.TryGetInitializer("dna", out _));
        OnnxNode gemm = model.Graph.Nodes[^1];
        Assert.Equal(1.0f, gemm.GetFloat("alpha"));
        Assert.Equal(1, gemm.GetInt("transB"));
    }

    [Fact]
    public void Load_DynamicBatch_KeepsDimParam()
    {
        OnnxModel model = OnnxModel.Load(Path.Combine(Dir, "reshape_opset13.onnx"));

        IReadOnlyList<OnnxDimension> shape = model.Graph.Inputs[0].Shape!;
        Assert.Equal(new OnnxDimension(null, "batch"), shape[0]);
        Assert.False(shape[0].IsFixed);
        Assert.Equal(4, shape[1].Value);
        Assert.Equal("dna: Float[batch, 4, 20]", model.Graph.Inputs[0].ToString());
        // The shape-op constants of x.view(x.size(0), -1) are INT64 tensors.
        OnnxTensor minusOne = model.Graph.Nodes.Where(n => n.OpType == "Constant").Select(n => n.GetTensor("value"))
            .Single(t => t.DataType == OnnxDataType.Int64 && t.ToInt64() is [-1]);
        Assert.Equal([1L], minusOne.Dims);
    }

    [Fact]
    public void Load_TypedFields_ConvertsEveryTypeToFloat32()
    {
        OnnxGraph g = OnnxModel.Load(Path.Combine(Dir, "typed_fields.onnx")).Graph;

        Assert.Equal([0.5f, -1.25f, 2.0f, 3.5f, -0.125f, 1e-3f], Init(g, "f32_typed").ToFloat32());
        Assert.Equal([1.5f, -2.25f, 1e10f], Init(g, "f64_typed").ToFloat32());
        Assert.Equal([1L, -2L, 3_000_000_000L, -4L], Init(g, "i64_typed").ToInt64());
        Assert.Equal([7f, -8f], Init(g, "i32_typed").ToFloat32());
        Assert.Equal([1.5f, -0.0999755859375f, 65504f], Init(g, "f16_typed").ToFloat32());
        Assert.Equal([0f, 128f, 255f], Init(g, "u8_typed").ToFloat32());
        Assert.Equal([1L, 0L], Init(g, "bool_typed").ToInt64());
        Assert.Equal([1f, 2f, 3f, -4.5f], Init(g, "f16_raw").ToFloat32());
        Assert.Equal([-3L, 4L], Init(g, "i8_raw").ToInt64());
        Assert.Equal([5f, -6f, 7f], Init(g, "i64_raw").ToFloat32());
        Assert.Equal([0, 3], Init(g, "empty").ToTensor().Shape);
        Tensor scalar = Init(g, "scalar").ToTensor();
        Assert.Equal(0, scalar.Rank);
        Assert.Equal(2.5f, scalar.Data[0]);
        Assert.Throws<NotSupportedException>(() => Init(g, "f32_typed").ToInt64());
    }

    [Fact]
    public void Load_TypedFields_GivesEveryAttributeKind()
    {
        OnnxModel model = OnnxModel.Load(Path.Combine(Dir, "typed_fields.onnx"));
        OnnxNode custom = model.Graph.Nodes.Single(n => n.Name == "custom");

        Assert.Equal("seqlens.test", custom.Domain);
        Assert.Equal(1, model.OpsetVersion("seqlens.test"));
        Assert.Equal("same", custom.GetString("mode"));
        Assert.Equal([0.5f, 2f], custom.GetFloats("scales"));
        Assert.Equal(["a", "bc"], custom.Attribute("names")!.Strings);
        Assert.Equal(0.125f, model.Graph.Nodes.Single(n => n.Name == "leaky").GetFloat("alpha"));
        OnnxNode branch = model.Graph.Nodes.Single(n => n.OpType == "If");
        Assert.Equal("Neg", branch.GetGraph("else_branch").Nodes[0].OpType);
        Assert.Equal([4f, -5f], model.Graph.Nodes[0].GetTensor("value").ToFloat32());

        ParseException wrongType = Assert.Throws<ParseException>(() => custom.GetInt("mode"));
        Assert.Contains("'mode' is String; expected Int", wrongType.Message, StringComparison.Ordinal);
        Assert.EndsWith("typed_fields.onnx", wrongType.Path, StringComparison.Ordinal);
        Assert.Throws<ParseException>(() => custom.GetInts("missing"));
    }

    [Fact]
    public void Load_ExternalData_IsRejectedClearly()
    {
        string path = Path.Combine(Dir, "external_data.onnx");

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Load(path));

        Assert.Equal(path, ex.Path);
        Assert.Contains("external file ('external_data.bin')", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TensorProto", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NonSeekableStream_SameAsLoad()
    {
        string path = Path.Combine(Dir, "softmax_opset11.onnx");
        using var stream = new NonSeekableStream(File.ReadAllBytes(path));

        OnnxModel model = OnnxModel.Read(stream, "softmax");

        Assert.Equal("softmax", model.SourcePath);
        Assert.Equal("Softmax", model.Graph.Nodes[^1].OpType);
        Assert.Equal(1, model.Graph.Nodes[^1].GetInt("axis"));
    }

    private static OnnxTensor Init(OnnxGraph g, string name)
        => g.TryGetInitializer(name, out OnnxTensor? t) ? t : throw new KeyNotFoundException(name);

    private static JsonElement Expected(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json")));
        return doc.RootElement.EnumerateArray().Single(e => e.GetProperty("file").GetString() == file).Clone();
    }

    private static void AssertGraph(JsonElement expected, OnnxGraph graph, bool withInitializers)
    {
        Assert.Equal(expected.GetProperty("name").GetString(), graph.Name);
        AssertValues(expected.GetProperty("inputs"), graph.Inputs);
        AssertValues(expected.GetProperty("outputs"), graph.Outputs);
        JsonElement[] nodes = [.. expected.GetProperty("nodes").EnumerateArray()];
        Assert.Equal(nodes.Length, graph.Nodes.Count);
        for (int i = 0; i < nodes.Length; i++)
        {
            JsonElement e = nodes[i];
            OnnxNode n = graph.Nodes[i];
            Assert.Equal(e.GetProperty("name").GetString(), n.Name);
            Assert.Equal(e.GetProperty("op_type").GetString(), n.OpType);
            Assert.Equal(e.GetProperty("domain").GetString(), n.Domain);
            Assert.Equal(Strings(e.GetProperty("inputs")), n.Inputs);
            Assert.Equal(Strings(e.GetProperty("outputs")), n.Outputs);
            JsonElement[] attrs = [.. e.GetProperty("attributes").EnumerateArray()];
            Assert.Equal(attrs.Length, n.Attributes.Count);
            for (int k = 0; k < attrs.Length; k++)
            {
                AssertAttribute(attrs[k], n.Attributes[k]);
            }
        }

        if (withInitializers)
        {
            JsonElement[] inits = [.. expected.GetProperty("initializers").EnumerateArray()];
            Assert.Equal(inits.Length, graph.Initializers.Count);
            for (int i = 0; i < inits.Length; i++)
            {
                AssertTensor(inits[i], graph.Initializers[i]);
            }
        }
    }

    private static void AssertAttribute(JsonElement e, OnnxAttribute a)
    {
        Assert.Equal(e.GetProperty("name").GetString(), a.Name);
        string type = e.GetProperty("type").GetString()!;
        Assert.Equal(type, a.Type.ToString().ToUpperInvariant());
        JsonElement v = e.GetProperty("value");
        switch (a.Type)
        {
            case OnnxAttributeType.Float: Assert.Equal(v.GetSingle(), a.Float); break;
            case OnnxAttributeType.Int: Assert.Equal(v.GetInt64(), a.Int); break;
            case OnnxAttributeType.String: Assert.Equal(v.GetString(), a.String); break;
            case OnnxAttributeType.Floats: Assert.Equal(v.EnumerateArray().Select(x => x.GetSingle()), a.Floats); break;
            case OnnxAttributeType.Ints: Assert.Equal(v.EnumerateArray().Select(x => x.GetInt64()), a.Ints); break;
            case OnnxAttributeType.Strings: Assert.Equal(Strings(v), a.Strings); break;
            case OnnxAttributeType.Tensor: AssertTensor(v, a.Tensor!); break;
            case OnnxAttributeType.Graph: AssertGraph(v, a.Graph!, withInitializers: false); break;
            default: Assert.Fail($"unexpected attribute kind {a.Type}"); break;
        }
    }

    private static void AssertTensor(JsonElement e, OnnxTensor t)
    {
        Assert.Equal(e.GetProperty("name").GetString(), t.Name);
        Assert.Equal(e.GetProperty("data_type").GetString(), t.DataType.ToString().ToUpperInvariant());
        Assert.Equal(e.GetProperty("dims").EnumerateArray().Select(x => x.GetInt64()), t.Dims);
        Assert.Equal(e.GetProperty("count").GetInt64(), t.ElementCount);
        float[] values = t.ToFloat32();
        double[] first = [.. e.GetProperty("first").EnumerateArray().Select(x => x.GetDouble())];
        for (int i = 0; i < first.Length; i++)
        {
            Assert.Equal((float)first[i], values[i]);
        }

        double sum = values.Sum(x => (double)x);
        double expectedSum = e.GetProperty("sum").GetDouble();
        Assert.True(Math.Abs(sum - expectedSum) <= 1e-6 * Math.Max(1, Math.Abs(expectedSum)), $"{t.Name}: sum {sum} vs {expectedSum}");
    }

    private static void AssertValues(JsonElement expected, IReadOnlyList<OnnxValueInfo> values)
    {
        JsonElement[] e = [.. expected.EnumerateArray()];
        Assert.Equal(e.Length, values.Count);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.Equal(e[i].GetProperty("name").GetString(), values[i].Name);
            Assert.True(values[i].IsTensor);
            Assert.Equal(e[i].GetProperty("elem_type").GetString(), values[i].ElementType.ToString().ToUpperInvariant());
            string[] dims = [.. e[i].GetProperty("dims").EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number
                ? d.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) : d.GetString()!)];
            Assert.Equal(dims, values[i].Shape!.Select(d => d.ToString()));
        }
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(x => x.GetString()!)];

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
