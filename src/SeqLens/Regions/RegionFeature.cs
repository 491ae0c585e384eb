namespace SeqLens.Regions;

/// <summary>Which regions of an annotation are scored (see <see cref="RegionCatalog"/>).</summary>
public enum RegionFeature
{
    /// <summary>Gene spans.</summary>
    Gene = 0,

    /// <summary>Exons (distinct per gene).</summary>
    Exon = 1,

    /// <summary>CDS parts (distinct per gene).</summary>
    Cds = 2,

    /// <summary>Introns: gaps between consecutive exons of a transcript (distinct per gene).</summary>
    Intron = 3,

    /// <summary>5' and 3' UTRs (distinct per gene).</summary>
    Utr = 4,

    /// <summary>Promoters: TSS - upstream .. TSS + downstream, strand-aware (distinct per gene).</summary>
    Promoter = 5,

    /// <summary>Fixed-size bins of the scored span outside every gene.</summary>
    Intergenic = 6,

    /// <summary>One region per gene made of the union of its exons (introns are not scored).</summary>
    GeneExons = 7,
}
