namespace SeqLens.IO.Intervals;

/// <summary>
/// Overlap queries over a fixed set of intervals: per contig, intervals sorted by start form an implicit
/// balanced binary tree (the middle of each index range is its root) augmented with the maximum end of each
/// subtree, as in cgranges (Li, 2019) and the augmented interval trees of CLRS §14.3. Build O(n log n), query
/// O(log n + k).
/// </summary>
/// <typeparam name="T">The payload returned by queries.</typeparam>
/// <remarks>Coordinates are 0-based half-open; [s, e) and [qs, qe) overlap when s &lt; qe and qs &lt; e, so empty
/// intervals never overlap anything.</remarks>
public sealed class IntervalIndex<T>
{
    private readonly Dictionary<string, Contig> _contigs = new(StringComparer.Ordinal);

    /// <summary>Indexes <paramref name="items"/>, locating each with <paramref name="locate"/> (chrom, start, end).</summary>
    public IntervalIndex(IEnumerable<T> items, Func<T, (string Chrom, long Start, long End)> locate)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(locate);
        var groups = new Dictionary<string, List<(long S, long E, T Item)>>(StringComparer.Ordinal);
        foreach (T item in items)
        {
            var (c, s, e) = locate(item);
            if (e < s)
            {
                throw new ArgumentException($"interval {c}:{s}-{e} has end < start", nameof(items));
            }

            if (!groups.TryGetValue(c, out var list))
            {
                groups[c] = list = [];
            }

            list.Add((s, e, item));
            Count++;
        }

        foreach (var (chrom, list) in groups)
        {
            // Stable order for equal starts keeps query results deterministic.
            var sorted = list.Select((x, i) => (x, i)).OrderBy(p => p.x.S).ThenBy(p => p.i).Select(p => p.x).ToArray();
            _contigs[chrom] = new Contig(sorted);
        }
    }

    /// <summary>Number of intervals indexed.</summary>
    public int Count { get; }

    /// <summary>The items overlapping [<paramref name="start"/>, <paramref name="end"/>) on <paramref name="chrom"/>, in order of start.</summary>
    public List<T> Query(string chrom, long start, long end)
    {
        var result = new List<T>();
        Query(chrom, start, end, result);
        return result;
    }

    /// <summary>Appends the overlapping items to <paramref name="result"/> (no allocation beyond the list).</summary>
    public void Query(string chrom, long start, long end, List<T> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_contigs.TryGetValue(chrom, out Contig? c))
        {
            c.Query(0, c.Starts.Length, start, end, result);
        }
    }

    /// <summary>True when any interval overlaps [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public bool Overlaps(string chrom, long start, long end)
        => _contigs.TryGetValue(chrom, out Contig? c) && c.Any(0, c.Starts.Length, start, end);

    private sealed class Contig
    {
        public Contig((long S, long E, T Item)[] sorted)
        {
            Starts = sorted.Select(x => x.S).ToArray();
            Ends = sorted.Select(x => x.E).ToArray();
            Items = sorted.Select(x => x.Item).ToArray();
            MaxEnd = new long[Starts.Length];
            Build(0, Starts.Length);
        }

        public long[] Starts { get; }

        public long[] Ends { get; }

        public T[] Items { get; }

        public long[] MaxEnd { get; }

        private long Build(int lo, int hi)
        {
            if (lo >= hi)
            {
                return long.MinValue;
            }

            int mid = lo + ((hi - lo) >> 1);
            long m = Math.Max(Ends[mid], Math.Max(Build(lo, mid), Build(mid + 1, hi)));
            MaxEnd[mid] = m;
            return m;
        }

        public void Query(int lo, int hi, long qs, long qe, List<T> result)
        {
            if (lo >= hi)
            {
                return;
            }

            int mid = lo + ((hi - lo) >> 1);
            if (MaxEnd[mid] <= qs)
            {
                return; // nothing in this subtree ends after the query starts
            }

            Query(lo, mid, qs, qe, result);
            if (Starts[mid] < qe)
            {
                if (Ends[mid] > qs)
                {
                    result.Add(Items[mid]);
                }

                Query(mid + 1, hi, qs, qe, result);
            }
        }

        public bool Any(int lo, int hi, long qs, long qe)
        {
            if (lo >= hi)
            {
                return false;
            }

            int mid = lo + ((hi - lo) >> 1);
            if (MaxEnd[mid] <= qs)
            {
                return false;
            }

            if (Starts[mid] < qe && Ends[mid] > qs)
            {
                return true;
            }

            return Any(lo, mid, qs, qe) || (Starts[mid] < qe && Any(mid + 1, hi, qs, qe));
        }
    }
}
