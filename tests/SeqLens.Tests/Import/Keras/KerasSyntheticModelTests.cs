using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Import.Keras;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Import.Keras;

/// <summary>Tiny hand-written Keras models (tools/make_keras_fixtures.py) against numpy forward passes.</summary>
public sealed class KerasSyntheticModelTests
{
    private static Tensor Run(Graph graph, string name)
    {
        var expected = KerasFixtures.Json(name + ".expected.json");
        Tensor logits = new Executor(graph).Forward(KerasFixtures.Inputs(expected));
        KerasFixtures.AssertClose(KerasFixtures.Matrix(expected["logits"]), logits);
        return logits;
    }

    [Fact]
    public void Functional_AddConcatBatchNormChannelsLastFlatten_MatchesNumpy()
    {
        KerasImportResult r = KerasImporter.ImportWithReport(KerasFixtures.Path("functional_add_concat.json"), KerasFixtures.Path("functional_add_concat.h5"));
        Run(r.Graph, "functional_add_concat");
        Assert.Equal(OutputActivation.Softmax, r.Graph.Outputs[0].Activation);
        Assert.Equal([4, 12], r.Graph.Inputs[0].SampleShape);

        // The channels-last Flatten needs Keras' position-major order: a transpose sits before it.
        Assert.Contains(r.Graph.Nodes, n => n.Op is TransposeOp && n.Name.StartsWith("flatten_1", StringComparison.Ordinal));
        Assert.IsType<AddOp>(r.Graph["add_1"].Op);
        Assert.IsType<ConcatOp>(r.Graph["concat_1"].Op);
        Assert.IsType<BatchNorm1dOp>(r.Graph["bn_1"].Op);
    }

    [Fact]
    public void Sequential_PermuteChannelsFirstConvReshape_MatchesNumpy()
    {
        KerasImportResult r = KerasImporter.ImportWithReport(KerasFixtures.Path("permute_reshape.json"), KerasFixtures.Path("permute_reshape.h5"));
        Run(r.Graph, "permute_reshape");
        Assert.Equal(OutputActivation.None, r.Graph.Outputs[0].Activation);

        // Permute only relabels axes: it adds no node.
        Assert.Empty(r.Report.Layers.Single(l => l.LayerName == "permute_1").Nodes);
    }

    [Fact]
    public void Keras1TheanoFullModel_FlipsKernelsFromBackend_MatchesNumpyTrueConvolution()
    {
        KerasImportResult r = KerasImporter.ImportFullModelWithReport(KerasFixtures.Path("keras1_theano_conv2d.h5"));
        Assert.True(r.Report.KernelsFlipped);
        Assert.Equal("theano", r.Report.Backend);
        Assert.Equal([4, 10], r.Graph.Inputs[0].SampleShape);
        Run(r.Graph, "keras1_theano_conv2d");
    }

    [Fact]
    public void Keras1TheanoFullModel_FlipOverriddenOff_DiffersFromNumpy()
    {
        Graph graph = KerasImporter.ImportFullModel(KerasFixtures.Path("keras1_theano_conv2d.h5"), new KerasImportOptions { TheanoKernelFlip = false });
        Assert.Throws<Xunit.Sdk.TrueException>(() => Run(graph, "keras1_theano_conv2d"));
    }

    [Fact]
    public void Keras1Conv1dBatchNormRunningStd_MatchesNumpy()
    {
        KerasImportResult r = KerasImporter.ImportWithReport(KerasFixtures.Path("keras1_tf_conv1d_bn.json"), KerasFixtures.Path("keras1_tf_conv1d_bn.h5"));
        Assert.False(r.Report.KernelsFlipped);
        Assert.Equal(OutputActivation.Sigmoid, r.Graph.Outputs[0].Activation);
        Run(r.Graph, "keras1_tf_conv1d_bn");
    }

    [Fact]
    public void Keras2Conv2dChannelsLast_HeightOneImage_MatchesNumpy()
    {
        KerasImportResult r = KerasImporter.ImportWithReport(KerasFixtures.Path("keras2_conv2d_channels_last.json"), KerasFixtures.Path("keras2_conv2d_channels_last.h5"));
        Assert.Equal([4, 10], r.Graph.Inputs[0].SampleShape);
        Assert.IsType<DropoutOp>(r.Graph["dropout_1"].Op);
        Assert.IsType<SoftplusOp>(r.Graph["conv2d_1_softplus"].Op);
        Run(r.Graph, "keras2_conv2d_channels_last");
    }

    [Fact]
    public void ImportedGraphs_WithInsertedTransposes_PassGradientCheck()
    {
        // The importer's layout ops (transpose/reshape before Flatten, Permute, Reshape) must also carry gradients.
        Graph functional = KerasImporter.Import(KerasFixtures.Path("functional_add_concat.json"), KerasFixtures.Path("functional_add_concat.h5"));
        GradientCheck.Check(functional, [GradientCheck.Random(new Rng(3), -1, 1, [2, 4, 12], awayFromZero: 0.05f)]);
        Graph permuted = KerasImporter.Import(KerasFixtures.Path("permute_reshape.json"), KerasFixtures.Path("permute_reshape.h5"));
        GradientCheck.Check(permuted, [GradientCheck.Random(new Rng(4), -1, 1, [2, 4, 10])]);
    }

    [Fact]
    public void KeepOutputActivation_AppliesSoftmaxInsideTheGraph()
    {
        Graph graph = KerasImporter.Import(KerasFixtures.Path("functional_add_concat.json"), KerasFixtures.Path("functional_add_concat.h5"), new KerasImportOptions { KeepOutputActivation = true, TaskNames = ["a", "b"] });
        Assert.Equal(OutputActivation.None, graph.Outputs[0].Activation);
        Assert.Equal(["a", "b"], graph.Outputs[0].TaskNames);
        var expected = KerasFixtures.Json("functional_add_concat.expected.json");
        Tensor probabilities = new Executor(graph).Forward(KerasFixtures.Inputs(expected));
        double[][] logits = KerasFixtures.Matrix(expected["logits"]);
        for (int b = 0; b < logits.Length; b++)
        {
            double z = Math.Exp(logits[b][0]) + Math.Exp(logits[b][1]);
            Assert.Equal(Math.Exp(logits[b][0]) / z, probabilities[b, 0], 1e-5);
            Assert.Equal(1.0, probabilities[b, 0] + probabilities[b, 1], 1e-5);
        }
    }
}
