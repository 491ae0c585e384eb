using SeqLens.Import.Keras;
using SeqLens.IO;

namespace SeqLens.Tests.Import.Keras;

/// <summary>Bad model files give a <see cref="ParseException"/> naming the file, the layer and what was expected.</summary>
public sealed class KerasMalformedInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("seqlens-keras-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Weights => KerasFixtures.Path("permute_reshape.h5");

    /// <summary>The permute_reshape model JSON with <paramref name="from"/> replaced by <paramref name="to"/>.</summary>
    private string EditedJson(string from, string to, string fixture = "permute_reshape.json")
    {
        string text = File.ReadAllText(KerasFixtures.Path(fixture));
        Assert.Contains(from, text, StringComparison.Ordinal);
        string path = Path.Combine(_dir, "model.json");
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
        return path;
    }

    private string WriteJson(string text)
    {
        string path = Path.Combine(_dir, "model.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Import_TruncatedJson_ReportsLineAndColumn()
    {
        string path = WriteJson("{\n  \"class_name\": \"Sequential\",\n  \"config\": [\n");
        var e = Assert.Throws<ParseException>(() => KerasImporter.Import(path, Weights));
        Assert.Equal(path, e.Path);
        Assert.True(e.Line >= 3, e.Message);
        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_JsonThatIsNotAModel_SaysWhatWasExpected()
    {
        var e = Assert.Throws<ParseException>(() => KerasImporter.Import(WriteJson("[1, 2]"), Weights));
        Assert.Contains("\"class_name\"", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ParseException>(() => KerasImporter.Import(WriteJson("{\"class_name\": \"Graph\", \"config\": {}}"), Weights));
        Assert.Contains("unsupported model class \"Graph\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_UnknownLayer_NamesClassLayerAndSupportedList()
    {
        string path = EditedJson("\"GlobalAveragePooling1D\"", "\"LSTM\"");
        var e = Assert.Throws<ParseException>(() => KerasImporter.Import(path, Weights));
        Assert.Equal(path, e.Path);
        Assert.True(e.Line > 0, "the layer's line in the JSON");
        Assert.Contains("layer 'gap_1' (LSTM)", e.Message, StringComparison.Ordinal);
        Assert.Contains("unsupported layer class 'LSTM'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Conv1D", e.Message, StringComparison.Ordinal);
        Assert.Contains("BatchNormalization", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_UnsupportedActivation_NamesIt()
    {
        string path = EditedJson("\"activation\": \"tanh\"", "\"activation\": \"hard_sigmoid\"");
        var e = Assert.Throws<ParseException>(() => KerasImporter.Import(path, Weights));
        Assert.Contains("layer 'conv_cf' (Conv1D)", e.Message, StringComparison.Ordinal);
        Assert.Contains("unsupported activation 'hard_sigmoid'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_LayerWithoutWeightsInFile_NamesLayerAndFile()
    {
        string path = EditedJson("\"dense_1\"", "\"dense_9\"");
        var e = Assert.Throws<ParseException>(() => KerasImporter.Import(path, Weights));
        Assert.Equal(Weights, e.Path);
        Assert.Contains("no weights for layer 'dense_9'", e.Message, StringComparison.Ordinal);
        Assert.Contains("dense_1", e.Message, StringComparison.Ordinal); // lists what is there
    }

    [Fact]
    public void Import_WeightShapeDisagreesWithConfig_SaysExpectedAndGot()
    {
        string path = EditedJson("\"filters\": 3", "\"filters\": 5");
        var e = Assert.Throws<ParseException>(() => KerasImporter.Import(path, Weights));
        Assert.Contains("layer 'conv_cf'", e.Message, StringComparison.Ordinal);
        Assert.Contains("conv_cf/kernel:0", e.Message, StringComparison.Ordinal);
        Assert.Contains("(3, 4, 3)", e.Message, StringComparison.Ordinal);
        Assert.Contains("(3, 4, 5)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_ReshapeToWrongSize_NamesLayer()
    {
        string path = EditedJson("\"target_shape\": [\n      8,\n      3\n     ]", "\"target_shape\": [7, 3]");
        var e = Assert.Throws<ParseException>(() => KerasImporter.Import(path, Weights));
        Assert.Contains("layer 'reshape_1' (Reshape)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_FunctionalInputFromUnknownLayer_NamesIt()
    {
        string path = EditedJson("\"conv_a\",\n       0,", "\"conv_zz\",\n       0,", "functional_add_concat.json");
        var e = Assert.Throws<ParseException>(() => KerasImporter.Import(path, KerasFixtures.Path("functional_add_concat.h5")));
        Assert.Contains("unknown layer 'conv_zz'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_WeightsFileNotHdf5_NamesTheFile()
    {
        string json = KerasFixtures.Path("permute_reshape.json");
        var e = Assert.Throws<ParseException>(() => KerasImporter.Import(json, json));
        Assert.Equal(json, e.Path);
    }

    [Fact]
    public void ImportFullModel_WeightsOnlyFile_SaysToPassTheJson()
    {
        var e = Assert.Throws<ParseException>(() => KerasImporter.ImportFullModel(Weights));
        Assert.Contains("model_config", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_SquareConv2dKernel_RefusedWithReason()
    {
        string json = """
            {"class_name": "Sequential", "keras_version": "2.1.6", "backend": "tensorflow", "config": [
              {"class_name": "Conv2D", "config": {"name": "conv2d_1", "filters": 3, "kernel_size": [3, 3], "padding": "valid",
               "data_format": "channels_last", "batch_input_shape": [null, 1, 10, 4]}}]}
            """;
        var e = Assert.Throws<ParseException>(() => KerasImporter.Import(WriteJson(json), Weights));
        Assert.Contains("layer 'conv2d_1' (Conv2D)", e.Message, StringComparison.Ordinal);
        Assert.Contains("only 1 x k kernels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_OpenSequenceLength_NeedsInputLength()
    {
        string path = EditedJson("\"batch_input_shape\": [\n      null,\n      10,", "\"batch_input_shape\": [\n      null,\n      null,");
        var e = Assert.Throws<ParseException>(() => KerasImporter.Import(path, Weights));
        Assert.Contains("InputLength", e.Message, StringComparison.Ordinal);

        var graph = KerasImporter.Import(path, Weights, new KerasImportOptions { InputLength = 10 });
        var expected = KerasFixtures.Json("permute_reshape.expected.json");
        KerasFixtures.AssertClose(KerasFixtures.Matrix(expected["logits"]), new SeqLens.Graphs.Executor(graph).Forward(KerasFixtures.Inputs(expected)));
    }
}
