using System.Globalization;
using SeqLens.IO.Bed;
using SeqLens.IO.Gtf;
using SeqLens.IO.Intervals;

namespace SeqLens.Regions;

/// <summary>
/// Builds the <see cref="Region"/>s to score from a <see cref="GeneAnnotation"/> (one <see cref="RegionFeature"/>) or
/// from BED records.
/// </summary>
/// <remarks>
/// Genes are those of the annotation, or loci merged from transcripts that share exonic bases (<see cref="GeneLoci"/>:
/// RefSeq GTFs from UCSC give every transcript its own gene_id). Parts shared by several transcripts of a gene (the same exon in two isoforms) are scored once: regions are
/// distinct per (gene, kind, start, end). Ids: the gene id for genes; <c>geneId:kind:start-end</c> (1-based closed)
/// for parts; <c>intergenic:chrom:start-end</c> for bins; the BED name (or <c>chrom:start-end</c>) for BED records.
/// An offset (default 0) is added to every annotation coordinate, for annotations whose coordinates
/// are local to a chunk (GTF position 1 = genome position offset + 1). Regions of different genes may overlap; each
/// is scored on its own.
/// </remarks>
public static class RegionCatalog
{
    /// <summary>The regions of <paramref name="feature"/> in <paramref name="annotation"/>.</summary>
    /// <param name="annotation">Genes and transcripts.</param>
    /// <param name="feature">What to score.</param>
    /// <param name="extents">Per contig, the span to cut into intergenic bins (the scored span); needed for <see cref="RegionFeature.Intergenic"/> only.</param>
    /// <param name="promoterUpstream">Promoter bases upstream of the TSS (default 1000).</param>
    /// <param name="promoterDownstream">Promoter bases from the TSS on (default 1000).</param>
    /// <param name="intergenicBin">Intergenic bin size (default 1000).</param>
    /// <param name="offset">Added to annotation coordinates (default 0).</param>
    /// <param name="loci">How genes are formed and named (default: as the annotation gives them).</param>
    public static List<Region> FromAnnotation(GeneAnnotation annotation, RegionFeature feature,
        IReadOnlyDictionary<string, (long Start, long End)>? extents = null,
        int promoterUpstream = 1000, int promoterDownstream = 1000, int intergenicBin = 1000, long offset = 0, GeneLoci? loci = null)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        IReadOnlyList<GeneLocus> genes = (loci ?? GeneLoci.AsGiven).Build(annotation);
        if (feature == RegionFeature.Gene)
        {
            return genes.Select(g => new Region(g.Id, g.Name, g.Chrom, g.Start + offset, g.End + offset, g.Strand, "gene")).ToList();
        }

        if (feature == RegionFeature.GeneExons)
        {
            return genes.Select(g =>
            {
                var blocks = GeneLoci.Union(g.Transcripts.SelectMany(t => t.Exons).Select(e => (e.Start + offset, e.End + offset)));
                return new Region(g.Id, g.Name, g.Chrom, blocks[0].Start, blocks[^1].End, g.Strand, "gene_exons") { Blocks = blocks };
            }).ToList();
        }

        if (feature == RegionFeature.Intergenic)
        {
            ArgumentNullException.ThrowIfNull(extents);
            ArgumentOutOfRangeException.ThrowIfLessThan(intergenicBin, 1);
            return Intergenic(annotation, extents, intergenicBin, offset);
        }

        var result = new List<Region>();
        foreach (GeneLocus g in genes)
        {
            IEnumerable<GenomicInterval> parts = feature switch
            {
                RegionFeature.Exon => g.Transcripts.SelectMany(t => t.Exons),
                RegionFeature.Cds => g.Transcripts.SelectMany(t => t.Cds),
                RegionFeature.Intron => g.Transcripts.SelectMany(t => t.Introns),
                RegionFeature.Utr => g.Transcripts.SelectMany(t => t.FivePrimeUtrs.Concat(t.ThreePrimeUtrs)),
                RegionFeature.Promoter => g.Transcripts.Select(t => t.Promoter(promoterUpstream, promoterDownstream)),
                _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "unknown region feature"),
            };
            var seen = new HashSet<(string, long, long)>();
            foreach (GenomicInterval x in parts.OrderBy(x => x.Start).ThenBy(x => x.End).ThenBy(x => x.Kind, StringComparer.Ordinal))
            {
                if (x.Length <= 0 || !seen.Add((x.Kind, x.Start, x.End)))
                {
                    continue;
                }

                long s = x.Start + offset, e = x.End + offset;
                result.Add(new Region(string.Create(CultureInfo.InvariantCulture, $"{g.Id}:{x.Kind}:{s + 1}-{e}"), g.Name, g.Chrom, s, e, g.Strand, x.Kind));
            }
        }

        return result;
    }

    /// <summary>Regions from BED records (kind "bed"; id = name, or chrom:start-end 1-based closed when unnamed).</summary>
    public static List<Region> FromBed(IEnumerable<BedRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return records.Select(r => new Region(
            r.Name.Length > 0 ? r.Name : string.Create(CultureInfo.InvariantCulture, $"{r.Chrom}:{r.Start + 1}-{r.End}"),
            r.Name, r.Chrom, r.Start, r.End, r.Strand, "bed")).ToList();
    }

    private static List<Region> Intergenic(GeneAnnotation annotation, IReadOnlyDictionary<string, (long Start, long End)> extents, int bin, long offset)
    {
        var result = new List<Region>();
        foreach (var (chrom, (start, end)) in extents.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var genes = annotation.Genes.Where(g => g.Chrom == chrom).Select(g => (S: g.Start + offset, E: g.End + offset)).OrderBy(g => g.S).ToList();
            long pos = start;
            int gi = 0;
            while (pos < end)
            {
                // Skip genes that end before pos; if one covers pos, jump past it.
                while (gi < genes.Count && genes[gi].E <= pos)
                {
                    gi++;
                }

                long covering = pos;
                foreach (var g in genes.Skip(gi))
                {
                    if (g.S > covering)
                    {
                        break;
                    }

                    covering = Math.Max(covering, g.E);
                }

                if (covering > pos)
                {
                    pos = covering;
                    continue;
                }

                long gapEnd = Math.Min(end, gi < genes.Count ? genes[gi].S : end);
                for (long s = pos; s < gapEnd; s += bin)
                {
                    long e = Math.Min(gapEnd, s + bin);
                    result.Add(new Region(string.Create(CultureInfo.InvariantCulture, $"intergenic:{chrom}:{s + 1}-{e}"), string.Empty, chrom, s, e, Strand.None, "intergenic"));
                }

                pos = gapEnd;
            }
        }

        return result;
    }
}
