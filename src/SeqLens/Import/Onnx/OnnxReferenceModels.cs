namespace SeqLens.Import.Onnx;

/// <summary>ONNX models built in C# with seeded random weights, for tests and the import benchmark.</summary>
internal static class OnnxReferenceModels
{
    /// <summary>
    /// DeepSEA (Zhou &amp; Troyanskaya 2015) as torch.onnx.export writes it (opset 13, dynamic batch):
    /// Conv(4,c1,8)+ReLU+MaxPool4 → Conv(c1,c2,8)+ReLU+MaxPool4 → Conv(c2,c3,8)+ReLU → Flatten → Gemm(hidden)+ReLU →
    /// Gemm(tasks) → Sigmoid. Full size: c = 320/480/960, hidden 925, tasks 919, length 1000 (~200 MB of weights).
    /// </summary>
    public static OnnxModelWriter DeepSea(long seed, int length = 1000, int c1 = 320, int c2 = 480, int c3 = 960, int hidden = 925, int tasks = 919)
    {
        var rng = new Rng((ulong)seed);
        var w = new OnnxModelWriter(13);
        w.Input("x", "batch", 4L, (long)length);
        int l3 = ((((length - 7) / 4) - 7) / 4) - 7;
        int flat = c3 * l3;
        AddConv(w, rng, "conv1", "x", 4, c1);
        w.Node("Relu", ["conv1_out"], ["relu1"], "/Relu");
        w.Node("MaxPool", ["relu1"], ["pool1"], "/MaxPool", ("kernel_shape", new long[] { 4 }), ("strides", new long[] { 4 }), ("pads", new long[] { 0, 0 }));
        AddConv(w, rng, "conv2", "pool1", c1, c2);
        w.Node("Relu", ["conv2_out"], ["relu2"], "/Relu_1");
        w.Node("MaxPool", ["relu2"], ["pool2"], "/MaxPool_1", ("kernel_shape", new long[] { 4 }), ("strides", new long[] { 4 }), ("pads", new long[] { 0, 0 }));
        AddConv(w, rng, "conv3", "pool2", c2, c3);
        w.Node("Relu", ["conv3_out"], ["relu3"], "/Relu_2");
        w.Node("Flatten", ["relu3"], ["flat"], "/Flatten", ("axis", 1L));
        AddGemm(w, rng, "fc1", "flat", flat, hidden);
        w.Node("Relu", ["fc1_out"], ["relu4"], "/Relu_3");
        AddGemm(w, rng, "fc2", "relu4", hidden, tasks);
        w.Node("Sigmoid", ["fc2_out"], ["y"], "/Sigmoid");
        w.Output("y", "batch", (long)tasks);
        return w;
    }

    private static float[] Uniform(Rng rng, int count, double bound)
    {
        var v = new float[count];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(((rng.NextDouble() * 2) - 1) * bound);
        }

        return v;
    }

    private static void AddConv(OnnxModelWriter w, Rng rng, string name, string input, int inChannels, int outChannels)
    {
        double bound = 1 / Math.Sqrt(inChannels * 8);
        w.Initializer(name + ".weight", Uniform(rng, outChannels * inChannels * 8, bound), outChannels, inChannels, 8);
        w.Initializer(name + ".bias", Uniform(rng, outChannels, bound), outChannels);
        w.Node("Conv", [input, name + ".weight", name + ".bias"], [name + "_out"], "/" + name + "/Conv",
            ("dilations", new long[] { 1 }), ("group", 1L), ("kernel_shape", new long[] { 8 }), ("pads", new long[] { 0, 0 }), ("strides", new long[] { 1 }));
    }

    private static void AddGemm(OnnxModelWriter w, Rng rng, string name, string input, int inFeatures, int outFeatures)
    {
        double bound = 1 / Math.Sqrt(inFeatures);
        w.Initializer(name + ".weight", Uniform(rng, outFeatures * inFeatures, bound), outFeatures, inFeatures);
        w.Initializer(name + ".bias", Uniform(rng, outFeatures, bound), outFeatures);
        w.Node("Gemm", [input, name + ".weight", name + ".bias"], [name + "_out"], "/" + name + "/Gemm", ("alpha", 1f), ("beta", 1f), ("transB", 1L));
    }
}
