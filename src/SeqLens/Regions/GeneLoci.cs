using SeqLens.IO.Gtf;

namespace SeqLens.Regions;

/// <summary>
/// How the genes of an annotation become the genes that are scored: as given, or merged into loci (transcripts on the
/// same contig and strand that share at least one exonic base are one gene, transitively, as UCSC's clusterGenes does);
/// and how they are named (<see cref="Labels"/>).
/// </summary>
/// <remarks>
/// RefSeq GTFs exported from UCSC (such as the shared chr16 chunk's) give each transcript its own gene_id and no
/// gene_name, so the isoforms of one gene (AXIN1 is NM_003502 and NM_181050) would be ranked as competing genes.
/// Naming: a locus whose members match labels (by gene id, gene name or transcript id) is named by those labels, joined
/// by commas; otherwise by its members' names.
/// </remarks>
/// <param name="MergeOverlapping">Merge genes that share exonic bases on the same contig and strand.</param>
/// <param name="Labels">Identifier (gene id, gene name or transcript id) → display name; null for none.</param>
public sealed record GeneLoci(bool MergeOverlapping, IReadOnlyDictionary<string, string>? Labels = null)
{
    /// <summary>The annotation's genes, unmerged, with their own names.</summary>
    public static GeneLoci AsGiven { get; } = new(false);

    /// <summary>
    /// Parses <c>LABEL=identifier</c> pairs separated by commas (e.g. <c>AXIN1=NM_003502,PDIA2=NM_006849</c>); an
    /// entry without <c>=</c> is an error.
    /// </summary>
    public static Dictionary<string, string> ParseLabels(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == item.Length - 1)
            {
                throw new ArgumentException($"gene label '{item}' must be LABEL=identifier (a gene id, gene name or transcript id), e.g. AXIN1=NM_003502");
            }

            labels[item[(eq + 1)..]] = item[..eq];
        }

        return labels;
    }

    /// <summary>The genes of <paramref name="annotation"/>, ordered by contig, start and id.</summary>
    public IReadOnlyList<GeneLocus> Build(GeneAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        var genes = annotation.Genes.OrderBy(g => g.Chrom, StringComparer.Ordinal).ThenBy(g => g.Start).ThenBy(g => g.Id, StringComparer.Ordinal).ToList();
        var parent = Enumerable.Range(0, genes.Count).ToArray();
        if (MergeOverlapping)
        {
            var exons = genes.Select(g => Union(g.Transcripts.SelectMany(t => t.Exons).Select(e => (e.Start, e.End)))).ToList();
            for (int i = 0; i < genes.Count; i++)
            {
                for (int j = i + 1; j < genes.Count && genes[j].Chrom == genes[i].Chrom && genes[j].Start < genes[i].End; j++)
                {
                    if (genes[j].Strand == genes[i].Strand && Intersect(exons[i], exons[j]))
                    {
                        parent[Find(parent, j)] = Find(parent, i);
                    }
                }
            }
        }

        if (Labels is not null)
        {
            var known = new HashSet<string>(genes.SelectMany(g => g.Transcripts.Select(t => t.Id).Append(g.Id).Append(g.Name)), StringComparer.Ordinal);
            string[] unknown = [.. Labels.Keys.Where(k => !known.Contains(k))];
            if (unknown.Length > 0)
            {
                throw new ArgumentException($"gene label(s) for {string.Join(", ", unknown)}: no gene id, gene name or transcript id of the annotation matches");
            }
        }

        var result = new List<GeneLocus>();
        foreach (var members in Enumerable.Range(0, genes.Count).GroupBy(i => Find(parent, i)).Select(grp => grp.Select(i => genes[i]).ToList()))
        {
            var labels = members.SelectMany(Matching).Distinct(StringComparer.Ordinal).ToList();
            string name = labels.Count > 0 ? string.Join(",", labels) : string.Join(",", members.Select(g => g.Name).Distinct(StringComparer.Ordinal));
            Gene first = members[0];
            result.Add(new GeneLocus(string.Join("+", members.Select(g => g.Id)), name, first.Chrom, first.Strand,
                members.Min(g => g.Start), members.Max(g => g.End), [.. members.SelectMany(g => g.Transcripts)]));
        }

        return result;
    }

    /// <summary>Sorted, disjoint union of 0-based half-open intervals (touching intervals are joined).</summary>
    public static List<(long Start, long End)> Union(IEnumerable<(long Start, long End)> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var result = new List<(long Start, long End)>();
        foreach (var (s, e) in intervals.Where(x => x.End > x.Start).OrderBy(x => x.Start))
        {
            if (result.Count > 0 && s <= result[^1].End)
            {
                result[^1] = (result[^1].Start, Math.Max(result[^1].End, e));
            }
            else
            {
                result.Add((s, e));
            }
        }

        return result;
    }

    private IEnumerable<string> Matching(Gene g)
    {
        if (Labels is null)
        {
            yield break;
        }

        foreach (string key in g.Transcripts.Select(t => t.Id).Prepend(g.Name).Prepend(g.Id))
        {
            if (Labels.TryGetValue(key, out string? label))
            {
                yield return label;
            }
        }
    }

    private static bool Intersect(List<(long Start, long End)> a, List<(long Start, long End)> b)
    {
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            if (a[i].End <= b[j].Start)
            {
                i++;
            }
            else if (b[j].End <= a[i].Start)
            {
                j++;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }
}
