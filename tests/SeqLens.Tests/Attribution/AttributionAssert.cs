using System.Text.Json;
using SeqLens.Attribution;

namespace SeqLens.Tests.Attribution;

/// <summary>Assertions shared by the attribution tests.</summary>
internal static class AttributionAssert
{
    /// <summary>
    /// Two evaluations of the same integral (e.g. integrated gradients on two code paths): every score within 1e-5 of the
    /// largest score (which must not be trivially zero), the target deltas to 5 and the completeness deltas to 4 decimals,
    /// and the same number of pairs over the audit's tolerance.
    /// </summary>
    public static void SameIntegral(AttributionResult expected, AttributionResult actual)
    {
        double scale = expected.Contributions.Data.Max(v => Math.Abs(v));
        Assert.True(scale > 1e-3, "the attributions are not trivially zero");
        for (int k = 0; k < expected.Contributions.Length; k++)
        {
            Assert.True(Math.Abs(expected.Contributions.Data[k] - actual.Contributions.Data[k]) <= 1e-5 * scale, $"element {k}: {actual.Contributions.Data[k]} vs {expected.Contributions.Data[k]}");
        }

        for (int p = 0; p < expected.Deltas.Length; p++)
        {
            Assert.Equal(expected.TargetDeltas[p], actual.TargetDeltas[p], 5);
            Assert.Equal(expected.Deltas[p], actual.Deltas[p], 4);
        }

        Assert.Equal(expected.Audit!.FailedPairs, actual.Audit!.FailedPairs);
    }

    /// <summary>Against a reference fixture: every value within 1e-4 of the reference's largest magnitude (which must not be zero).</summary>
    public static void NearReference(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v));
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs((double)expected[i] - actual[i]);
            if (d > worst)
            {
                worst = d;
                at = i;
            }
        }

        Assert.True(scale > 0, what + ": the reference is all zero");
        Assert.True(worst <= 1e-4 * scale, $"{what}: max |diff| {worst} at {at} (expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)}), scale {scale}");
    }

    /// <summary>A JSON array of numbers as floats.</summary>
    public static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
}
