namespace SeqLens.Graphs;

/// <summary>
/// Summation-to-delta at one node (DESIGN.md §3, completeness audit): per batch row, <see cref="Outgoing"/> =
/// Σ m_out·Δout over the node's output and <see cref="Incoming"/> = Σ m_in·Δin over its inputs (its own share of the input
/// multipliers). A correct DeepLIFT rule makes them equal; <see cref="Magnitude"/> = Σ|m·Δ| over both scales the
/// float32 rounding to expect. Rows without a pair hold zeros.
/// </summary>
public sealed record NodeConservation(Node Node, double[] Outgoing, double[] Incoming, double[] Magnitude)
{
    /// <summary>|Incoming − Outgoing| of row <paramref name="row"/>.</summary>
    public double Gap(int row) => Math.Abs(Incoming[row] - Outgoing[row]);
}
