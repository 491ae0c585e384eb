using System.Globalization;
using SeqLens.Graphs;
using SeqLens.Import;
using SeqLens.Import.Keras;
using SeqLens.Import.Onnx;
using SeqLens.Import.Torch;
using SeqLens.IO.Fasta;
using SeqLens.IO.Models;
using SeqLens.Tests.Import.Onnx;
using SeqLens.Tests.Import.Torch;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Cli;

public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("seqlens-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Import_Onnx_SavedFolderComputesTheSameAsTheImporter()
    {
        string onnx = OnnxImportFixtures.Path("basset_opset13.onnx");
        string outDir = Path.Combine(_dir, "basset");
        var (code, stdout, stderr) = TrainingCliData.Run("import", "--onnx", onnx, "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("-> " + outDir, stdout, StringComparison.Ordinal);

        Graph direct = OnnxImporter.Import(onnx);
        LoadedModel saved = ModelFile.Load(outDir);
        Assert.Equal("onnx", saved.Metadata["imported_from"]!["kind"]!.GetValue<string>());
        Tensor x = OnnxImportFixtures.Reference("basset")["x"];
        Assert.Equal(new Executor(direct).Forward(x).Data, new Executor(saved.Graph).Forward(x).Data);
        Assert.Equal(direct.Outputs[0].Activation, saved.Graph.Outputs[0].Activation);
    }

    [Fact]
    public void Import_TorchStateDictOntoSpec_EqualsLoadingByName()
    {
        Graph spec = TorchImporterTests.Basset();
        string specDir = Path.Combine(_dir, "spec");
        ModelFile.Save(spec, specDir);
        File.Delete(Path.Combine(specDir, ModelFile.WeightsFileName));
        string outDir = Path.Combine(_dir, "torch");
        string state = OnnxImportFixtures.Path("basset_state.pt");
        var (code, _, stderr) = TrainingCliData.Run("import", "--torch", state, "--spec", Path.Combine(specDir, ModelFile.SpecFileName), "--out", outDir);
        Assert.True(code == 0, stderr);

        Graph expected = TorchImporterTests.Basset();
        TorchImporter.Load(expected, state);
        Graph saved = ModelFile.Load(outDir).Graph;
        Tensor x = OnnxImportFixtures.Reference("basset")["x"];
        Assert.Equal(new Executor(expected).Forward(x).Data, new Executor(saved).Forward(x).Data);
    }

    [Theory]
    [InlineData(new string[] { }, "exactly one of --keras, --onnx or --torch")]
    [InlineData(new[] { "--onnx", "a.onnx", "--keras", "b.h5" }, "exactly one of --keras, --onnx or --torch")]
    [InlineData(new[] { "--torch", "sd.pt" }, "--torch needs --spec")]
    public void Import_BadOptionCombinations_ClearError(string[] options, string message)
    {
        var (code, _, stderr) = TrainingCliData.Run(["import", .. options, "--out", Path.Combine(_dir, "x")]);
        Assert.Equal(1, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }

    [Fact]
    public void ModelLoader_StateDictAsModel_SaysItNeedsASpec()
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelLoader.Load(OnnxImportFixtures.Path("basset_state.pt")));
        Assert.Contains("--weights", ex.Message, StringComparison.Ordinal);
    }

    [SharedDataFact("talgata/keras2_conv1d_record_5_model_PQzyq_modelJson.json", "talgata/keras2_conv1d_record_5_model_PQzyq_modelWeights.h5")]
    public void PredictAndImport_KerasModelDirectlyOrImported_GiveTheSamePredictions()
    {
        string json = SharedData.Require("talgata/keras2_conv1d_record_5_model_PQzyq_modelJson.json");
        string h5 = SharedData.Require("talgata/keras2_conv1d_record_5_model_PQzyq_modelWeights.h5");
        string fasta = Path.Combine(_dir, "x.fa");
        var rng = new Rng(5);
        FastaWriter.WriteFile(fasta, Enumerable.Range(0, 5).Select(i => new FastaRecord("s" + i.ToString(CultureInfo.InvariantCulture), string.Empty, new string(Enumerable.Range(0, 200).Select(_ => "ACGT"[rng.NextInt(4)]).ToArray()))).ToArray());

        string direct = Path.Combine(_dir, "direct.tsv");
        var (code, _, stderr) = TrainingCliData.Run("predict", "--model", json, "--weights", h5, "--fasta", fasta, "--out", direct);
        Assert.True(code == 0, stderr);

        string folder = Path.Combine(_dir, "talgata");
        Assert.Equal(0, TrainingCliData.Run("import", "--keras", json, "--weights", h5, "--out", folder).Code);
        string viaFolder = Path.Combine(_dir, "folder.tsv");
        Assert.Equal(0, TrainingCliData.Run("predict", "--model", folder, "--fasta", fasta, "--out", viaFolder).Code);
        Assert.Equal(File.ReadAllText(direct), File.ReadAllText(viaFolder));
        Assert.Equal(6, File.ReadAllLines(direct).Length);

        // And both equal the importer's own graph.
        Graph g = KerasImporter.Import(json, h5);
        Assert.Equal(g.Outputs[0].TaskNames.Count, File.ReadAllLines(direct)[0].Split('\t').Length - 1);
    }
}
