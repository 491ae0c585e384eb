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
}
