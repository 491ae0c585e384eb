using SeqLens.IO.Motifs;

namespace SeqLens.Sequences.Simulation;

/// <summary>
/// Generates simulated sequences from a <see cref="SimulationDesign"/>: background, then motif instances sampled
/// from PWMs at uniformly random non-overlapping positions, then labels from the task rules.
/// </summary>
/// <remarks>
/// Sequence i uses its own stream <c>Rng.For(seed, i)</c>, so the same seed gives the same bytes and sequence i does
/// not depend on how many sequences are generated. Order of draws per sequence: background bases; then for each
/// embedding of the class: presence (one draw), instance count, and per instance the site's bases, the strand
/// (when both strands are allowed) and the position, chosen uniformly among starts that overlap no earlier instance.
/// A minus-strand instance is sampled from the PWM and reverse-complemented into the sequence. Scores are log-odds
/// in bits (<see cref="Motif.LogOdds"/>, default pseudocount) of the sampled site against the GC background of a
/// <see cref="GcBackground"/> design (uniform otherwise). Labels come from the embedded instances (ground truth),
/// not from chance matches in the background.
/// </remarks>
public static class Simulator
{
    /// <summary>Simulates <paramref name="count"/> sequences of <paramref name="length"/> bases (the design's default when null).</summary>
    public static SimulationResult Generate(SimulationDesign design, int count, int? length, long seed)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int len = length ?? design.DefaultLength;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(len, nameof(length));
        Validate(design, len);

        MotifBackground scoring = design.Background is GcBackground gc && gc.Gc > 0 && gc.Gc < 1
            ? MotifBackground.FromGc(gc.Gc)
            : MotifBackground.Uniform;
        var sampled = new Dictionary<Motif, (double[] Cumulative, double[] LogOdds)>(ReferenceEqualityComparer.Instance);
        foreach (MotifEmbedding e in design.Classes.SelectMany(c => c.Embeddings))
        {
            if (!sampled.ContainsKey(e.Motif))
            {
                double[] p = e.Motif.Probabilities();
                for (int i = 0; i < p.Length; i += 4)
                {
                    p[i + 1] += p[i];
                    p[i + 2] += p[i + 1];
                    p[i + 3] = 1.0;
                }

                sampled.Add(e.Motif, (p, e.Motif.LogOdds(scoring)));
            }
        }

        var sequences = new SimulatedSequence[count];
        int classes = design.Classes.Count;
        var bytes = new byte[len];
        var occupied = new int[len + 1];
        for (int i = 0; i < count; i++)
        {
            Rng rng = Rng.For(seed, i);
            SimulationClass cls = design.Classes[i % classes];
            design.Background.Sample(bytes, rng);
            Array.Clear(occupied);
            var instances = new List<MotifInstance>();
            foreach (MotifEmbedding e in cls.Embeddings)
            {
                bool present = rng.NextDouble() < e.Probability;
                if (!present)
                {
                    continue;
                }

                int n = DrawCount(e, rng);
                (double[] cumulative, double[] logOdds) = sampled[e.Motif];
                for (int k = 0; k < n; k++)
                {
                    instances.Add(Embed(e.Motif, cumulative, logOdds, design.BothStrands, bytes, occupied, rng, cls.Name, i));
                }
            }

            instances.Sort((a, b) => a.Start.CompareTo(b.Start));
            var presentSet = instances.Select(x => x.Motif).ToHashSet(StringComparer.Ordinal);
            int[] labels = design.Tasks.Select(t => t.Rule.Evaluate(presentSet) ? 1 : 0).ToArray();
            sequences[i] = new SimulatedSequence(
                $"{cls.Name}_{(i / classes).ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                cls.Name,
                System.Text.Encoding.ASCII.GetString(bytes),
                instances,
                labels);
        }

        return new SimulationResult(design.Tasks.Select(t => t.Name).ToArray(), sequences);
    }

    private static void Validate(SimulationDesign design, int length)
    {
        if (design.Classes.Count == 0)
        {
            throw new ArgumentException($"Design {design.Name} has no classes.", nameof(design));
        }

        var motifs = new HashSet<string>(StringComparer.Ordinal);
        foreach (SimulationClass cls in design.Classes)
        {
            int total = 0;
            foreach (MotifEmbedding e in cls.Embeddings)
            {
                e.Validate();
                motifs.Add(e.Motif.Id);
                total += e.Motif.Width * e.MaxCount;
                if (e.Motif.Width > length)
                {
                    throw new ArgumentException($"Motif {e.Motif.Id} (width {e.Motif.Width}) does not fit in sequences of length {length}.", nameof(length));
                }
            }

            if (total > length)
            {
                throw new ArgumentException(
                    $"Class {cls.Name} may embed up to {total} motif bases, more than the sequence length {length}; use longer sequences.",
                    nameof(length));
            }
        }

        foreach (SimulationTask task in design.Tasks)
        {
            foreach (string m in task.Rule.Motifs)
            {
                if (!motifs.Contains(m))
                {
                    throw new ArgumentException($"Task {task.Name} refers to motif {m}, which no class embeds (known: {string.Join(", ", motifs.Order(StringComparer.Ordinal))}).", nameof(design));
                }
            }
        }
    }

    private static int DrawCount(MotifEmbedding e, Rng rng)
    {
        if (e.MinCount == e.MaxCount)
        {
            return e.MinCount;
        }

        for (int attempt = 0; attempt < 1000; attempt++)
        {
            // Knuth's Poisson sampler (means here are small).
            double limit = Math.Exp(-e.MeanCount), product = rng.NextDouble();
            int k = 0;
            while (product > limit)
            {
                k++;
                product *= rng.NextDouble();
            }

            if (k >= e.MinCount && k <= e.MaxCount)
            {
                return k;
            }
        }

        // NOTE: [min, max] is nearly impossible under this mean; fall back to the nearest bound.
        return e.MeanCount < e.MinCount ? e.MinCount : e.MaxCount;
    }

    private static MotifInstance Embed(Motif motif, double[] cumulative, double[] logOdds, bool bothStrands, byte[] sequence, int[] occupied, Rng rng, string cls, int index)
    {
        int w = motif.Width;
        var site = new byte[w];
        double score = 0;
        for (int p = 0; p < w; p++)
        {
            double u = rng.NextDouble();
            int b = u < cumulative[p * 4] ? 0 : u < cumulative[(p * 4) + 1] ? 1 : u < cumulative[(p * 4) + 2] ? 2 : 3;
            site[p] = (byte)"ACGT"[b];
            score += logOdds[(p * 4) + b];
        }

        char strand = '+';
        if (bothStrands && rng.NextInt(2) == 1)
        {
            strand = '-';
            ReverseComplement.InPlace(site);
        }

        // occupied is a 0/1 array with one extra slot; count free starts s with no occupied base in [s, s + w).
        int length = sequence.Length;
        int free = 0;
        int run = 0;
        for (int s = 0; s < length; s++)
        {
            run = occupied[s] == 0 ? run + 1 : 0;
            if (run >= w)
            {
                free++;
            }
        }

        if (free == 0)
        {
            throw new InvalidOperationException(
                $"Sequence {index} (class {cls}): no room left for motif {motif.Id} (width {w}) in {length} bases; use longer sequences or fewer instances.");
        }

        int pick = rng.NextInt(free);
        run = 0;
        int start = -1;
        for (int s = 0; s < length; s++)
        {
            run = occupied[s] == 0 ? run + 1 : 0;
            if (run >= w && pick-- == 0)
            {
                start = s - w + 1;
                break;
            }
        }

        site.CopyTo(sequence, start);
        for (int p = start; p < start + w; p++)
        {
            occupied[p] = 1;
        }

        return new MotifInstance(start, motif.Id, System.Text.Encoding.ASCII.GetString(site), strand, score);
    }
}
