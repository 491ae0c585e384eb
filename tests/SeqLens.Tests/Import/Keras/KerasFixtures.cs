using System.Text.Json.Nodes;

namespace SeqLens.Tests.Import.Keras;

/// <summary>Reads the fixtures written by tools/make_keras_fixtures.py and compares outputs.</summary>
internal static class KerasFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "Keras", name);

    public static JsonObject Json(string name) => JsonNode.Parse(File.ReadAllText(Path(name)))!.AsObject();

    public static double[][] Matrix(JsonNode? node) => node!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToArray();

    /// <summary>The <c>inputs</c> of an expected-values file as one <c>(batch, 4, length)</c> tensor.</summary>
    public static Tensor Inputs(JsonObject expected)
    {
        double[][][] samples = expected["inputs"]!.AsArray().Select(Matrix).ToArray();
        int channels = samples[0].Length;
        int length = samples[0][0].Length;
        var x = new Tensor(samples.Length, channels, length);
        for (int b = 0; b < samples.Length; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int l = 0; l < length; l++)
                {
                    x[b, c, l] = (float)samples[b][c][l];
                }
            }
        }

        return x;
    }

    /// <summary>Asserts <c>|actual − expected| ≤ 1e-4 · max(|expected|, 1)</c> for every output value.</summary>
    public static void AssertClose(double[][] expected, Tensor actual)
    {
        Assert.Equal(expected.Length, actual.Dim(0));
        Assert.Equal(expected[0].Length, actual.Length / actual.Dim(0));
        for (int b = 0; b < expected.Length; b++)
        {
            for (int t = 0; t < expected[b].Length; t++)
            {
                double got = actual.Data[(b * expected[b].Length) + t];
                double want = expected[b][t];
                Assert.True(Math.Abs(got - want) <= 1e-4 * Math.Max(Math.Abs(want), 1), $"sample {b} output {t}: got {got}, numpy reference {want}");
            }
        }
    }
}
