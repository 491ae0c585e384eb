using System.Globalization;

namespace SeqLens.Regions;

/// <summary>
/// A statistic of a region's covered per-base values v_1..v_n (uncovered bases excluded; n = 0 gives NaN):
/// <c>sum</c> Σv, <c>mean</c> Σv/n, <c>max</c>, <c>topk:K</c> the mean of the K largest values, and <c>norm</c>
/// Σv/√n.
/// </summary>
/// <remarks>
/// NOTE: <c>norm</c> divides by √n rather than n: for per-base scores that are independent with mean 0 and variance
/// σ² it has variance σ² whatever the region length, so short exons and long genes rank on one scale (a sum favours
/// long regions, a mean favours short ones). Sums accumulate in double.
/// </remarks>
public readonly record struct RegionStatistic(RegionStatisticKind Kind, int K = 0)
{
    /// <summary>Parses <c>sum</c>, <c>mean</c>, <c>max</c>, <c>topk:K</c> (K ≥ 1) or <c>norm</c>.</summary>
    public static RegionStatistic Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToLowerInvariant();
        if (t.StartsWith("topk:", StringComparison.Ordinal))
        {
            return int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k >= 1
                ? new RegionStatistic(RegionStatisticKind.TopKMean, k)
                : throw new ArgumentException($"statistic '{text}': topk needs a positive integer, e.g. topk:10", nameof(text));
        }

        return t switch
        {
            "sum" => new RegionStatistic(RegionStatisticKind.Sum),
            "mean" => new RegionStatistic(RegionStatisticKind.Mean),
            "max" => new RegionStatistic(RegionStatisticKind.Max),
            "norm" => new RegionStatistic(RegionStatisticKind.Normalized),
            _ => throw new ArgumentException($"unknown statistic '{text}'; expected sum, mean, max, topk:K or norm", nameof(text)),
        };
    }

    /// <summary>The statistic of <paramref name="values"/> (NaN when empty).</summary>
    public double Compute(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        switch (Kind)
        {
            case RegionStatisticKind.Max:
                {
                    double m = double.NegativeInfinity;
                    foreach (double v in values)
                    {
                        m = Math.Max(m, v);
                    }

                    return m;
                }

            case RegionStatisticKind.TopKMean:
                {
                    double[] copy = values.ToArray();
                    Array.Sort(copy);
                    int k = Math.Min(K, n);
                    double s = 0;
                    for (int i = n - k; i < n; i++)
                    {
                        s += copy[i];
                    }

                    return s / k;
                }

            default:
                {
                    double s = 0;
                    foreach (double v in values)
                    {
                        s += v;
                    }

                    return Kind switch
                    {
                        RegionStatisticKind.Sum => s,
                        RegionStatisticKind.Mean => s / n,
                        _ => s / Math.Sqrt(n),
                    };
                }
        }
    }

    /// <summary>The command-line form.</summary>
    public override string ToString() => Kind switch
    {
        RegionStatisticKind.Sum => "sum",
        RegionStatisticKind.Mean => "mean",
        RegionStatisticKind.Max => "max",
        RegionStatisticKind.TopKMean => string.Create(CultureInfo.InvariantCulture, $"topk:{K}"),
        _ => "norm",
    };
}
