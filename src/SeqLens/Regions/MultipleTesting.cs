namespace SeqLens.Regions;

/// <summary>Multiple-testing corrections.</summary>
public static class MultipleTesting
{
    /// <summary>
    /// Benjamini–Hochberg q-values (adjusted p-values): with the m non-NaN p-values sorted ascending,
    /// q_(i) = min_{j ≥ i} min(1, m·p_(j)/j). NaN p-values stay NaN and do not count in m.
    /// </summary>
    /// <remarks>Benjamini &amp; Hochberg 1995; equals R's <c>p.adjust(p, "BH")</c>.</remarks>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var q = new double[p.Count];
        Array.Fill(q, double.NaN);
        int[] order = Enumerable.Range(0, p.Count).Where(i => !double.IsNaN(p[i])).OrderBy(i => p[i]).ThenBy(i => i).ToArray();
        int m = order.Length;
        double running = 1.0;
        for (int r = m - 1; r >= 0; r--)
        {
            double v = p[order[r]];
            if (v is < 0 or > 1)
            {
                throw new ArgumentException($"p-value {v} at index {order[r]} is outside [0, 1]", nameof(p));
            }

            running = Math.Min(running, v * m / (r + 1));
            q[order[r]] = running;
        }

        return q;
    }
}
