using SeqLens.IO.Intervals;

namespace SeqLens.IO.Gtf;

/// <summary>
/// Genes and transcripts assembled from GTF (grouped by <c>gene_id</c> / <c>transcript_id</c>) or GFF3 (the
/// <c>ID</c>/<c>Parent</c> hierarchy: gene → transcript/mRNA → exon, CDS, UTR, codons), with every part available as
/// 0-based half-open intervals, plus derived introns and promoters.
/// </summary>
/// <remarks>
/// Gene names: <c>gene_name</c> (GTF) or <c>Name</c>/<c>gene_name</c> (GFF3) on the gene or transcript; otherwise the
/// gene id. A GFF3 child whose Parent is not defined anywhere in the file is a <see cref="ParseException"/>. A
/// transcript without exon lines uses its CDS, UTR and codon lines (merged) as exons. Genes are ordered by
/// (chrom as first seen, start, id); transcripts by (start, id).
/// </remarks>
public sealed class GeneAnnotation
{
    private GeneAnnotation(List<Gene> genes)
    {
        Genes = genes;
        Transcripts = genes.SelectMany(g => g.Transcripts).ToList();
    }

    public IReadOnlyList<Gene> Genes { get; }

    public IReadOnlyList<Transcript> Transcripts { get; }

    /// <summary>Reads a GTF/GFF3 file and assembles it.</summary>
    public static GeneAnnotation ReadFile(string path, AnnotationDialect dialect = AnnotationDialect.Auto)
    {
        var records = GtfReader.ReadFile(path, dialect);
        bool gff3 = dialect == AnnotationDialect.Gff3 || (dialect == AnnotationDialect.Auto && records.Any(r => r.GetAttribute("ID") is not null || r.GetAttribute("Parent") is not null));
        return gff3 ? FromGff3(records, path) : FromGtf(records, path);
    }

    /// <summary>All intervals of one kind: gene, transcript, exon, CDS, five_prime_utr, three_prime_utr, intron, start_codon, stop_codon.</summary>
    public IReadOnlyList<GenomicInterval> Intervals(string kind) => kind switch
    {
        "gene" => Genes.Select(g => g.ToInterval()).ToList(),
        "transcript" => Transcripts.Select(t => t.ToInterval()).ToList(),
        "exon" => Transcripts.SelectMany(t => t.Exons).ToList(),
        "CDS" => Transcripts.SelectMany(t => t.Cds).ToList(),
        "five_prime_utr" => Transcripts.SelectMany(t => t.FivePrimeUtrs).ToList(),
        "three_prime_utr" => Transcripts.SelectMany(t => t.ThreePrimeUtrs).ToList(),
        "intron" => Transcripts.SelectMany(t => t.Introns).ToList(),
        "start_codon" => Transcripts.SelectMany(t => t.StartCodons).ToList(),
        "stop_codon" => Transcripts.SelectMany(t => t.StopCodons).ToList(),
        _ => throw new ArgumentException($"unknown interval kind '{kind}'; expected gene, transcript, exon, CDS, five_prime_utr, three_prime_utr, intron, start_codon or stop_codon", nameof(kind)),
    };

    /// <summary>Promoters of every transcript (see <see cref="Transcript.Promoter"/>).</summary>
    public IReadOnlyList<GenomicInterval> Promoters(int upstream = 1000, int downstream = 1000)
        => Transcripts.Select(t => t.Promoter(upstream, downstream)).ToList();

    /// <summary>An overlap index over <paramref name="intervals"/>.</summary>
    public static IntervalIndex<GenomicInterval> Index(IEnumerable<GenomicInterval> intervals)
        => new(intervals, x => (x.Chrom, x.Start, x.End));

    private enum Part
    {
        None,
        Transcript,
        Gene,
        Exon,
        Cds,
        StartCodon,
        StopCodon,
        FivePrime,
        ThreePrime,
        Utr,
    }

    private static Part Classify(string feature) => feature.ToUpperInvariant() switch
    {
        "EXON" => Part.Exon,
        "CDS" => Part.Cds,
        "START_CODON" => Part.StartCodon,
        "STOP_CODON" => Part.StopCodon,
        "FIVE_PRIME_UTR" or "5UTR" or "UTR5" or "5'UTR" => Part.FivePrime,
        "THREE_PRIME_UTR" or "3UTR" or "UTR3" or "3'UTR" => Part.ThreePrime,
        "UTR" => Part.Utr,
        "GENE" or "PSEUDOGENE" or "NCRNA_GENE" => Part.Gene,
        "TRANSCRIPT" or "MRNA" or "NCRNA" or "LNC_RNA" or "LNCRNA" or "MIRNA" or "SNRNA" or "SNORNA" or "RRNA" or "TRNA" or "PRIMARY_TRANSCRIPT" or "PSEUDOGENIC_TRANSCRIPT" => Part.Transcript,
        _ => Part.None,
    };

    private sealed class Draft(string id)
    {
        public string Id { get; } = id;

        public string GeneId { get; set; } = string.Empty;

        public string? GeneName { get; set; }

        public string Chrom { get; set; } = string.Empty;

        public Strand Strand { get; set; }

        public GtfRecord? Line { get; set; }

        public List<(Part Part, GtfRecord Record)> Parts { get; } = [];
    }

    private static GeneAnnotation FromGtf(List<GtfRecord> records, string source)
    {
        var drafts = new Dictionary<string, Draft>(StringComparer.Ordinal);
        var order = new List<Draft>();
        var geneLines = new Dictionary<string, GtfRecord>(StringComparer.Ordinal);
        foreach (GtfRecord r in records)
        {
            Part part = Classify(r.Feature);
            string? tid = r.GetAttribute("transcript_id");
            string? gid = r.GetAttribute("gene_id");
            if (part == Part.Gene)
            {
                if (gid is null)
                {
                    throw new ParseException(source, r.Line, 9, "GTF gene line has no gene_id attribute");
                }

                geneLines.TryAdd(gid, r);
                continue;
            }

            if (part == Part.None)
            {
                continue;
            }

            if (tid is null || gid is null)
            {
                throw new ParseException(source, r.Line, 9, $"GTF {r.Feature} line needs gene_id and transcript_id attributes");
            }

            if (!drafts.TryGetValue(tid, out Draft? d))
            {
                drafts[tid] = d = new Draft(tid) { GeneId = gid, Chrom = r.SeqName, Strand = r.Strand };
                order.Add(d);
            }
            else if (d.Chrom != r.SeqName || d.GeneId != gid)
            {
                throw new ParseException(source, r.Line, 0, $"transcript '{tid}' appears on {d.Chrom} (gene {d.GeneId}) and on {r.SeqName} (gene {gid})");
            }

            d.GeneName ??= r.GetAttribute("gene_name");
            if (part == Part.Transcript)
            {
                d.Line = r;
            }
            else
            {
                d.Parts.Add((part, r));
            }
        }

        return Assemble(order, geneLines, g => g.GetAttribute("gene_name"), source);
    }

    private static GeneAnnotation FromGff3(List<GtfRecord> records, string source)
    {
        var byId = new Dictionary<string, GtfRecord>(StringComparer.Ordinal);
        foreach (GtfRecord r in records)
        {
            if (r.GetAttribute("ID") is { } id)
            {
                // NOTE: GFF3 allows one ID on several lines (a discontinuous feature, e.g. CDS); keep the first for the hierarchy.
                byId.TryAdd(id, r);
            }
        }

        var drafts = new Dictionary<string, Draft>(StringComparer.Ordinal);
        var order = new List<Draft>();
        var geneLines = new Dictionary<string, GtfRecord>(StringComparer.Ordinal);

        Draft DraftFor(GtfRecord transcript, string tid)
        {
            if (drafts.TryGetValue(tid, out Draft? d))
            {
                return d;
            }

            string geneId = tid;
            IReadOnlyList<string> parents = transcript.GetValues("Parent");
            if (parents.Count > 0)
            {
                if (!byId.TryGetValue(parents[0], out GtfRecord? gene))
                {
                    throw new ParseException(source, transcript.Line, 9, $"Parent '{parents[0]}' of '{tid}' is not defined in the file");
                }

                geneId = parents[0];
                geneLines.TryAdd(geneId, gene);
            }

            d = new Draft(tid)
            {
                GeneId = geneId,
                Chrom = transcript.SeqName,
                Strand = transcript.Strand,
                Line = transcript,
                GeneName = transcript.GetAttribute("gene_name"),
            };
            drafts[tid] = d;
            order.Add(d);
            return d;
        }

        foreach (GtfRecord r in records)
        {
            Part part = Classify(r.Feature);
            if (part is Part.None or Part.Gene)
            {
                continue;
            }

            if (part == Part.Transcript)
            {
                DraftFor(r, r.GetAttribute("ID") ?? throw new ParseException(source, r.Line, 9, $"GFF3 {r.Feature} line has no ID attribute"));
                continue;
            }

            IReadOnlyList<string> parents = r.GetValues("Parent");
            if (parents.Count == 0)
            {
                throw new ParseException(source, r.Line, 9, $"GFF3 {r.Feature} line has no Parent attribute");
            }

            foreach (string pid in parents)
            {
                if (!byId.TryGetValue(pid, out GtfRecord? parent))
                {
                    throw new ParseException(source, r.Line, 9, $"Parent '{pid}' is not defined in the file");
                }

                Draft d;
                if (Classify(parent.Feature) == Part.Gene)
                {
                    // An exon directly under a gene: the gene stands in for its single transcript.
                    d = drafts.TryGetValue(pid, out Draft? existing) ? existing : DraftFor(parent with { Attributes = [new("ID", pid)] }, pid);
                    geneLines.TryAdd(pid, parent);
                }
                else
                {
                    d = DraftFor(parent, pid);
                }

                d.Parts.Add((part, r));
            }
        }

        return Assemble(order, geneLines, g => g.GetAttribute("Name") ?? g.GetAttribute("gene_name"), source);
    }

    private static GeneAnnotation Assemble(List<Draft> drafts, Dictionary<string, GtfRecord> geneLines, Func<GtfRecord, string?> geneName, string source)
    {
        var byGene = new Dictionary<string, List<Transcript>>(StringComparer.Ordinal);
        var chromOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Draft d in drafts)
        {
            string name = (geneLines.TryGetValue(d.GeneId, out GtfRecord? gl) ? geneName(gl) : null) ?? d.GeneName ?? d.GeneId;
            Transcript t = Build(d, name, source);
            chromOrder.TryAdd(t.Chrom, chromOrder.Count);
            if (!byGene.TryGetValue(d.GeneId, out var list))
            {
                byGene[d.GeneId] = list = [];
            }

            list.Add(t);
        }

        var genes = new List<Gene>();
        foreach (var (gid, list) in byGene)
        {
            list.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : string.CompareOrdinal(a.Id, b.Id));
            long start = list.Min(t => t.Start), end = list.Max(t => t.End);
            if (geneLines.TryGetValue(gid, out GtfRecord? gl) && gl.Feature.Equals("gene", StringComparison.OrdinalIgnoreCase))
            {
                start = Math.Min(start, gl.Start - 1);
                end = Math.Max(end, gl.End);
            }

            genes.Add(new Gene(gid, list[0].GeneName, list[0].Chrom, list[0].Strand, start, end, list));
        }

        genes.Sort((a, b) =>
        {
            int c = chromOrder[a.Chrom].CompareTo(chromOrder[b.Chrom]);
            return c != 0 ? c : a.Start != b.Start ? a.Start.CompareTo(b.Start) : string.CompareOrdinal(a.Id, b.Id);
        });
        return new GeneAnnotation(genes);
    }

    private static Transcript Build(Draft d, string geneName, string source)
    {
        var exons = new List<GenomicInterval>();
        var cds = new List<GenomicInterval>();
        var starts = new List<GenomicInterval>();
        var stops = new List<GenomicInterval>();
        var five = new List<GenomicInterval>();
        var three = new List<GenomicInterval>();
        var generic = new List<GenomicInterval>();
        foreach (var (part, r) in d.Parts)
        {
            if (r.SeqName != d.Chrom)
            {
                throw new ParseException(source, r.Line, 1, $"{r.Feature} of transcript '{d.Id}' is on {r.SeqName}, the transcript on {d.Chrom}");
            }

            GenomicInterval x = r.ToInterval() with { Strand = d.Strand };
            (part switch
            {
                Part.Exon => exons,
                Part.Cds => cds,
                Part.StartCodon => starts,
                Part.StopCodon => stops,
                Part.FivePrime => five,
                Part.ThreePrime => three,
                _ => generic,
            }).Add(x);
        }

        if (exons.Count == 0)
        {
            exons = Merge(cds.Concat(starts).Concat(stops).Concat(five).Concat(three).Concat(generic));
        }

        exons = Sorted(exons);
        long tStart = exons.Count > 0 ? exons.Min(e => e.Start) : (d.Line?.Start - 1 ?? 0);
        long tEnd = exons.Count > 0 ? exons.Max(e => e.End) : (d.Line?.End ?? 0);
        if (d.Line is not null)
        {
            tStart = Math.Min(tStart, d.Line.Start - 1);
            tEnd = Math.Max(tEnd, d.Line.End);
        }

        var coding = cds.Concat(starts).Concat(stops).ToList();
        if (coding.Count > 0)
        {
            long cs = coding.Min(c => c.Start), ce = coding.Max(c => c.End);
            if (five.Count == 0 && three.Count == 0)
            {
                IEnumerable<GenomicInterval> source2 = generic.Count > 0 ? generic : exons;
                foreach (GenomicInterval e in source2)
                {
                    if (e.Start < cs)
                    {
                        (d.Strand == Strand.Minus ? three : five).Add(e with { End = Math.Min(e.End, cs) });
                    }

                    if (e.End > ce)
                    {
                        (d.Strand == Strand.Minus ? five : three).Add(e with { Start = Math.Max(e.Start, ce) });
                    }
                }
            }
        }

        List<GenomicInterval> Tag(List<GenomicInterval> xs, string kind)
            => Sorted(xs).Select(x => x with { Kind = kind, GeneId = d.GeneId, GeneName = geneName, TranscriptId = d.Id }).ToList();

        return new Transcript(d.Id, d.GeneId, geneName, d.Chrom, d.Strand, tStart, tEnd,
            Tag(exons, "exon"),
            Tag(cds, "CDS"),
            Tag(starts, "start_codon"),
            Tag(stops, "stop_codon"),
            Tag(five, "five_prime_utr"),
            Tag(three, "three_prime_utr"));
    }

    private static List<GenomicInterval> Sorted(IEnumerable<GenomicInterval> xs) => xs.OrderBy(x => x.Start).ThenBy(x => x.End).ToList();

    private static List<GenomicInterval> Merge(IEnumerable<GenomicInterval> xs)
    {
        var result = new List<GenomicInterval>();
        foreach (GenomicInterval x in Sorted(xs))
        {
            if (result.Count > 0 && x.Start <= result[^1].End)
            {
                result[^1] = result[^1] with { End = Math.Max(result[^1].End, x.End) };
            }
            else
            {
                result.Add(x);
            }
        }

        return result;
    }
}
