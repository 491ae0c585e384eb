using SeqLens.Kernels;

namespace SeqLens.Bench;

/// <summary>A GEMM shape: C(m×n) = A(m×k)·B(k×n).</summary>
internal sealed record GemmCase(string Name, int M, int N, int K)
{
    public double Flops => 2.0 * M * N * K;
}

/// <summary>A conv1d layer of a reference model at a given batch.</summary>
internal sealed record ConvCase(string Name, Conv1dGeometry Geometry)
{
    /// <summary>Multiply-adds × 2 of one pass (forward, input-grad and weight-grad each cost the same).</summary>
    public double Flops
    {
        get
        {
            var g = Geometry;
            return 2.0 * g.Batch * g.OutChannels * g.OutLength * (g.InChannels / g.Groups) * g.KernelSize;
        }
    }
}

/// <summary>The benchmark shapes: 1024³ and the conv layers of Basset-like and DeepSEA-like models at batch 64.</summary>
/// <remarks>Keep in sync with tools/bench/torch_kernels.py (same names, same shapes).</remarks>
internal static class BenchCases
{
    public const int Batch = 64;

    public static IReadOnlyList<ConvCase> Convs { get; } = BuildConvs();

    public static IReadOnlyList<GemmCase> Gemms { get; } = BuildGemms();

    private static List<ConvCase> BuildConvs()
    {
        // Basset: Conv(4,300,19,same) L=600 -> MaxPool3 -> Conv(300,200,11) -> MaxPool4 -> Conv(200,200,7) -> MaxPool4.
        // DeepSEA: Conv(4,320,8) L=1000 -> MaxPool4 -> Conv(320,480,8) -> MaxPool4 -> Conv(480,960,8).
        var (left, right) = Conv1dGeometry.SamePadding(600, 19, 1, 1);
        return
        [
            new("basset.conv1", new Conv1dGeometry(Batch, 4, 300, 600, 19, PadLeft: left, PadRight: right)),
            new("basset.conv2", new Conv1dGeometry(Batch, 300, 200, 200, 11)),
            new("basset.conv3", new Conv1dGeometry(Batch, 200, 200, 47, 7)),
            new("deepsea.conv1", new Conv1dGeometry(Batch, 4, 320, 1000, 8)),
            new("deepsea.conv2", new Conv1dGeometry(Batch, 320, 480, 248, 8)),
            new("deepsea.conv3", new Conv1dGeometry(Batch, 480, 960, 60, 8)),
        ];
    }

    private static List<GemmCase> BuildGemms()
    {
        var list = new List<GemmCase> { new("square.1024", 1024, 1024, 1024) };
        foreach (var c in BuildConvs())
        {
            var g = c.Geometry;
            list.Add(new GemmCase(c.Name + ".im2col", g.OutChannels, g.Batch * g.OutLength, g.InChannels * g.KernelSize));
        }

        return list;
    }
}
