using SeqLens.Graphs;
using SeqLens.Import.Onnx;
using SeqLens.IO;
using SeqLens.IO.Onnx;

namespace SeqLens.Tests.Import.Onnx;

/// <summary>Malformed and unsupported models fail at import with the file, the node, the op type and what was expected.</summary>
public class OnnxImporterErrorTests
{
    private const string Source = "test.onnx";

    /// <summary>x (batch, 4, 10) → Conv(4→2, k3) → Relu → y, plus whatever <paramref name="edit"/> adds.</summary>
    private static OnnxModelWriter Small(long opset = 13, object? length = null, Action<OnnxModelWriter>? edit = null, bool conv = true)
    {
        var w = new OnnxModelWriter(opset);
        w.Input("x", "batch", 4L, length ?? 10L);
        if (conv)
        {
            w.Initializer("conv.weight", Enumerable.Range(0, 24).Select(i => i / 24f).ToArray(), 2, 4, 3);
            w.Node("Conv", ["x", "conv.weight"], ["h"], "/conv/Conv", ("kernel_shape", new long[] { 3 }), ("pads", new long[] { 1, 1 }));
            w.Node("Relu", ["h"], ["y"], "/Relu");
        }

        edit?.Invoke(w);
        return w;
    }

    private static Graph Import(OnnxModelWriter w, OnnxImportOptions? options = null)
        => OnnxImporter.Import(OnnxModel.Parse(w.ToArray(), Source), options);

    private static OnnxModelWriter WithOutput(OnnxModelWriter w, string output = "y")
    {
        w.Output(output, "batch", 2L, 10L);
        return w;
    }

    [Fact]
    public void SmallModel_Imports()
    {
        Graph g = Import(WithOutput(Small()));
        Assert.Equal(["x", "conv", "/Relu"], g.Nodes.Select(n => n.Name));
        Assert.Equal([2, 10], g.Outputs[0].Node.SampleShape);
    }

    [Fact]
    public void UnsupportedOp_NamesOpTypeNodeAndSupportedOps()
    {
        OnnxModelWriter w = Small(edit: m => m.Node("Hardmax", ["y"], ["z"], "/head/Hardmax"));
        w.Output("z", "batch", 2L, 10L);
        var ex = Assert.Throws<NotSupportedException>(() => Import(w));
        Assert.Contains("'/head/Hardmax'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("op type 'Hardmax'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Supported ops: Add, AveragePool, BatchNormalization", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpOfAnotherDomain_IsUnsupported()
    {
        OnnxModelWriter w = Small(edit: m => m.NodeInDomain("com.example", "Relu", ["y"], ["z"], "/custom/Relu"));
        w.Output("z", "batch", 2L, 10L);
        var ex = Assert.Throws<NotSupportedException>(() => Import(w));
        Assert.Contains("node '/custom/Relu' has op type 'com.example.Relu'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingInitializer_NamesTheValue()
    {
        OnnxModelWriter w = Small(conv: false, edit: m =>
        {
            m.Node("Conv", ["x", "conv.weight"], ["y"], "/conv/Conv", ("kernel_shape", new long[] { 3 }));
        });
        w.Output("y", "batch", 2L, 8L);
        var ex = Assert.Throws<ParseException>(() => Import(w));
        Assert.Contains("reads 'conv.weight', which is neither a graph input, an initializer nor an earlier node's output", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'/conv/Conv'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AttributeOfTheWrongType_IsAParseError()
    {
        OnnxModelWriter w = Small(conv: false, edit: m =>
        {
            m.Initializer("conv.weight", new float[24], 2, 4, 3);
            m.Node("Conv", ["x", "conv.weight"], ["y"], "/conv/Conv", ("kernel_shape", 3f));
        });
        w.Output("y", "batch", 2L, 8L);
        var ex = Assert.Throws<ParseException>(() => Import(w));
        Assert.Contains("attribute 'kernel_shape'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KernelShapeDisagreeingWithTheWeight_IsAParseError()
    {
        OnnxModelWriter w = Small(conv: false, edit: m =>
        {
            m.Initializer("conv.weight", new float[24], 2, 4, 3);
            m.Node("Conv", ["x", "conv.weight"], ["y"], "/conv/Conv", ("kernel_shape", new long[] { 5 }));
        });
        w.Output("y", "batch", 2L, 8L);
        var ex = Assert.Throws<ParseException>(() => Import(w));
        Assert.Contains("kernel_shape (5) does not match weight (2, 4, 3)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PadsOfTheWrongLength_IsAParseError()
    {
        OnnxModelWriter w = Small(conv: false, edit: m =>
        {
            m.Initializer("conv.weight", new float[24], 2, 4, 3);
            m.Node("Conv", ["x", "conv.weight"], ["y"], "/conv/Conv", ("pads", new long[] { 1, 1, 1 }));
        });
        w.Output("y", "batch", 2L, 10L);
        var ex = Assert.Throws<ParseException>(() => Import(w));
        Assert.Contains("pads (1, 1, 1); expected 2 non-negative values", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightWithTheWrongInputChannels_IsAParseError()
    {
        OnnxModelWriter w = Small(conv: false, edit: m =>
        {
            m.Initializer("conv.weight", new float[30], 2, 5, 3);
            m.Node("Conv", ["x", "conv.weight"], ["y"], "/conv/Conv");
        });
        w.Output("y", "batch", 2L, 8L);
        var ex = Assert.Throws<ParseException>(() => Import(w));
        Assert.Contains("weight (2, 5, 3) with group 1 does not fit 4 input channels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GemmWithMismatchedWeight_IsAParseError()
    {
        OnnxModelWriter w = Small(edit: m =>
        {
            m.Node("Flatten", ["y"], ["f"], "/Flatten", ("axis", 1L));
            m.Initializer("fc.weight", new float[3 * 21], 3, 21);
            m.Node("Gemm", ["f", "fc.weight"], ["z"], "/fc/Gemm", ("transB", 1L));
        });
        w.Output("z", "batch", 3L);
        var ex = Assert.Throws<ParseException>(() => Import(w));
        Assert.Contains("B has shape (3, 21) (transB 1); A has 20 features", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SymbolicLength_IsRefusedUnlessGiven()
    {
        OnnxModelWriter w = Small(length: "length");
        w.Output("y", "batch", 2L, "length");
        var ex = Assert.Throws<NotSupportedException>(() => Import(w));
        Assert.Contains("symbolic dimension 'length' on axis 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("length option", ex.Message, StringComparison.Ordinal);

        Graph g = Import(w, new OnnxImportOptions { Length = 37 });
        Assert.Equal([4, 37], g.Inputs[0].SampleShape);
        Assert.Equal([2, 37], g.Outputs[0].Node.SampleShape);
    }

    [Fact]
    public void SymbolicChannels_AreRefusedEvenWithALength()
    {
        var w = new OnnxModelWriter(13);
        w.Input("x", "batch", "channels", 10L);
        w.Node("Relu", ["x"], ["y"], "/Relu");
        w.Output("y", "batch", "channels", 10L);
        var ex = Assert.Throws<NotSupportedException>(() => Import(w, new OnnxImportOptions { Length = 10 }));
        Assert.Contains("symbolic dimension 'channels' on axis 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OldOpset_IsRefused()
    {
        var ex = Assert.Throws<NotSupportedException>(() => Import(WithOutput(Small(opset: 9))));
        Assert.Contains("opset 9; SeqLens imports opset 11 or later", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransposeOfTheBatchAxis_IsUnsupported()
    {
        OnnxModelWriter w = Small(edit: m => m.Node("Transpose", ["y"], ["z"], "/Transpose", ("perm", new long[] { 1, 0, 2 })));
        w.Output("z", 2L, "batch", 10L);
        var ex = Assert.Throws<NotSupportedException>(() => Import(w));
        Assert.Contains("node '/Transpose' (Transpose): perm (1, 0, 2) moves the batch axis", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReshapeAcrossTheBatchAxis_IsUnsupported()
    {
        OnnxModelWriter w = Small(edit: m =>
        {
            m.Initializer("shape", new long[] { -1, 10 }, 2);
            m.Node("Reshape", ["y", "shape"], ["z"], "/Reshape");
        });
        w.Output("z", "n", 10L);
        var ex = Assert.Throws<NotSupportedException>(() => Import(w));
        Assert.Contains("would change the batch axis", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CeilModePooling_IsUnsupported()
    {
        OnnxModelWriter w = Small(edit: m => m.Node("MaxPool", ["y"], ["z"], "/MaxPool", ("kernel_shape", new long[] { 3 }), ("strides", new long[] { 3 }), ("ceil_mode", 1L)));
        w.Output("z", "batch", 2L, 4L);
        var ex = Assert.Throws<NotSupportedException>(() => Import(w));
        Assert.Contains("node '/MaxPool' (MaxPool): ceil_mode = 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DivisionOfTwoComputedTensors_IsUnsupported()
    {
        OnnxModelWriter w = Small(edit: m => m.Node("Div", ["y", "y"], ["z"], "/Div"));
        w.Output("z", "batch", 2L, 10L);
        var ex = Assert.Throws<NotSupportedException>(() => Import(w));
        Assert.Contains("Div of two computed tensors", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstantThatBroadcastsOverTheBatch_IsUnsupported()
    {
        OnnxModelWriter w = Small(edit: m =>
        {
            m.Initializer("c", new float[3 * 2 * 10], 3, 2, 10);
            m.Node("Add", ["y", "c"], ["z"], "/Add");
        });
        w.Output("z", 3L, 2L, 10L);
        var ex = Assert.Throws<NotSupportedException>(() => Import(w));
        Assert.Contains("broadcasts over the batch axis", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstantOfAnIncompatibleShape_IsAParseError()
    {
        OnnxModelWriter w = Small(edit: m =>
        {
            m.Initializer("c", new float[3], 3, 1);
            m.Node("Mul", ["y", "c"], ["z"], "/Mul");
        });
        w.Output("z", "batch", 2L, 10L);
        var ex = Assert.Throws<ParseException>(() => Import(w));
        Assert.Contains("constant of shape (3, 1) does not broadcast to (1, 2, 10)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputThatNoNodeProduces_IsAParseError()
    {
        OnnxModelWriter w = Small();
        w.Output("missing", "batch", 2L, 10L);
        var ex = Assert.Throws<ParseException>(() => Import(w));
        Assert.Contains("graph output 'missing' is not produced by any node", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UsedMaxPoolIndices_AreUnsupported()
    {
        OnnxModelWriter w = Small(edit: m => m.Node("MaxPool", ["y"], ["z", "idx"], "/MaxPool", ("kernel_shape", new long[] { 2 }), ("strides", new long[] { 2 })));
        w.Output("z", "batch", 2L, 5L);
        w.Output("idx", "batch", 2L, 5L);
        var ex = Assert.Throws<NotSupportedException>(() => Import(w));
        Assert.Contains("its indices output is used", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedFile_IsAParseErrorNamingTheFile()
    {
        string dir = Directory.CreateTempSubdirectory("seqlens-onnx-").FullName;
        try
        {
            string path = Path.Combine(dir, "cut.onnx");
            byte[] bytes = WithOutput(Small()).ToArray();
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            var ex = Assert.Throws<ParseException>(() => OnnxImporter.Import(path));
            Assert.Contains("cut.onnx", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
