using SeqLens.IO.Npy;

namespace SeqLens.Tests.Import.Onnx;

/// <summary>Paths and reference arrays of Fixtures/OnnxImport (written by tools/make_onnx_import_fixtures.py).</summary>
internal static class OnnxImportFixtures
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "OnnxImport", file);

    public static Dictionary<string, Tensor> Reference(string model)
        => NpzFile.Read(Path(model + "_reference.npz")).ToDictionary(kv => kv.Key, kv => kv.Value.ToTensor(), StringComparer.Ordinal);

    /// <summary>Asserts |actual − expected| ≤ 1e-4·(|expected| + 0.01·max|expected|) element by element.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what, double relative = 1e-4)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double max = expected.Data.Max(v => Math.Abs((double)v));
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected.Data[i];
            double a = actual.Data[i];
            double allowed = relative * (Math.Abs(e) + (0.01 * max));
            Assert.True(Math.Abs(a - e) <= allowed, $"{what}[{i}]: expected {e:G9}, got {a:G9} (error {Math.Abs(a - e):G3} > {allowed:G3}).");
        }
    }

    public static Tensor Sigmoid(Tensor t) => new(t.Data.Select(v => (float)(1 / (1 + Math.Exp(-v)))).ToArray(), t.Shape);

    public static Tensor Softmax(Tensor t)
    {
        int n = t.Shape[^1];
        var r = new float[t.Length];
        for (int row = 0; row < t.Length / n; row++)
        {
            double m = Enumerable.Range(0, n).Max(j => (double)t.Data[(row * n) + j]);
            double s = Enumerable.Range(0, n).Sum(j => Math.Exp(t.Data[(row * n) + j] - m));
            for (int j = 0; j < n; j++)
            {
                r[(row * n) + j] = (float)(Math.Exp(t.Data[(row * n) + j] - m) / s);
            }
        }

        return new Tensor(r, t.Shape);
    }
}
