namespace SeqLens.Regions;

/// <summary>
/// One region's result: covered bases, statistic (NaN when uncovered), p-value and BH q-value (NaN without a null
/// or when uncovered), and rank (1 = strongest; 0 for uncovered regions, which are not ranked).
/// </summary>
public sealed record RegionScore(Region Region, int CoveredBases, double Statistic, double P, double Q, int Rank);
