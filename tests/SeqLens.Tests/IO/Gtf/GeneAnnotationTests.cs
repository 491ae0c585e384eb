using SeqLens.IO;
using SeqLens.IO.Fasta;
using SeqLens.IO.Gtf;
using SeqLens.IO.Intervals;
using SeqLens.Sequences;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.IO.Gtf;

public class GeneAnnotationTests
{
    private const string Gtf =
        "chr1\tt\tgene\t1\t1000\t.\t+\t.\tgene_id \"G1\"; gene_name \"ALPHA\";\n" +
        "chr1\tt\ttranscript\t101\t900\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\n" +
        "chr1\tt\texon\t101\t200\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\n" +
        "chr1\tt\texon\t301\t400\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\n" +
        "chr1\tt\texon\t801\t900\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\n" +
        "chr1\tt\tCDS\t151\t200\t.\t+\t0\tgene_id \"G1\"; transcript_id \"T1\";\n" +
        "chr1\tt\tCDS\t301\t400\t.\t+\t1\tgene_id \"G1\"; transcript_id \"T1\";\n" +
        "chr1\tt\tCDS\t801\t847\t.\t+\t0\tgene_id \"G1\"; transcript_id \"T1\";\n" +
        "chr1\tt\tstart_codon\t151\t153\t.\t+\t0\tgene_id \"G1\"; transcript_id \"T1\";\n" +
        "chr1\tt\tstop_codon\t848\t850\t.\t+\t0\tgene_id \"G1\"; transcript_id \"T1\";\n" +
        "chr2\tt\texon\t5001\t5100\t.\t-\t.\tgene_id \"G2\"; transcript_id \"T2\";\n" +
        "chr2\tt\texon\t5501\t5600\t.\t-\t.\tgene_id \"G2\"; transcript_id \"T2\";\n" +
        "chr2\tt\tCDS\t5051\t5100\t.\t-\t0\tgene_id \"G2\"; transcript_id \"T2\";\n" +
        "chr2\tt\tCDS\t5501\t5550\t.\t-\t0\tgene_id \"G2\"; transcript_id \"T2\";\n";

    private static GeneAnnotation Load(string text, string name)
    {
        using var tmp = IoFixtures.Temp();
        return GeneAnnotation.ReadFile(tmp.Write(name, text));
    }

    [Fact]
    public void Gtf_DerivesUtrsIntronsPromoters_StrandAware()
    {
        var a = Load(Gtf, "a.gtf");
        Assert.Equal(["G1", "G2"], a.Genes.Select(g => g.Id));
        Assert.Equal("ALPHA", a.Genes[0].Name);
        Assert.Equal("G2", a.Genes[1].Name); // no gene_name: falls back to the id
        Assert.Equal((0L, 1000L), (a.Genes[0].Start, a.Genes[0].End));

        Transcript t1 = a.Transcripts[0];
        Assert.Equal((100L, 900L), (t1.Start, t1.End));
        Assert.Equal([(200L, 300L), (400L, 800L)], t1.Introns.Select(i => (i.Start, i.End)));
        Assert.Equal([(100L, 150L)], t1.FivePrimeUtrs.Select(i => (i.Start, i.End)));
        Assert.Equal([(850L, 900L)], t1.ThreePrimeUtrs.Select(i => (i.Start, i.End)));
        Assert.Equal(new GenomicInterval("chr1", 0, 300, Strand.Plus) { Kind = "promoter", GeneId = "G1", GeneName = "ALPHA", TranscriptId = "T1" }, t1.Promoter(100, 200));

        Transcript t2 = a.Transcripts[1];
        Assert.Equal(5599, t2.Tss);
        Assert.Equal([(5550L, 5600L)], t2.FivePrimeUtrs.Select(i => (i.Start, i.End)));
        Assert.Equal([(5000L, 5050L)], t2.ThreePrimeUtrs.Select(i => (i.Start, i.End)));
        GenomicInterval p = t2.Promoter(upstream: 100, downstream: 10);
        Assert.Equal((5590L, 5700L, Strand.Minus), (p.Start, p.End, p.Strand));

        Assert.Equal(5, a.Intervals("exon").Count);
        Assert.Equal(3, a.Intervals("intron").Count);
        var index = GeneAnnotation.Index(a.Intervals("exon"));
        Assert.Equal(["T2"], index.Query("chr2", 5090, 5110).Select(x => x.TranscriptId));
    }

    [Fact]
    public void Gff3_ParentIdHierarchy()
    {
        const string gff =
            "##gff-version 3\n" +
            "chr1\tt\tgene\t1\t1000\t.\t+\t.\tID=gene1;Name=BETA\n" +
            "chr1\tt\texon\t101\t200\t.\t+\t.\tID=e1;Parent=mrna1,mrna2\n" +
            "chr1\tt\tmRNA\t101\t900\t.\t+\t.\tID=mrna1;Parent=gene1\n" +
            "chr1\tt\tmRNA\t101\t400\t.\t+\t.\tID=mrna2;Parent=gene1\n" +
            "chr1\tt\texon\t801\t900\t.\t+\t.\tID=e2;Parent=mrna1\n" +
            "chr1\tt\texon\t301\t400\t.\t+\t.\tID=e3;Parent=mrna2\n" +
            "chr1\tt\tCDS\t151\t200\t.\t+\t0\tID=c1;Parent=mrna1\n" +
            "chr1\tt\tCDS\t801\t850\t.\t+\t1\tID=c1;Parent=mrna1\n" +
            "chr1\tt\tfive_prime_UTR\t101\t150\t.\t+\t.\tParent=mrna1\n";
        var a = Load(gff, "b.gff3");
        Gene g = Assert.Single(a.Genes);
        Assert.Equal("BETA", g.Name);
        Assert.Equal(["mrna1", "mrna2"], g.Transcripts.Select(t => t.Id));
        Assert.Equal(2, g.Transcripts[0].Exons.Count);
        Assert.Equal(2, g.Transcripts[1].Exons.Count);
        Assert.Equal([(100L, 150L)], g.Transcripts[0].FivePrimeUtrs.Select(i => (i.Start, i.End)));
        Assert.Empty(g.Transcripts[0].ThreePrimeUtrs); // explicit UTR lines: nothing derived
        Assert.All(a.Intervals("exon"), e => Assert.Equal("BETA", e.GeneName));
    }

    [Fact]
    public void Gff3_UndefinedParent_ThrowsWithLine()
    {
        var ex = Assert.Throws<ParseException>(() => Load("##gff-version 3\nchr1\tt\texon\t1\t5\t.\t+\t.\tID=e1;Parent=nope\n", "c.gff3"));
        Assert.Equal(2, ex.Line);
        Assert.Contains("'nope' is not defined", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gtf_MissingTranscriptId_Throws()
    {
        var ex = Assert.Throws<ParseException>(() => Load("chr1\tt\texon\t1\t5\t.\t+\t.\tgene_id \"G\";\n", "d.gtf"));
        Assert.Equal(1, ex.Line);
    }

    /// <summary>
    /// Acceptance: every start codon of the RefSeq GTF reads ATG in the genome chunk. The GTF's seqname "chr16"
    /// equals the chunk's FASTA id ("chr16", description "186964 397118 +"), but its coordinates are local:
    /// GTF position 1 is the chunk's first base, i.e. hg38 chr16:186,964. So the mapping is explicit:
    /// FASTA record = "chr16", 0-based local start = GTF start - 1, no offset added.
    /// </summary>
    [SharedDataFact("genome/augustus_cgp_refseq.hg38.gtf", "genome/augustus_cgp_hg38_chr16_186964-397118.fa")]
    public void SharedGenome_EveryStartCodonReadsAtg()
    {
        var contigMap = new Dictionary<string, (string FastaId, long Offset)> { ["chr16"] = ("chr16", 0) };
        var annotation = GeneAnnotation.ReadFile(SharedData.Require("genome/augustus_cgp_refseq.hg38.gtf"));
        using var fasta = IndexedFasta.Open(SharedData.Require("genome/augustus_cgp_hg38_chr16_186964-397118.fa"));
        Assert.Equal(17, annotation.Transcripts.Count);
        var codons = annotation.Intervals("start_codon");
        Assert.Equal(14, codons.Count);
        foreach (GenomicInterval c in codons)
        {
            var (id, offset) = contigMap[c.Chrom];
            string s = fasta.Fetch(id, c.Start + offset, c.End + offset).ToUpperInvariant();
            if (c.Strand == Strand.Minus)
            {
                s = ReverseComplement.Of(s);
            }

            Assert.True(s == "ATG", $"{c.TranscriptId} start codon at {c.Chrom}:{c.Start}-{c.End} ({c.Strand}) reads {s}");
        }

        // Stop codons read TAA/TAG/TGA too: checks the strand handling independently of the start codons.
        foreach (GenomicInterval c in annotation.Intervals("stop_codon"))
        {
            string s = fasta.Fetch("chr16", c.Start, c.End).ToUpperInvariant();
            Assert.Contains(c.Strand == Strand.Minus ? ReverseComplement.Of(s) : s, new[] { "TAA", "TAG", "TGA" });
        }
    }
}
