using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SeqLens.IO.Fasta;
using SeqLens.IO.Gtf;

namespace SeqLens.Sequences.Simulation;

/// <summary>
/// The <c>cancer</c> preset: fixed-length windows drawn from a genome FASTA record, half "normal" with background
/// mutations (substitutions and 1-3 base indels), half "tumour" with the same background plus mutations planted at a
/// high rate in the exons of chosen genes.
/// </summary>
/// <remarks>
/// <para>Sampling (the same for both classes, so a model cannot separate them by position): window <c>i</c> is
/// tumour when <c>i</c> is odd; independently of its class, with probability <see cref="CancerOptions.TargetFraction"/>
/// its start is uniform over the starts whose reference window overlaps a target gene (or, with
/// <see cref="CancerTargetUnit.Exon"/>, a target-gene exon), otherwise uniform over the
/// whole record. Normal windows therefore overlap target genes exactly as often as tumour ones.</para>
/// <para>Mutations: walking the source from the start, each source base mutates with probability
/// <see cref="CancerOptions.BackgroundRate"/>, plus <see cref="CancerOptions.TumourExonRate"/> when the window is tumour
/// and the base lies in a target-gene exon; a mutation is an insertion of 1-3 random bases before the base, a deletion
/// of 1-3 bases from it, or a substitution to one of the three other bases. The output is filled to exactly
/// <see cref="CancerOptions.Length"/> bases by reading on through the source (a slightly longer source than the window
/// is available by construction: starts leave <c>L/10 + 16</c> bases of slack, and a deletion that would exhaust the
/// record is not made).</para>
/// <para>Hotspots (<see cref="CancerOptions.HotspotsPerGene"/>): recurrent substitutions at fixed exon bases of each
/// target gene; a tumour window whose source walk reaches a hotspot base carries the hotspot's alternative base with
/// probability <see cref="CancerOptions.HotspotRate"/> (otherwise the base takes the usual rates).</para>
/// <para>Coordinates: the annotation is read in the FASTA record's own frame (GTF position 1 = the record's first
/// base; the shared chr16 chunk's GTF is such a local annotation, and its contig name equals the record id). Names are
/// <c>w{index}::contig:start-end</c> (the bedtools getfasta form, so two windows drawn at the same start keep distinct
/// names; the index is zero-padded), with 1-based closed genome coordinates of the reference window of length L at the source
/// start: genome position = record position + <see cref="CancerOptions.GenomeOffset"/> (186963 for the shared
/// chunk, read from its description "186964 397118 +"). To score regions of such windows with the local GTF, pass
/// <c>seqlens regions --annotation-offset</c> with that offset. Indels shift downstream bases by their net length; the
/// truth lists every mutation with record and window positions.</para>
/// </remarks>
public static partial class CancerSimulator
{
    /// <summary>The preset name on the command line.</summary>
    public const string PresetName = "cancer";

    /// <summary>Window names start with this letter and the zero-padded window index, then <c>::contig:start-end</c>.</summary>
    public const string WindowPrefix = "w";

    [GeneratedRegex(@"^\s*(?<start>\d+)\s+(?<end>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex DescriptionPattern();

    [GeneratedRegex(@"^(?<chrom>[^:\s]+):(?<start>\d+)-(?<end>\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    /// <summary>
    /// Simulates from the first record of <paramref name="genomePath"/> whose id is a contig of
    /// <paramref name="annotationPath"/> (GTF/GFF3, coordinates local to the record).
    /// </summary>
    public static CancerResult Generate(string genomePath, string annotationPath, CancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        GeneAnnotation annotation = GeneAnnotation.ReadFile(annotationPath);
        var contigs = annotation.Genes.Select(g => g.Chrom).Distinct(StringComparer.Ordinal).ToList();
        var ids = new List<string>();
        foreach (FastaRecord r in FastaReader.ReadFile(genomePath))
        {
            var (contig, offset) = ContigAndOffset(r);
            if (annotation.Genes.Any(g => g.Chrom == r.Id) || annotation.Genes.Any(g => g.Chrom == contig))
            {
                string chrom = annotation.Genes.Any(g => g.Chrom == r.Id) ? r.Id : contig;
                return Generate(chrom, r.Sequence, annotation, options with { GenomeOffset = options.GenomeOffset ?? offset }, contig);
            }

            ids.Add(r.Id);
        }

        throw new ArgumentException($"no record of {genomePath} ({string.Join(", ", ids.Take(10))}) is a contig of {annotationPath} ({string.Join(", ", contigs.Take(10))})");
    }

    /// <summary>Simulates from one record: <paramref name="annotationChrom"/> names it in the annotation, <paramref name="contig"/> in window names.</summary>
    public static CancerResult Generate(string annotationChrom, string sequence, GeneAnnotation annotation, CancerOptions options, string? contig = null)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(annotation);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        string genome = sequence.ToUpperInvariant();
        int length = options.Length;
        int slack = (length / 10) + 16;
        long maxStart = genome.Length - length - slack;
        if (maxStart < 0)
        {
            throw new ArgumentException($"record {annotationChrom} has {genome.Length} bases; windows of {length} need at least {length + slack}");
        }

        var genes = new List<(Gene Gene, string Label)>();
        foreach (string given in options.Genes)
        {
            // "LABEL=identifier" names a gene the annotation only knows by id (the shared RefSeq GTF has no gene_name).
            int eq = given.IndexOf('=', StringComparison.Ordinal);
            string name = eq >= 0 ? given[(eq + 1)..] : given;
            Gene? g = annotation.Genes.FirstOrDefault(x => x.Chrom == annotationChrom && (x.Name == name || x.Id == name || x.Transcripts.Any(t => t.Id == name)));
            if (g is null)
            {
                var known = annotation.Genes.Where(x => x.Chrom == annotationChrom).Select(x => x.Name == x.Id ? x.Id : $"{x.Name} ({x.Id})");
                throw new ArgumentException($"gene '{name}' is not on {annotationChrom} in the annotation (matched against gene names, gene ids and transcript ids); genes there: {string.Join(", ", known)}");
            }

            genes.Add((g, eq >= 0 ? given[..eq] : g.Name));
        }

        var exons = Merge(genes.SelectMany(g => g.Gene.Transcripts.SelectMany(t => t.Exons).Select(e => (e.Start, e.End, g.Label))));
        List<CancerHotspot> hotspots = Hotspots(genome, genes.Select(g => g.Label).ToList(), exons, options);
        var hotspotAt = hotspots.ToDictionary(h => h.Position);
        IEnumerable<(long Start, long End)> targets = options.TargetUnit switch
        {
            CancerTargetUnit.Exon => exons.Select(e => (e.Start, e.End)),
            CancerTargetUnit.Hotspot => hotspots.Select(h => (h.Position, h.Position + 1)),
            _ => genes.Select(g => (g.Gene.Start, g.Gene.End)),
        };
        var onTargetStarts = MergeSpans(targets.Select(t => (Math.Max(0, t.Start - length + 1), Math.Min(maxStart + 1, t.End))).Where(s => s.Item1 < s.Item2));
        if (onTargetStarts.Count == 0 && options.TargetFraction > 0)
        {
            throw new ArgumentException("no window start overlaps the target genes (genes too close to the record ends for this window length)");
        }

        long onTargetTotal = onTargetStarts.Sum(s => s.End - s.Start);
        long offset = options.GenomeOffset ?? 0;
        string name0 = contig ?? annotationChrom;
        var windows = new CancerWindow[options.Count];
        string width = "D" + options.Count.ToString(CultureInfo.InvariantCulture).Length.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < options.Count; i++)
        {
            Rng rng = Rng.For(options.Seed, i);
            bool tumour = i % 2 == 1;
            bool onTarget = rng.NextDouble() < options.TargetFraction;
            long start = onTarget ? Pick(onTargetStarts, (long)(rng.NextDouble() * onTargetTotal)) : (long)(rng.NextDouble() * (maxStart + 1));
            var (seq, mutations) = Mutate(genome, start, length, tumour, exons, hotspotAt, options, rng);
            string name = string.Create(CultureInfo.InvariantCulture, $"{WindowPrefix}{i.ToString(width, CultureInfo.InvariantCulture)}::{name0}:{offset + start + 1}-{offset + start + length}");
            windows[i] = new CancerWindow(name, tumour, seq, start, onTarget, mutations);
        }

        return new CancerResult(windows, name0, offset, genes.Select(g => g.Label).ToList(), exons.Select(e => (e.Start, e.End)).ToList(), hotspots);
    }

    /// <summary>The contig name and 0-based genome offset of a record (see <see cref="CancerOptions.GenomeOffset"/>).</summary>
    public static (string Contig, long Offset) ContigAndOffset(FastaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Match id = IdPattern().Match(record.Id);
        if (id.Success)
        {
            return (id.Groups["chrom"].Value, long.Parse(id.Groups["start"].Value, CultureInfo.InvariantCulture) - 1);
        }

        Match d = DescriptionPattern().Match(record.Description);
        if (d.Success && long.Parse(d.Groups["end"].Value, CultureInfo.InvariantCulture) - long.Parse(d.Groups["start"].Value, CultureInfo.InvariantCulture) + 1 == record.Length)
        {
            return (record.Id, long.Parse(d.Groups["start"].Value, CultureInfo.InvariantCulture) - 1);
        }

        return (record.Id, 0);
    }

    private static void Validate(CancerOptions o)
    {
        if (o.Genes.Count == 0)
        {
            throw new ArgumentException("the cancer preset needs at least one target gene (--genes)");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(o.Count, 1, "count");
        ArgumentOutOfRangeException.ThrowIfLessThan(o.Length, 1, "length");
        foreach (var (v, what) in new[] { (o.TargetFraction, "target fraction"), (o.BackgroundRate, "background rate"), (o.TumourExonRate, "tumour exon rate") })
        {
            if (!(v >= 0 && v <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{what} must be in [0, 1]; got {v}"));
            }
        }

        if (o.HotspotsPerGene < 0 || !(o.HotspotRate >= 0 && o.HotspotRate <= 1))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"hotspots per gene must be >= 0 and the hotspot rate in [0, 1]; got {o.HotspotsPerGene} and {o.HotspotRate}"));
        }

        if (o.TargetUnit == CancerTargetUnit.Hotspot && o.HotspotsPerGene == 0)
        {
            throw new ArgumentException("target unit 'hotspot' needs hotspots (--hotspots K with K >= 1)");
        }

        if (!(o.IndelFraction >= 0 && o.IndelFraction <= 0.5))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"indel fraction must be in [0, 0.5]; got {o.IndelFraction}"));
        }
    }

    private static (string Sequence, List<CancerMutation> Mutations) Mutate(string genome, long start, int length, bool tumour,
        List<(long Start, long End, string Gene)> exons, Dictionary<long, CancerHotspot> hotspots, CancerOptions o, Rng rng)
    {
        const string bases = "ACGT";
        var output = new StringBuilder(length);
        var mutations = new List<CancerMutation>();
        long src = start;
        while (output.Length < length)
        {
            string? exonGene = ExonGene(exons, src);
            double rate = o.BackgroundRate + (tumour && exonGene is not null ? o.TumourExonRate : 0);
            char refBase = genome[(int)src];
            string gene = exonGene ?? string.Empty;
            if (tumour && hotspots.TryGetValue(src, out CancerHotspot? hotspot) && rng.NextDouble() < o.HotspotRate)
            {
                mutations.Add(new CancerMutation("SNV", src, output.Length, refBase.ToString(), hotspot.Alt.ToString(), true, hotspot.Gene, Hotspot: true));
                output.Append(hotspot.Alt);
                src++;
                continue;
            }

            if (rng.NextDouble() >= rate)
            {
                output.Append(refBase);
                src++;
                continue;
            }

            double u = rng.NextDouble();
            int k = 1 + rng.NextInt(3);
            if (u < o.IndelFraction)
            {
                k = Math.Min(k, length - output.Length);
                var alt = new StringBuilder(k);
                for (int j = 0; j < k; j++)
                {
                    alt.Append(bases[rng.NextInt(4)]);
                }

                mutations.Add(new CancerMutation("INS", src, output.Length, "-", alt.ToString(), exonGene is not null, gene));
                output.Append(alt);
                if (output.Length < length)
                {
                    output.Append(refBase);
                    src++;
                }
            }
            else if (u < 2 * o.IndelFraction)
            {
                // NOTE: a deletion that would leave too little source to fill the window is not made.
                if (src + k + (length - output.Length) > genome.Length)
                {
                    output.Append(refBase);
                    src++;
                    continue;
                }

                mutations.Add(new CancerMutation("DEL", src, output.Length, genome.Substring((int)src, k), "-", exonGene is not null, gene));
                src += k;
            }
            else
            {
                int r = bases.IndexOf(refBase, StringComparison.Ordinal);
                char alt = r < 0 ? bases[rng.NextInt(4)] : bases[(r + 1 + rng.NextInt(3)) % 4];
                mutations.Add(new CancerMutation("SNV", src, output.Length, refBase.ToString(), alt.ToString(), exonGene is not null, gene));
                output.Append(alt);
                src++;
            }
        }

        return (output.ToString(), mutations);
    }

    // Hotspots of each gene are spread over its exons in order (hotspot j in exon floor((j + 0.5)·n/K), cycling when K > n),
    // at a uniform base at least 5 bases inside the exon when it is long enough; drawn from their own stream (hotspot seed, -1, gene).
    private static List<CancerHotspot> Hotspots(string genome, List<string> labels, List<(long Start, long End, string Gene)> exons, CancerOptions o)
    {
        const string bases = "ACGT";
        var result = new List<CancerHotspot>();
        var taken = new HashSet<long>();
        for (int gi = 0; gi < labels.Count && o.HotspotsPerGene > 0; gi++)
        {
            var own = exons.Where(e => e.Gene == labels[gi]).ToList();
            if (own.Count == 0)
            {
                continue;
            }

            Rng rng = Rng.For(o.HotspotSeed, -1, gi);
            int k = o.HotspotsPerGene;
            for (int j = 0; j < k; j++)
            {
                var (start, end, _) = own[k <= own.Count ? (int)((j + 0.5) * own.Count / k) : j % own.Count];
                int margin = end - start > 20 ? 5 : 0;
                for (int attempt = 0; attempt < 64; attempt++)
                {
                    long p = start + margin + rng.NextInt((int)(end - start - (2 * margin)));
                    int r = bases.IndexOf(genome[(int)p], StringComparison.Ordinal);
                    if (r >= 0 && taken.Add(p))
                    {
                        result.Add(new CancerHotspot(p, labels[gi], bases[r], bases[(r + 1 + rng.NextInt(3)) % 4]));
                        break;
                    }
                }
            }
        }

        return [.. result.OrderBy(h => h.Position)];
    }

    private static string? ExonGene(List<(long Start, long End, string Gene)> exons, long position)
    {
        int lo = 0, hi = exons.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (exons[mid].End <= position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo < exons.Count && exons[lo].Start <= position ? exons[lo].Gene : null;
    }

    private static long Pick(List<(long Start, long End)> spans, long k)
    {
        foreach (var (s, e) in spans)
        {
            if (k < e - s)
            {
                return s + k;
            }

            k -= e - s;
        }

        return spans[^1].End - 1;
    }

    private static List<(long Start, long End, string Gene)> Merge(IEnumerable<(long Start, long End, string Gene)> xs)
    {
        var result = new List<(long Start, long End, string Gene)>();
        foreach (var x in xs.OrderBy(x => x.Start).ThenBy(x => x.End))
        {
            if (result.Count > 0 && x.Start <= result[^1].End)
            {
                result[^1] = (result[^1].Start, Math.Max(result[^1].End, x.End), result[^1].Gene);
            }
            else
            {
                result.Add(x);
            }
        }

        return result;
    }

    private static List<(long Start, long End)> MergeSpans(IEnumerable<(long Start, long End)> xs)
    {
        var result = new List<(long Start, long End)>();
        foreach (var x in xs.OrderBy(x => x.Start))
        {
            if (result.Count > 0 && x.Start <= result[^1].End)
            {
                result[^1] = (result[^1].Start, Math.Max(result[^1].End, x.End));
            }
            else
            {
                result.Add(x);
            }
        }

        return result;
    }
}
