namespace SeqLens.Attribution;

/// <summary>
/// The completeness (summation-to-delta) audit of a DeepLIFT or integrated-gradients result: the largest
/// <c>|Σ contributions − (f(x) − f(x0))|</c> over (sequence, reference) pairs and, when a pair exceeds the tolerance
/// (<c>RelativeTolerance·|f(x) − f(x0)| + AbsoluteTolerance</c>), the first node in topological order whose own
/// summation-to-delta fails for that pair (<see cref="Graphs.Executor.Conservation"/>).
/// </summary>
/// <param name="MaxDelta">The largest absolute completeness delta.</param>
/// <param name="RelativeTolerance">Tolerance relative to |f(x) − f(x0)| (default 1e-4).</param>
/// <param name="AbsoluteTolerance">Absolute tolerance added to it (default 1e-5).</param>
/// <param name="FailedPairs">How many pairs exceeded the tolerance.</param>
/// <param name="FirstFailedSequence">Sequence index of the first failing pair, or -1.</param>
/// <param name="FirstFailedReference">Reference index of the first failing pair, or -1.</param>
/// <param name="CulpritNode">The first node whose own summation-to-delta fails for that pair; null when every pair passed
/// or when no single node fails (the error then comes from float32 rounding spread over many nodes, or, for integrated
/// gradients, from too few steps).</param>
/// <param name="CulpritGap">|Σ m_in·Δin − Σ m_out·Δout| at the culprit (0 when none).</param>
public sealed record CompletenessReport(
    double MaxDelta,
    double RelativeTolerance,
    double AbsoluteTolerance,
    int FailedPairs,
    int FirstFailedSequence,
    int FirstFailedReference,
    string? CulpritNode,
    double CulpritGap)
{
    /// <summary>True when every pair is within tolerance.</summary>
    public bool Passed => FailedPairs == 0;
}
