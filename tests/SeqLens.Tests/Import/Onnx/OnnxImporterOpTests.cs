using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Import.Onnx;
using SeqLens.IO.Onnx;

namespace SeqLens.Tests.Import.Onnx;

/// <summary>Op mappings not covered by the PyTorch exports, checked against values computed by hand.</summary>
public class OnnxImporterOpTests
{
    private static Graph Import(OnnxModelWriter w) => OnnxImporter.Import(OnnxModel.Parse(w.ToArray(), "ops.onnx"));

    private static Tensor Run(Graph g, Tensor x) => new Executor(g).Forward(x).Clone();

    private static Tensor Ramp(params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++)
        {
            t.Data[i] = (float)Math.Sin(i + 1) + 1.5f;
        }

        return t;
    }

    private static void Close(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"[{i}] expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void MatMulThenAddOfAVector_BecomesOneDenseWithBias()
    {
        var w = new OnnxModelWriter(13);
        w.Input("x", "batch", 3L);
        float[] b = [1, 2, 3, 4, 5, 6]; // (3, 2)
        w.Initializer("B", b, 3, 2);
        w.Initializer("c", new float[] { 0.5f, -1f }, 2);
        w.Node("MatMul", ["x", "B"], ["m"], "/fc/MatMul");
        w.Node("Add", ["m", "c"], ["y"], "/fc/Add");
        w.Output("y", "batch", 2L);
        Graph g = Import(w);
        Assert.Single(g.Nodes, n => n.Op is DenseOp);
        Assert.Equal(2, g.Nodes.Count);
        Tensor x = Tensor.FromValues([1f, -1f, 2f, 0f, 1f, 0.5f], 2, 3);
        float[] expected = [(1 - 3 + 10) + 0.5f, (2 - 4 + 12) - 1f, (0 + 3 + 2.5f) + 0.5f, (0 + 4 + 3) - 1f];
        Close(expected, Run(g, x).Data);
    }

    [Fact]
    public void TwoDimensionalConvolutionWithOneByKKernels_EqualsTheOneDimensionalOne()
    {
        float[] weight = Ramp(3, 4, 3).Data;
        OnnxModelWriter Model(bool twoD)
        {
            var w = new OnnxModelWriter(13);
            w.Input("x", twoD ? ["batch", 4L, 1L, 12L] : ["batch", 4L, 12L]);
            w.Initializer("conv.weight", weight, twoD ? [3, 4, 1, 3] : [3, 4, 3]);
            w.Initializer("conv.bias", new float[] { 0.1f, 0.2f, -0.3f }, 3);
            w.Node("Conv", ["x", "conv.weight", "conv.bias"], ["c"], "/conv/Conv", ("pads", twoD ? new long[] { 0, 1, 0, 1 } : new long[] { 1, 1 }), ("strides", twoD ? new long[] { 1, 1 } : new long[] { 1 }));
            w.Node("MaxPool", ["c"], ["y"], "/MaxPool", ("kernel_shape", twoD ? new long[] { 1, 2 } : new long[] { 2 }), ("strides", twoD ? new long[] { 1, 2 } : new long[] { 2 }));
            w.Output("y", twoD ? ["batch", 3L, 1L, 6L] : ["batch", 3L, 6L]);
            return w;
        }

        Graph one = Import(Model(false));
        Graph two = Import(Model(true));
        Tensor x = Ramp(2, 4, 12);
        Tensor y1 = Run(one, x);
        Tensor y2 = Run(two, x.Reshape(2, 4, 1, 12));
        Assert.Equal([2, 3, 1, 6], y2.Shape);
        Close(y1.Data, y2.Data);
    }

    [Fact]
    public void LayoutChain_TransposeUnsqueezeSqueezePadSliceConcatReduceSum()
    {
        var w = new OnnxModelWriter(13);
        w.Input("x", "batch", 2L, 5L);
        w.Node("Transpose", ["x"], ["t"], "/T1", ("perm", new long[] { 0, 2, 1 }));
        w.Initializer("ax1", new long[] { 1 }, 1);
        w.Node("Unsqueeze", ["t", "ax1"], ["u"], "/Unsqueeze");
        w.Node("Squeeze", ["u", "ax1"], ["s"], "/Squeeze");
        w.Node("Transpose", ["s"], ["t2"], "/T2", ("perm", new long[] { 0, 2, 1 }));
        w.Initializer("pads", new long[] { 0, 0, 1, 0, 0, 2 }, 6);
        w.Initializer("value", new float[] { 0.5f });
        w.Node("Pad", ["t2", "pads", "value"], ["p"], "/Pad", ("mode", "constant"));
        w.Initializer("starts", new long[] { 1 }, 1);
        w.Initializer("ends", new long[] { 7 }, 1);
        w.Initializer("axes", new long[] { 2 }, 1);
        w.Initializer("steps", new long[] { 2 }, 1);
        w.Node("Slice", ["p", "starts", "ends", "axes", "steps"], ["sl"], "/Slice");
        w.Node("Identity", ["sl"], ["id"], "/Identity");
        w.Node("Concat", ["id", "sl"], ["cat"], "/Concat", ("axis", 1L));
        w.Initializer("ax2", new long[] { 2 }, 1);
        w.Node("ReduceSum", ["cat", "ax2"], ["y"], "/ReduceSum", ("keepdims", 0L));
        w.Output("y", "batch", 4L);
        Graph g = Import(w);
        Tensor x = Ramp(1, 2, 5);
        // padded row: [0.5, x0..x4, 0.5, 0.5]; slice 1:7:2 takes x0, x2, x4.
        float[] row(int c) => [x.Data[c * 5], x.Data[(c * 5) + 2], x.Data[(c * 5) + 4]];
        float s0 = row(0).Sum();
        float s1 = row(1).Sum();
        Close([s0, s1, s0, s1], Run(g, x).Data);
    }

    [Fact]
    public void ArithmeticWithConstants_AndElementwiseOps()
    {
        var w = new OnnxModelWriter(11);
        w.Input("x", "batch", 3L);
        w.Initializer("two", new float[] { 2f });
        w.Initializer("v", new float[] { 1f, -2f, 0.5f }, 1, 3);
        w.Node("Div", ["x", "two"], ["a"], "/Div");
        w.Node("Sub", ["two", "a"], ["b"], "/Sub");
        w.Node("Mul", ["b", "v"], ["c"], "/Mul");
        w.Node("Constant", [], ["k"], "/Constant", ("value", new OnnxModelWriter.TensorValue([0.25f], null, [])));
        w.Node("Add", ["k", "c"], ["d"], "/Add");
        w.Node("Softplus", ["d"], ["e"], "/Softplus");
        w.Node("Exp", ["e"], ["f"], "/Exp");
        w.Node("Log", ["f"], ["g"], "/Log");
        w.Node("Dropout", ["g"], ["h"], "/Dropout");
        w.Node("Cast", ["h"], ["i"], "/Cast", ("to", 1L));
        w.Node("LogSoftmax", ["i"], ["y"], "/LogSoftmax", ("axis", 1L));
        w.Output("y", "batch", 3L);
        Graph g = Import(w);
        Assert.Equal(OutputActivation.None, g.Outputs[0].Activation);
        Tensor x = Tensor.FromValues([1f, -3f, 4f], 1, 3);
        double[] d = x.Data.Select((v, j) => 0.25 + ((2 - (v / 2.0)) * new[] { 1.0, -2.0, 0.5 }[j])).ToArray();
        double[] sp = d.Select(v => Math.Log(1 + Math.Exp(v))).ToArray();
        double lse = Math.Log(sp.Sum(Math.Exp));
        Close(sp.Select(v => (float)(v - lse)).ToArray(), Run(g, x).Data);
    }

    [Fact]
    public void ShapeArithmetic_FoldsToAReshape()
    {
        // x.view(x.size(0), x.size(1) * x.size(2)) with a Cast, as some exporters write it.
        var w = new OnnxModelWriter(13);
        w.Input("x", "batch", 3L, 4L);
        w.Node("Shape", ["x"], ["s"], "/Shape");
        w.Initializer("i0", new long[] { 0 }, []);
        w.Initializer("i1", new long[] { 1 }, []);
        w.Initializer("i2", new long[] { 2 }, []);
        w.Node("Gather", ["s", "i0"], ["n"], "/Gather0", ("axis", 0L));
        w.Node("Gather", ["s", "i1"], ["c"], "/Gather1", ("axis", 0L));
        w.Node("Gather", ["s", "i2"], ["l"], "/Gather2", ("axis", 0L));
        w.Node("Mul", ["c", "l"], ["cl"], "/Mul");
        w.Node("Cast", ["cl"], ["cl64"], "/Cast", ("to", 7L));
        w.Initializer("zero", new long[] { 0 }, 1);
        w.Node("Unsqueeze", ["n", "zero"], ["n1"], "/Unsqueeze0");
        w.Node("Unsqueeze", ["cl64", "zero"], ["cl1"], "/Unsqueeze1");
        w.Node("Concat", ["n1", "cl1"], ["shape"], "/Concat", ("axis", 0L));
        w.Node("Reshape", ["x", "shape"], ["y"], "/Reshape");
        w.Output("y", "batch", 12L);
        Graph g = Import(w);
        Assert.Equal(["x", "/Reshape"], g.Nodes.Select(n => n.Name));
        Assert.Equal([12], g.Outputs[0].Node.SampleShape);
        Tensor x = Ramp(2, 3, 4);
        Close(x.Data, Run(g, x).Data);
    }

    [Fact]
    public void GlobalAveragePoolThenFlattenAndGemmWithAlphaBeta()
    {
        var w = new OnnxModelWriter(13);
        w.Input("x", "batch", 2L, 4L);
        w.Node("GlobalAveragePool", ["x"], ["p"], "/GAP");
        w.Node("Flatten", ["p"], ["f"], "/Flatten", ("axis", 1L));
        w.Initializer("B", new float[] { 1f, 2f, 3f, 4f, 5f, 6f }, 2, 3); // (K=2, M=3), transB = 0
        w.Initializer("C", new float[] { 1f, 1f, 1f }, 1, 3);
        w.Node("Gemm", ["f", "B", "C"], ["y"], "/Gemm", ("alpha", 0.5f), ("beta", 2f));
        w.Output("y", "batch", 3L);
        Graph g = Import(w);
        Tensor x = Tensor.FromValues([1f, 2f, 3f, 6f, -1f, -1f, 1f, 1f], 1, 2, 4);
        float m0 = 3f;
        float m1 = 0f;
        float[] expected = [(0.5f * ((m0 * 1) + (m1 * 4))) + 2, (0.5f * ((m0 * 2) + (m1 * 5))) + 2, (0.5f * ((m0 * 3) + (m1 * 6))) + 2];
        Close(expected, Run(g, x).Data);
    }

    [Fact]
    public void ConstantBiasAndScaleAfterAConvolution_FoldIntoItsParameters()
    {
        OnnxModelWriter Model(bool fold)
        {
            var w = new OnnxModelWriter(13);
            w.Input("x", "batch", 2L, 6L);
            w.Initializer("conv.weight", Ramp(3, 2, 3).Data, 3, 2, 3);
            w.Initializer("conv.bias", new float[] { 0.1f, -0.2f, 0.3f }, 3);
            w.Initializer("shift", new float[] { 1f, 2f, -3f }, 3, 1);
            w.Initializer("scale", new float[] { 0.5f });
            w.Node("Conv", ["x", "conv.weight", "conv.bias"], ["c"], "/conv/Conv");
            w.Node("Add", ["c", "shift"], ["a"], "/Add");
            w.Node("Div", ["a", "scale"], ["d"], "/Div");
            if (!fold)
            {
                // A second reader of the convolution's output forbids folding.
                w.Node("Relu", ["c"], ["r"], "/Relu");
                w.Output("r", "batch", 3L, 4L);
            }

            w.Output("d", "batch", 3L, 4L);
            return w;
        }

        Graph folded = Import(Model(true));
        Assert.Equal(["x", "conv"], folded.Nodes.Select(n => n.Name));
        Graph kept = Import(Model(false));
        Assert.Equal(2, kept.Nodes.Count(n => n.Op is AffineOp));
        Tensor x = Ramp(2, 2, 6);
        Close(new Executor(kept).Forward([x])[1].Data, Run(folded, x).Data);
    }

    [Fact]
    public void GlobalMaxPoolSqueezeAndConstantOfShape()
    {
        var w = new OnnxModelWriter(11);
        w.Input("x", "batch", 3L, 5L);
        w.Node("GlobalMaxPool", ["x"], ["p"], "/GMP");
        w.Node("Squeeze", ["p"], ["s"], "/Squeeze", ("axes", new long[] { 2 }));
        w.Initializer("n", new long[] { 3 }, 1);
        w.Node("ConstantOfShape", ["n"], ["ones"], "/ConstantOfShape", ("value", new OnnxModelWriter.TensorValue([1.5f], null, [1])));
        w.Node("Add", ["s", "ones"], ["y"], "/Add");
        w.Output("y", "batch", 3L);
        Graph g = Import(w);
        Assert.Contains(g.Nodes, n => n.Op is GlobalMaxPoolOp);
        Tensor x = Ramp(2, 3, 5);
        var expected = new float[6];
        for (int r = 0; r < 6; r++)
        {
            expected[r] = x.Data.Skip(r * 5).Take(5).Max() + 1.5f;
        }

        Close(expected, Run(g, x).Data);
    }
}
