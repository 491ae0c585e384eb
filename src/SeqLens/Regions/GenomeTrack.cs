using System.Runtime.CompilerServices;
using SeqLens.IO.BedGraph;
using SeqLens.IO.Intervals;

namespace SeqLens.Regions;

/// <summary>
/// Per-base genomic scores combined from sequence score tracks placed at their genomic intervals. Per contig, the
/// union of the sequences' intervals is kept as sorted disjoint blocks with one combined value and one coverage count
/// per base, so memory follows the covered bases, not the contig length. A base no sequence covers (or covered only
/// by NaN scores) has coverage 0 and is excluded from statistics.
/// </summary>
/// <remarks>
/// Placement: a '+' or unstranded sequence's position <c>i</c> is genomic base <c>Start + i</c>; a '-' sequence
/// (the reverse complement) puts position <c>i</c> at <c>End - 1 - i</c>. Combination per base is the mean (sums in
/// double) or the maximum over covering sequences (<see cref="OverlapCombine"/>).
/// </remarks>
public sealed class GenomeTrack
{
    private readonly Dictionary<string, Contig> _contigs;
    private readonly IReadOnlyList<GenomicInterval> _intervals;
    private readonly OverlapCombine _combine;

    private GenomeTrack(Dictionary<string, Contig> contigs, List<string> order, IReadOnlyList<GenomicInterval> intervals, OverlapCombine combine)
    {
        _contigs = contigs;
        Contigs = order;
        _intervals = intervals;
        _combine = combine;
    }

    /// <summary>Contigs in order of first appearance among the sequences.</summary>
    public IReadOnlyList<string> Contigs { get; }

    /// <summary>How overlapping sequences were combined.</summary>
    public OverlapCombine Combine => _combine;

    /// <summary>
    /// Combines <paramref name="tracks"/>[i] (length = <paramref name="intervals"/>[i].Length) at its interval.
    /// NaN scores count as not covered.
    /// </summary>
    public static GenomeTrack Build(IReadOnlyList<GenomicInterval> intervals, IReadOnlyList<float[]> tracks, OverlapCombine combine = OverlapCombine.Mean)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        ArgumentNullException.ThrowIfNull(tracks);
        var byContig = new Dictionary<string, List<GenomicInterval>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (GenomicInterval x in intervals)
        {
            if (!byContig.TryGetValue(x.Chrom, out var list))
            {
                byContig[x.Chrom] = list = [];
                order.Add(x.Chrom);
            }

            list.Add(x);
        }

        var contigs = new Dictionary<string, Contig>(StringComparer.Ordinal);
        foreach (string c in order)
        {
            contigs[c] = new Contig(byContig[c]);
        }

        var track = new GenomeTrack(contigs, order, intervals.ToArray(), combine);
        track.Fill(tracks);
        return track;
    }

    /// <summary>
    /// A class-contrast track: per base, the combined value (mean or max) of the sequences with
    /// <paramref name="group"/>[i] true minus that of the others; a base counts as covered only when both classes cover
    /// it (its coverage is then the number of sequences of both).
    /// </summary>
    public static GenomeTrack BuildContrast(IReadOnlyList<GenomicInterval> intervals, IReadOnlyList<float[]> tracks, IReadOnlyList<bool> group, OverlapCombine combine = OverlapCombine.Mean)
    {
        ArgumentNullException.ThrowIfNull(group);
        GenomeTrack track = Build(intervals, tracks, combine);
        track.Fill(tracks, group);
        return track;
    }

    /// <summary>Recomputes every value from new tracks over the same intervals (used by the nulls; no new layout).</summary>
    /// <param name="tracks">One track per interval.</param>
    /// <param name="group">For a class contrast (see <see cref="BuildContrast"/>): the class of each sequence; null for none.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Fill(IReadOnlyList<float[]> tracks, IReadOnlyList<bool>? group = null)
    {
        if (group is not null && group.Count != tracks.Count)
        {
            throw new ArgumentException($"GenomeTrack expects one class per track; got {group.Count} classes and {tracks.Count} tracks", nameof(group));
        }

        if (_intervals.Count != tracks.Count)
        {
            throw new ArgumentException($"GenomeTrack expects one track per interval; got {_intervals.Count} intervals and {tracks.Count} tracks", nameof(tracks));
        }

        foreach (Contig c in _contigs.Values)
        {
            c.Reset(_combine, group is not null);
        }

        for (int i = 0; i < _intervals.Count; i++)
        {
            GenomicInterval x = _intervals[i];
            if (tracks[i].Length != x.Length)
            {
                throw new ArgumentException($"track {i} has {tracks[i].Length} values but its interval {x.Chrom}:{x.Start}-{x.End} has {x.Length} bases", nameof(tracks));
            }

            _contigs[x.Chrom].Add(x, tracks[i], _combine, group is not null && !group[i]);
        }

        foreach (Contig c in _contigs.Values)
        {
            c.Finish(_combine, group is not null);
        }
    }

    /// <summary>True when some sequence lies on <paramref name="chrom"/>.</summary>
    public bool HasContig(string chrom) => _contigs.ContainsKey(chrom);

    /// <summary>The smallest start and largest end of the sequences on <paramref name="chrom"/>.</summary>
    public (long Start, long End) Extent(string chrom)
    {
        Contig c = Get(chrom);
        return (c.BlockStart[0], c.BlockEnd[^1]);
    }

    /// <summary>The disjoint blocks (union of sequence intervals) of <paramref name="chrom"/>, sorted.</summary>
    public IEnumerable<(long Start, long End)> Blocks(string chrom)
    {
        Contig c = Get(chrom);
        for (int b = 0; b < c.BlockStart.Length; b++)
        {
            yield return (c.BlockStart[b], c.BlockEnd[b]);
        }
    }

    /// <summary>The combined value at a base, false when no sequence covers it.</summary>
    public bool TryGet(string chrom, long position, out double value)
    {
        value = double.NaN;
        if (!_contigs.TryGetValue(chrom, out Contig? c))
        {
            return false;
        }

        int k = c.IndexOf(position);
        if (k < 0 || c.Coverage[k] == 0)
        {
            return false;
        }

        value = c.Values[k];
        return true;
    }

    /// <summary>Bases covered by at least one sequence, over all contigs.</summary>
    public long CoveredBases => _contigs.Values.Sum(c => (long)c.Coverage.Count(x => x > 0));

    /// <summary>
    /// Calls <paramref name="visit"/> with the value of every covered base of [<paramref name="start"/>,
    /// <paramref name="end"/>) on <paramref name="chrom"/>, in genomic order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void ForEachCovered<TState>(string chrom, long start, long end, ref TState state, Visitor<TState> visit)
    {
        if (!_contigs.TryGetValue(chrom, out Contig? c))
        {
            return;
        }

        int b = c.FirstBlockEndingAfter(start);
        for (; b < c.BlockStart.Length && c.BlockStart[b] < end; b++)
        {
            long s = Math.Max(start, c.BlockStart[b]), e = Math.Min(end, c.BlockEnd[b]);
            int k0 = c.BlockOffset[b] + (int)(s - c.BlockStart[b]);
            int k1 = k0 + (int)(e - s);
            for (int k = k0; k < k1; k++)
            {
                if (c.Coverage[k] > 0)
                {
                    visit(ref state, c.Values[k]);
                }
            }
        }
    }

    /// <summary>Receives one covered base's value.</summary>
    internal delegate void Visitor<TState>(ref TState state, double value);

    /// <summary>Covered bases as bedGraph runs (equal consecutive float32 values merged), contigs in <see cref="Contigs"/> order.</summary>
    public IEnumerable<BedGraphRecord> ToBedGraph()
    {
        foreach (string chrom in Contigs)
        {
            Contig c = _contigs[chrom];
            for (int b = 0; b < c.BlockStart.Length; b++)
            {
                int k0 = c.BlockOffset[b], k1 = k0 + (int)(c.BlockEnd[b] - c.BlockStart[b]);
                int k = k0;
                while (k < k1)
                {
                    if (c.Coverage[k] == 0)
                    {
                        k++;
                        continue;
                    }

                    float v = (float)c.Values[k];
                    int j = k + 1;
                    while (j < k1 && c.Coverage[j] > 0 && (float)c.Values[j] == v)
                    {
                        j++;
                    }

                    yield return new BedGraphRecord(chrom, c.BlockStart[b] + (k - k0), c.BlockStart[b] + (j - k0), v);
                    k = j;
                }
            }
        }
    }

    private Contig Get(string chrom) => _contigs.TryGetValue(chrom, out Contig? c) ? c : throw new ArgumentException($"no sequence lies on contig '{chrom}'", nameof(chrom));

    private sealed class Contig
    {
        public Contig(List<GenomicInterval> intervals)
        {
            var sorted = intervals.OrderBy(x => x.Start).ToList();
            var starts = new List<long>();
            var ends = new List<long>();
            foreach (GenomicInterval x in sorted)
            {
                if (starts.Count > 0 && x.Start <= ends[^1])
                {
                    ends[^1] = Math.Max(ends[^1], x.End);
                }
                else
                {
                    starts.Add(x.Start);
                    ends.Add(x.End);
                }
            }

            BlockStart = [.. starts];
            BlockEnd = [.. ends];
            BlockOffset = new int[BlockStart.Length];
            long total = 0;
            for (int b = 0; b < BlockStart.Length; b++)
            {
                BlockOffset[b] = checked((int)total);
                total += BlockEnd[b] - BlockStart[b];
            }

            Values = new double[checked((int)total)];
            Coverage = new int[Values.Length];
        }

        public long[] BlockStart { get; }

        public long[] BlockEnd { get; }

        public int[] BlockOffset { get; }

        public double[] Values { get; }

        public int[] Coverage { get; }

        /// <summary>Index of the first block whose end is after <paramref name="position"/>.</summary>
        public int FirstBlockEndingAfter(long position)
        {
            int lo = 0, hi = BlockEnd.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (BlockEnd[mid] <= position)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }

        public int IndexOf(long position)
        {
            int b = FirstBlockEndingAfter(position);
            return b < BlockStart.Length && BlockStart[b] <= position ? BlockOffset[b] + (int)(position - BlockStart[b]) : -1;
        }

        /// <summary>The second class's combined values and coverage, for a class contrast.</summary>
        private double[]? _valuesB;

        private int[]? _coverageB;

        public void Reset(OverlapCombine combine, bool contrast)
        {
            Array.Fill(Values, combine == OverlapCombine.Max ? double.NegativeInfinity : 0.0);
            Array.Clear(Coverage);
            if (contrast)
            {
                _valuesB ??= new double[Values.Length];
                _coverageB ??= new int[Values.Length];
                Array.Fill(_valuesB, combine == OverlapCombine.Max ? double.NegativeInfinity : 0.0);
                Array.Clear(_coverageB);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(GenomicInterval x, float[] track, OverlapCombine combine, bool toB)
        {
            double[] values = toB ? _valuesB! : Values;
            int[] coverage = toB ? _coverageB! : Coverage;
            int k0 = IndexOf(x.Start);
            bool minus = x.Strand == Strand.Minus;
            int n = track.Length;
            for (int i = 0; i < n; i++)
            {
                float v = track[i];
                if (float.IsNaN(v))
                {
                    continue;
                }

                int k = k0 + (minus ? n - 1 - i : i);
                coverage[k]++;
                values[k] = combine == OverlapCombine.Max ? Math.Max(values[k], v) : values[k] + v;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Finish(OverlapCombine combine, bool contrast)
        {
            for (int k = 0; k < Values.Length; k++)
            {
                int c = Coverage[k];
                double a = c == 0 ? double.NaN : combine == OverlapCombine.Max ? Values[k] : Values[k] / c;
                if (contrast)
                {
                    int cb = _coverageB![k];
                    double b = cb == 0 ? double.NaN : combine == OverlapCombine.Max ? _valuesB![k] : _valuesB![k] / cb;
                    Coverage[k] = c > 0 && cb > 0 ? c + cb : 0;
                    a = Coverage[k] == 0 ? double.NaN : a - b;
                }

                Values[k] = a;
            }
        }
    }
}
