using SeqLens.IO.Gtf;
using SeqLens.IO.Intervals;
using SeqLens.Regions;
using SeqLens.Tests.IO;

namespace SeqLens.Tests.Regions;

public class RegionCatalogTests
{
    private const string Gtf =
        "c1\tt\texon\t101\t300\t.\t+\t.\tgene_id \"A\"; transcript_id \"A1\"; gene_name \"ALPHA\";\n" +
        "c1\tt\texon\t501\t800\t.\t+\t.\tgene_id \"A\"; transcript_id \"A1\"; gene_name \"ALPHA\";\n" +
        "c1\tt\tCDS\t201\t300\t.\t+\t0\tgene_id \"A\"; transcript_id \"A1\"; gene_name \"ALPHA\";\n" +
        "c1\tt\tCDS\t501\t650\t.\t+\t2\tgene_id \"A\"; transcript_id \"A1\"; gene_name \"ALPHA\";\n" +
        "c1\tt\texon\t101\t300\t.\t+\t.\tgene_id \"A\"; transcript_id \"A2\"; gene_name \"ALPHA\";\n" +
        "c1\tt\texon\t1201\t1500\t.\t-\t.\tgene_id \"B\"; transcript_id \"B1\"; gene_name \"BETA\";\n";

    private static GeneAnnotation Load()
    {
        using var tmp = IoFixtures.Temp();
        return GeneAnnotation.ReadFile(tmp.Write("a.gtf", Gtf));
    }

    [Fact]
    public void FromAnnotation_Features_DistinctPerGeneWithIds()
    {
        GeneAnnotation a = Load();
        var genes = RegionCatalog.FromAnnotation(a, RegionFeature.Gene);
        Assert.Equal([("A", "ALPHA", 100L, 800L), ("B", "BETA", 1200L, 1500L)], genes.Select(r => (r.Id, r.GeneName, r.Start, r.End)));

        // Exon 101-300 is shared by A1 and A2: scored once.
        var exons = RegionCatalog.FromAnnotation(a, RegionFeature.Exon);
        Assert.Equal(["A:exon:101-300", "A:exon:501-800", "B:exon:1201-1500"], exons.Select(r => r.Id));

        var introns = RegionCatalog.FromAnnotation(a, RegionFeature.Intron);
        Assert.Equal([(300L, 500L)], introns.Select(r => (r.Start, r.End)));

        var utrs = RegionCatalog.FromAnnotation(a, RegionFeature.Utr);
        Assert.Equal([("five_prime_utr", 100L, 200L), ("three_prime_utr", 650L, 800L)], utrs.Select(r => (r.Kind, r.Start, r.End)));

        // Promoters: + strand TSS 100 -> [100-20, 100+5); - strand TSS 1499 -> [1500-5, 1500+20).
        var promoters = RegionCatalog.FromAnnotation(a, RegionFeature.Promoter, promoterUpstream: 20, promoterDownstream: 5);
        Assert.Equal([(80L, 105L, Strand.Plus), (1495L, 1520L, Strand.Minus)], promoters.Select(r => (r.Start, r.End, r.Strand)));

        var shifted = RegionCatalog.FromAnnotation(a, RegionFeature.Cds, offset: 1000);
        Assert.Equal([(1200L, 1300L), (1500L, 1650L)], shifted.Select(r => (r.Start, r.End)));
    }

    [Fact]
    public void FromAnnotation_GeneExons_OneRegionPerGeneWithItsExonUnionAsBlocks()
    {
        var regions = RegionCatalog.FromAnnotation(Load(), RegionFeature.GeneExons, offset: 10);
        Assert.Equal(["A", "B"], regions.Select(r => r.Id));
        Assert.Equal([(110L, 310L), (510L, 810L)], regions[0].Blocks!);
        Assert.Equal((110L, 810L, 500L), (regions[0].Start, regions[0].End, regions[0].Length));
        Assert.Equal([(1210L, 1510L)], regions[1].Blocks!);
    }

    [Fact]
    public void GeneLoci_MergesTranscriptsSharingExonBasesOnOneStrand_AndNamesThemByLabels()
    {
        // RefSeq-from-UCSC style: every transcript is its own gene_id. T1 and T2 share exon bases (+ strand): one locus;
        // T3 overlaps T1's span only through an intron, T4 shares bases with T1 but on the other strand: both stay apart.
        const string gtf =
            "c1\tt\texon\t101\t200\t.\t+\t.\tgene_id \"T1\"; transcript_id \"T1\";\n" +
            "c1\tt\texon\t601\t700\t.\t+\t.\tgene_id \"T1\"; transcript_id \"T1\";\n" +
            "c1\tt\texon\t151\t250\t.\t+\t.\tgene_id \"T2\"; transcript_id \"T2\";\n" +
            "c1\tt\texon\t301\t400\t.\t+\t.\tgene_id \"T3\"; transcript_id \"T3\";\n" +
            "c1\tt\texon\t651\t750\t.\t-\t.\tgene_id \"T4\"; transcript_id \"T4\";\n" +
            "c2\tt\texon\t101\t200\t.\t+\t.\tgene_id \"T5\"; transcript_id \"T5\";\n";
        using var tmp = IoFixtures.Temp();
        GeneAnnotation a = GeneAnnotation.ReadFile(tmp.Write("r.gtf", gtf));
        Assert.Equal(["T1", "T2", "T3", "T4", "T5"], GeneLoci.AsGiven.Build(a).Select(g => g.Id));

        var loci = new GeneLoci(true, GeneLoci.ParseLabels("ONE=T2,FIVE=T5"));
        var built = loci.Build(a);
        Assert.Equal([("T1+T2", "ONE", 100L, 700L), ("T3", "T3", 300L, 400L), ("T4", "T4", 650L, 750L), ("T5", "FIVE", 100L, 200L)],
            built.Select(g => (g.Id, g.Name, g.Start, g.End)));
        Assert.Equal(2, built[0].Transcripts.Count);

        var exons = RegionCatalog.FromAnnotation(a, RegionFeature.GeneExons, loci: loci);
        Assert.Equal([(100L, 250L), (600L, 700L)], exons[0].Blocks!);

        Assert.Throws<ArgumentException>(() => new GeneLoci(true, GeneLoci.ParseLabels("X=NOPE")).Build(a));
        Assert.Throws<ArgumentException>(() => GeneLoci.ParseLabels("AXIN1"));
    }

    [Fact]
    public void FromAnnotation_Intergenic_BinsOutsideGenes()
    {
        GeneAnnotation a = Load();
        var extents = new Dictionary<string, (long, long)> { ["c1"] = (0, 2000) };
        var bins = RegionCatalog.FromAnnotation(a, RegionFeature.Intergenic, extents, intergenicBin: 300);
        Assert.Equal([(0L, 100L), (800L, 1100L), (1100L, 1200L), (1500L, 1800L), (1800L, 2000L)], bins.Select(r => (r.Start, r.End)));
        Assert.All(bins, r => Assert.Equal("intergenic", r.Kind));
        Assert.Equal("intergenic:c1:801-1100", bins[1].Id);
    }
}
