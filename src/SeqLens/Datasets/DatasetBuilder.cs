using System.Globalization;
using SeqLens.IO.Bed;
using SeqLens.IO.Fasta;
using SeqLens.IO.Intervals;
using SeqLens.Sequences;

namespace SeqLens.Datasets;

/// <summary>
/// Builds a sequence dataset from peak BEDs (one task each) and a genome: fixed-width windows centred on narrowPeak
/// summits (or peak centres), multi-task 0/1 labels, negatives (GC-matched genome windows or dinucleotide
/// shuffles), a chromosome hold-out split and optional reverse-complement augmentation of the training set.
/// </summary>
/// <remarks>
/// Positives: every peak of every task gives a window [c - w/2, c - w/2 + w) around its summit/centre c; windows
/// off the chromosome end, on contigs absent from the genome, or with more than
/// <see cref="DatasetOptions.MaxAmbiguousFraction"/> non-ACGT bases are skipped (listed in
/// <see cref="Dataset.Notes"/>); identical windows from several tasks are one example. Labels: 1 for task t when a
/// task-t peak overlaps the window's central <see cref="DatasetOptions.LabelCore"/> bases (so the union of the
/// BEDs yields multi-task labels). GC-matched negatives: windows drawn uniformly over the genome (chromosomes by
/// length, seeded with Rng.For(seed, 1)) that overlap no positive window, no peak of any task and no other negative, accepted while
/// their GC bin still needs examples, so the negatives' GC histogram equals the positives' (bins of
/// <see cref="DatasetOptions.GcBins"/>); a shortfall after the attempt budget is reported in the notes, never
/// filled with unmatched windows. Shuffle negatives: k-th shuffle of positive i uses Rng.For(seed, 2 + k, i)
/// and keeps the positive's coordinates and split. Examples are ordered by split-independent source order
/// (positives by genome order, then negatives), so the same inputs and seed give the same bytes.
/// </remarks>
public static class DatasetBuilder
{
    /// <summary>Builds the dataset; <paramref name="tasks"/> are (task name, peaks) pairs.</summary>
    public static Dataset Build(IReadOnlyList<(string Name, IReadOnlyList<BedRecord> Peaks)> tasks, IndexedFasta genome, DatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(genome);
        options ??= new DatasetOptions();
        Validate(tasks, options);
        var notes = new List<string>();
        int w = options.Width;
        int core = Math.Min(options.LabelCore, w);
        var chromOrder = genome.Index.Entries.Select((e, i) => (e.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);

        var peakIndex = new IntervalIndex<(int Task, BedRecord Peak)>(
            tasks.SelectMany((t, i) => t.Peaks.Select(p => (i, p))), x => (x.Peak.Chrom, x.Peak.Start, x.Peak.End));

        // Positive windows, unique by (chrom, start).
        var windows = new SortedSet<(int ChromIx, long Start)>();
        var missing = new Dictionary<string, int>(StringComparer.Ordinal);
        int offEnd = 0;
        foreach (var (_, peaks) in tasks)
        {
            foreach (BedRecord p in peaks)
            {
                if (!chromOrder.TryGetValue(p.Chrom, out int ix))
                {
                    missing[p.Chrom] = missing.GetValueOrDefault(p.Chrom) + 1;
                    continue;
                }

                long start = p.SummitOrCenter - (w / 2);
                if (start < 0 || start + w > genome.LengthOf(p.Chrom))
                {
                    offEnd++;
                    continue;
                }

                windows.Add((ix, start));
            }
        }

        foreach (var (chrom, n) in missing.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{n} peaks on '{chrom}', which is not in the genome, were skipped"));
        }

        if (offEnd > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{offEnd} peaks whose {w}-bp window runs off the chromosome were skipped"));
        }

        var examples = new List<DatasetExample>();
        var positives = new List<DatasetExample>();
        int ambiguous = 0;
        var hits = new List<(int Task, BedRecord Peak)>();
        foreach (var (ix, start) in windows)
        {
            string chrom = genome.Index.Entries[ix].Name;
            string seq = genome.Fetch(chrom, start, start + w);
            if (GcContent.Of(seq).AmbiguousFraction > options.MaxAmbiguousFraction)
            {
                ambiguous++;
                continue;
            }

            var labels = new int[tasks.Count];
            hits.Clear();
            long coreStart = start + (w / 2) - (core / 2); // the core always holds the window centre (the summit)
            peakIndex.Query(chrom, coreStart, coreStart + core, hits);
            foreach (var (t, _) in hits)
            {
                labels[t] = 1;
            }

            var ex = new DatasetExample(Id("pos", positives.Count), chrom, start, start + w, Strand.Plus, "positive", options.Split.Of(chrom), labels, seq);
            positives.Add(ex);
        }

        if (ambiguous > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{ambiguous} positive windows with more than {options.MaxAmbiguousFraction:P0} non-ACGT bases were skipped"));
        }

        examples.AddRange(positives);
        if (options.Negatives == NegativeKind.Shuffle)
        {
            var zero = new int[tasks.Count];
            for (int k = 0; k < options.NegativesPerPositive; k++)
            {
                for (int i = 0; i < positives.Count; i++)
                {
                    DatasetExample p = positives[i];
                    string shuffled = DinucleotideShuffle.Shuffle(p.Sequence, Rng.For(options.Seed, 2 + k, i));
                    examples.Add(p with { Id = Id("shuf", (k * positives.Count) + i), Kind = "shuffle", Labels = zero, Sequence = shuffled });
                }
            }
        }
        else if (options.Negatives == NegativeKind.GcMatched)
        {
            examples.AddRange(GcMatched(positives, peakIndex, genome, options, tasks.Count, notes));
        }

        if (options.ReverseComplementTrain)
        {
            var rc = examples.Where(e => e.Split == DatasetSplit.Train)
                .Select(e => e with { Id = e.Id + "_rc", Strand = Strand.Minus, Kind = e.Kind + "_rc", Sequence = ReverseComplement.Of(e.Sequence) })
                .ToList();
            examples.AddRange(rc);
        }

        return new Dataset(tasks.Select(t => t.Name).ToList(), examples, notes);
    }

    private static List<DatasetExample> GcMatched(List<DatasetExample> positives, IntervalIndex<(int Task, BedRecord Peak)> peaks, IndexedFasta genome, DatasetOptions o, int taskCount, List<string> notes)
    {
        int bins = o.GcBins;
        var need = new int[bins];
        foreach (DatasetExample p in positives)
        {
            need[GcContent.Bin(GcContent.Of(p.Sequence).Gc, bins)] += o.NegativesPerPositive;
        }

        int wanted = need.Sum();
        var result = new List<DatasetExample>();
        if (wanted == 0)
        {
            return result;
        }

        int w = o.Width;
        var chroms = genome.Index.Entries.Where(e => e.Length >= w).ToList();
        if (chroms.Count == 0)
        {
            notes.Add($"no chromosome is at least {w} bp long: no GC-matched negatives");
            return result;
        }

        // Cumulative window counts per chromosome: a uniform draw over all valid window starts.
        var cumulative = new long[chroms.Count];
        long total = 0;
        for (int i = 0; i < chroms.Count; i++)
        {
            total += chroms[i].Length - w + 1;
            cumulative[i] = total;
        }

        var taken = new IntervalIndex<DatasetExample>(positives, x => (x.Chrom, x.Start, x.End));
        var accepted = new Dictionary<string, SortedSet<long>>(StringComparer.Ordinal);
        var zero = new int[taskCount];
        Rng rng = Rng.For(o.Seed, 1);
        long attempts = (long)wanted * o.MaxAttemptsPerNegative;
        int remaining = wanted;
        for (long a = 0; a < attempts && remaining > 0; a++)
        {
            long r = (long)(rng.NextDouble() * total);
            int ci = Array.BinarySearch(cumulative, r + 1);
            ci = ci < 0 ? ~ci : ci;
            long start = r - (ci == 0 ? 0 : cumulative[ci - 1]);
            string chrom = chroms[ci].Name;
            if (!accepted.TryGetValue(chrom, out SortedSet<long>? near))
            {
                accepted[chrom] = near = [];
            }

            if (taken.Overlaps(chrom, start, start + w) || peaks.Overlaps(chrom, start, start + w) || near.GetViewBetween(start - w + 1, start + w - 1).Count > 0)
            {
                continue;
            }

            string seq = genome.Fetch(chrom, start, start + w);
            var (gc, amb) = GcContent.Of(seq);
            if (amb > o.MaxAmbiguousFraction || double.IsNaN(gc))
            {
                continue;
            }

            int bin = GcContent.Bin(gc, bins);
            if (need[bin] == 0)
            {
                continue;
            }

            need[bin]--;
            remaining--;
            near.Add(start);
            result.Add(new DatasetExample(Id("neg", result.Count), chrom, start, start + w, Strand.Plus, "gc_negative", o.Split.Of(chrom), zero, seq));
        }

        if (remaining > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"only {wanted - remaining} of {wanted} GC-matched negatives found after {attempts} attempts (GC bins short: {string.Join(", ", need.Select((n, b) => (n, b)).Where(x => x.n > 0).Select(x => $"[{(double)x.b / bins:F2},{(double)(x.b + 1) / bins:F2}): {x.n}"))})"));
        }

        // Genome order, then id: deterministic and independent of the draw order.
        var order = genome.Index.Entries.Select((e, i) => (e.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        return result.OrderBy(e => order[e.Chrom]).ThenBy(e => e.Start).Select((e, i) => e with { Id = Id("neg", i) }).ToList();
    }

    private static string Id(string prefix, int index) => prefix + index.ToString("D6", CultureInfo.InvariantCulture);

    private static void Validate(IReadOnlyList<(string Name, IReadOnlyList<BedRecord> Peaks)> tasks, DatasetOptions o)
    {
        if (tasks.Count == 0)
        {
            throw new ArgumentException("a dataset needs at least one BED of peaks", nameof(tasks));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in tasks)
        {
            if (string.IsNullOrWhiteSpace(name) || name.AsSpan().IndexOfAny("\t\r\n") >= 0 || !names.Add(name))
            {
                throw new ArgumentException($"task names must be unique, non-empty and free of tabs; got '{name}'", nameof(tasks));
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(o.Width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(o.NegativesPerPositive, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(o.GcBins, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(o.LabelCore, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(o.MaxAttemptsPerNegative, 1);
        if (o.MaxAmbiguousFraction is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(o), $"MaxAmbiguousFraction must be in [0, 1]; got {o.MaxAmbiguousFraction}");
        }
    }
}
