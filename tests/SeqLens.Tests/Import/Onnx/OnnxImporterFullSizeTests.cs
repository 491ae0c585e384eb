using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Import.Onnx;

namespace SeqLens.Tests.Import.Onnx;

/// <summary>
/// The full-size DeepSEA (~210 MB, written in C# with seeded random weights to a temporary file) imports with the right
/// structure and weights, and runs. Timing lives in bench/SeqLens.Bench/Import/OnnxImportBenchmark.cs (no timed tests).
/// </summary>
public class OnnxImporterFullSizeTests
{
    [Fact]
    public void Import_FullSizeDeepSea_HasDeepSeaStructureAndWeights()
    {
        string dir = Directory.CreateTempSubdirectory("seqlens-onnx-").FullName;
        try
        {
            string path = Path.Combine(dir, "deepsea.onnx");
            SeqLens.IO.AtomicFile.Write(path, s => OnnxReferenceModels.DeepSea(seed: 3).Write(s));
            Assert.True(new FileInfo(path).Length > 190_000_000);

            Graph g = OnnxImporter.Import(path);
            Assert.Equal([4, 1000], g.Inputs[0].SampleShape);
            var conv3 = (Conv1dOp)g["conv3"].Op;
            Assert.Equal((480, 960, 8), (conv3.InChannels, conv3.OutChannels, conv3.KernelSize));
            var fc1 = (DenseOp)g["fc1"].Op;
            Assert.Equal((960 * 53, 925), (fc1.InFeatures, fc1.OutFeatures));
            Assert.Equal([919], g.Outputs[0].Node.SampleShape);
            Assert.Equal(OutputActivation.Sigmoid, g.Outputs[0].Activation);
            long expected = (320 * 4 * 8) + 320 + (480 * 320 * 8) + 480 + (960 * 480 * 8) + 960 + (925L * 960 * 53) + 925 + (919 * 925) + 919;
            Assert.Equal(expected, g.ParameterCount);

            // Weights arrive unchanged: Gemm's (out, in) matrix is Dense's weight; the conv kernels keep their layout.
            SeqLens.IO.Onnx.OnnxGraph onnx = SeqLens.IO.Onnx.OnnxModel.Load(path).Graph;
            Assert.True(onnx.TryGetInitializer("fc2.weight", out SeqLens.IO.Onnx.OnnxTensor? fc2));
            Assert.Equal(fc2.ToFloat32(), ((DenseOp)g["fc2"].Op).Weight.Value.Data);
            Assert.True(onnx.TryGetInitializer("conv2.weight", out SeqLens.IO.Onnx.OnnxTensor? conv2));
            Assert.Equal(conv2.ToFloat32(), ((Conv1dOp)g["conv2"].Op).Weight.Value.Data);

            var x = new Tensor(1, 4, 1000);
            for (int i = 0; i < 1000; i++)
            {
                x[0, i * 7 % 4, i] = 1f;
            }

            Tensor y = new Executor(g).Forward(x);
            Assert.Equal([1, 919], y.Shape);
            Assert.All(y.Data, v => Assert.True(float.IsFinite(v)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
