using System.Text;
using SeqLens.IO.Gtf;
using SeqLens.Regions;
using SeqLens.Sequences.Simulation;
using SeqLens.Tests.IO;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Sequences.Simulation;

public class CancerSimulatorTests
{
    private const int GenomeLength = 30_000;

    // G1 (+) and G2 (-) are targets; G3 is not. Exons: G1 [2000,2300) [2800,3100); G2 [12000,12400); G3 [20000,20500).
    private const string Gtf =
        "g\tt\texon\t2001\t2300\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\"; gene_name \"ONE\";\n" +
        "g\tt\texon\t2801\t3100\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\"; gene_name \"ONE\";\n" +
        "g\tt\texon\t12001\t12400\t.\t-\t.\tgene_id \"G2\"; transcript_id \"T2\"; gene_name \"TWO\";\n" +
        "g\tt\texon\t20001\t20500\t.\t+\t.\tgene_id \"G3\"; transcript_id \"T3\"; gene_name \"THREE\";\n";

    private static readonly (long S, long E)[] TargetExons = [(2000, 2300), (2800, 3100), (12000, 12400)];

    private static string Genome()
    {
        var rng = new Rng(77);
        var sb = new StringBuilder(GenomeLength);
        for (int i = 0; i < GenomeLength; i++)
        {
            sb.Append("ACGT"[rng.NextInt(4)]);
        }

        return sb.ToString();
    }

    private static GeneAnnotation Annotation()
    {
        using var tmp = IoFixtures.Temp();
        return GeneAnnotation.ReadFile(tmp.Write("g.gtf", Gtf));
    }

    private static CancerOptions Options(long seed = 5) => new()
    {
        Genes = ["ONE", "G2"],
        Count = 400,
        Length = 300,
        BackgroundRate = 0.002,
        TumourExonRate = 0.05,
        TargetFraction = 0.5,
        GenomeOffset = 1000,
        Seed = seed,
    };

    private static bool InTarget(long p) => TargetExons.Any(e => p >= e.S && p < e.E);

    [Fact]
    public void Generate_SameSeedSameWindows_FixedLength_NamesMatchLength()
    {
        string genome = Genome();
        GeneAnnotation a = Annotation();
        CancerResult x = CancerSimulator.Generate("g", genome, a, Options());
        CancerResult y = CancerSimulator.Generate("g", genome, a, Options());
        CancerResult z = CancerSimulator.Generate("g", genome, a, Options(6));
        Assert.Equal(x.Windows.Select(w => (w.Name, w.Sequence, w.Tumour)), y.Windows.Select(w => (w.Name, w.Sequence, w.Tumour)));
        Assert.Equal(x.Windows.SelectMany(w => w.Mutations), y.Windows.SelectMany(w => w.Mutations));
        Assert.NotEqual(x.Windows.Select(w => w.Sequence), z.Windows.Select(w => w.Sequence));
        Assert.All(x.Windows, w => Assert.Equal(300, w.Sequence.Length));
        Assert.Equal(200, x.Windows.Count(w => w.Tumour));
        Assert.All(x.Windows, w =>
        {
            var iv = SequenceCoordinates.FromHeader(w.Name, w.Sequence.Length);
            Assert.Equal(("g", w.SourceStart + 1000), (iv.Chrom, iv.Start));
        });
        Assert.Contains(x.Windows, w => w.Mutations.Any(m => m.Kind == "INS"));
        Assert.Contains(x.Windows, w => w.Mutations.Any(m => m.Kind == "DEL"));
    }

    [Fact]
    public void Generate_NamesAreUniqueEvenWhenWindowsShareAStart()
    {
        // 400 windows of 300 bp drawn over 1000 bases of exons: many share a start, yet every name is distinct.
        CancerResult x = CancerSimulator.Generate("g", Genome(), Annotation(), Options() with { TargetFraction = 1, TargetUnit = CancerTargetUnit.Exon });
        Assert.True(x.Windows.Select(w => w.SourceStart).Distinct().Count() < x.Windows.Count);
        Assert.Equal(x.Windows.Count, x.Windows.Select(w => w.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.StartsWith("w000::g:", x.Windows[0].Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_Hotspots_FixedByHotspotSeed_CarriedOnlyByTumourWindows()
    {
        CancerOptions o = Options() with { HotspotsPerGene = 3, HotspotRate = 0.8, TargetUnit = CancerTargetUnit.Hotspot, TargetFraction = 1 };
        CancerResult a = CancerSimulator.Generate("g", Genome(), Annotation(), o);
        CancerResult b = CancerSimulator.Generate("g", Genome(), Annotation(), o with { Seed = 99 });
        CancerResult c = CancerSimulator.Generate("g", Genome(), Annotation(), o with { HotspotSeed = 2 });

        // Three per gene, in the gene's exons, the same for any window seed; another hotspot seed moves them.
        Assert.Equal(6, a.Hotspots.Count);
        Assert.Equal(a.Hotspots, b.Hotspots);
        Assert.NotEqual(a.Hotspots, c.Hotspots);
        Assert.All(a.Hotspots, h => Assert.True(InTarget(h.Position)));
        Assert.All(a.Hotspots, h => Assert.NotEqual(h.Ref, h.Alt));

        // Every window covers a hotspot; tumour windows carry hotspot variants (at ~0.8 per covered hotspot), normal ones never.
        var at = a.Hotspots.ToDictionary(h => h.Position);
        Assert.All(a.Windows, w => Assert.Contains(a.Hotspots, h => h.Position >= w.SourceStart && h.Position < w.SourceStart + 300));
        Assert.All(a.Windows.Where(w => !w.Tumour), w => Assert.DoesNotContain(w.Mutations, m => m.Hotspot));
        var carried = a.Windows.Where(w => w.Tumour).SelectMany(w => w.Mutations.Where(m => m.Hotspot)).ToList();
        Assert.All(carried, m => Assert.Equal((at[m.Position].Ref.ToString(), at[m.Position].Alt.ToString(), "SNV"), (m.Ref, m.Alt, m.Kind)));
        double fraction = a.Windows.Count(w => w.Tumour && w.Mutations.Any(m => m.Hotspot)) / (double)a.Windows.Count(w => w.Tumour);
        Assert.InRange(fraction, 0.7, 1.0);
        Assert.Throws<ArgumentException>(() => CancerSimulator.Generate("g", Genome(), Annotation(), Options() with { TargetUnit = CancerTargetUnit.Hotspot }));
    }

    [Fact]
    public void Generate_ExonTargetUnit_EveryOnTargetWindowOverlapsATargetExon()
    {
        CancerResult gene = CancerSimulator.Generate("g", Genome(), Annotation(), Options() with { TargetFraction = 1 });
        CancerResult exon = CancerSimulator.Generate("g", Genome(), Annotation(), Options() with { TargetFraction = 1, TargetUnit = CancerTargetUnit.Exon });
        static bool Overlaps(CancerWindow w) => TargetExons.Any(e => w.SourceStart < e.E && w.SourceStart + 300 > e.S);
        Assert.All(exon.Windows, w => Assert.True(Overlaps(w), w.Name));

        // Gene ONE spans 2000-3100 with an intron of 500: some gene-span windows (300 bp) sit in the intron only.
        Assert.Contains(gene.Windows, w => !Overlaps(w));
    }

    [Fact]
    public void Generate_SequenceDiffersFromReferenceOnlyByRecordedMutations()
    {
        string genome = Genome();
        CancerResult r = CancerSimulator.Generate("g", genome, Annotation(), Options());
        foreach (CancerWindow w in r.Windows)
        {
            // Replay the recorded mutations on the reference from the source start.
            var sb = new StringBuilder();
            long src = w.SourceStart;
            int mi = 0;
            while (sb.Length < w.Sequence.Length)
            {
                CancerMutation? m = mi < w.Mutations.Count && w.Mutations[mi].Position == src ? w.Mutations[mi] : null;
                if (m is not null)
                {
                    Assert.Equal(sb.Length, m.WindowOffset);
                    Assert.Equal(InTarget(src), m.InTargetExon);
                    mi++;
                }

                switch (m?.Kind)
                {
                    case "INS":
                        sb.Append(m.Alt);
                        break;
                    case "DEL":
                        Assert.Equal(genome.Substring((int)src, m.Ref.Length), m.Ref);
                        src += m.Ref.Length;
                        continue;
                    case "SNV":
                        Assert.Equal(genome[(int)src].ToString(), m.Ref);
                        Assert.NotEqual(m.Ref, m.Alt);
                        sb.Append(m.Alt);
                        src++;
                        continue;
                }

                if (sb.Length < w.Sequence.Length)
                {
                    sb.Append(genome[(int)src]);
                    src++;
                }
            }

            Assert.Equal(w.Mutations.Count, mi);
            Assert.Equal(w.Sequence, sb.ToString());
        }
    }

    [Fact]
    public void Generate_TumourExonRateHigh_PositionsAlikeAcrossClasses()
    {
        CancerResult r = CancerSimulator.Generate("g", Genome(), Annotation(), Options() with { Count = 1000 });
        double Rate(bool tumour, bool exon)
        {
            long exposure = 0, hits = 0;
            foreach (CancerWindow w in r.Windows.Where(w => w.Tumour == tumour))
            {
                for (long p = w.SourceStart; p < w.SourceStart + w.Sequence.Length; p++)
                {
                    exposure += InTarget(p) == exon ? 1 : 0;
                }

                hits += w.Mutations.Count(m => m.InTargetExon == exon);
            }

            return (double)hits / exposure;
        }

        double tumourExon = Rate(true, true), normalExon = Rate(false, true), tumourElsewhere = Rate(true, false), normalElsewhere = Rate(false, false);
        Assert.InRange(tumourExon, 0.04, 0.065); // 0.002 + 0.05
        Assert.InRange(normalExon, 0.0, 0.006);
        Assert.InRange(tumourElsewhere, 0.001, 0.003);
        Assert.InRange(normalElsewhere, 0.001, 0.003);

        // Both classes overlap the target genes equally often (the class must not be readable from position).
        double Overlapping(bool tumour) => r.Windows.Where(w => w.Tumour == tumour)
            .Average(w => (w.SourceStart < 3100 && w.SourceStart + 300 > 2000) || (w.SourceStart < 12400 && w.SourceStart + 300 > 12000) ? 1.0 : 0.0);
        Assert.InRange(Overlapping(false), 0.4, 0.65);
        Assert.InRange(Math.Abs(Overlapping(true) - Overlapping(false)), 0, 0.08);
    }

    [Fact]
    public void Generate_UnknownGene_ListsGenes()
    {
        var ex = Assert.Throws<ArgumentException>(() => CancerSimulator.Generate("g", Genome(), Annotation(), Options() with { Genes = ["AXIN1"] }));
        Assert.Contains("'AXIN1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ONE (G1)", ex.Message, StringComparison.Ordinal);
    }

    [SharedDataFact("genome/augustus_cgp_hg38_chr16_186964-397118.fa", "genome/augustus_cgp_refseq.hg38.gtf")]
    public void Generate_SharedChr16Chunk_GenomeCoordinatesAndPlantedExonMutations()
    {
        string fa = SharedData.Require("genome/augustus_cgp_hg38_chr16_186964-397118.fa");
        string gtf = SharedData.Require("genome/augustus_cgp_refseq.hg38.gtf");
        CancerResult r = CancerSimulator.Generate(fa, gtf, new CancerOptions { Genes = ["AXIN1=NM_003502", "NM_006849"], Count = 60, Length = 1000, Seed = 3 });
        Assert.Equal(("chr16", 186963L), (r.Contig, r.GenomeOffset));
        Assert.Equal(["AXIN1", "NM_006849"], r.TargetGenes);
        Assert.Contains(r.Windows.SelectMany(w => w.Mutations), m => m.Gene == "AXIN1");
        Assert.All(r.Windows, w =>
        {
            var iv = SequenceCoordinates.FromHeader(w.Name, 1000);
            Assert.InRange(iv.Start, 186963L, 397118L - 1000);
            Assert.Equal(1000, w.Sequence.Length);
        });
        int tumourExon = r.Windows.Where(w => w.Tumour).Sum(w => w.Mutations.Count(m => m.InTargetExon));
        int normalExon = r.Windows.Where(w => !w.Tumour).Sum(w => w.Mutations.Count(m => m.InTargetExon));
        Assert.True(tumourExon > 10 && normalExon * 5 < tumourExon, $"target-exon mutations: tumour {tumourExon}, normal {normalExon}");
    }
}
