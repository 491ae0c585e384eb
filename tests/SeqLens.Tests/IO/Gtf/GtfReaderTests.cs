using SeqLens.IO;
using SeqLens.IO.Gtf;
using SeqLens.IO.Intervals;

namespace SeqLens.Tests.IO.Gtf;

public class GtfReaderTests
{
    private static List<GtfRecord> Parse(string text, AnnotationDialect dialect = AnnotationDialect.Auto)
        => GtfReader.Read(new StringReader(text), "test.gtf", dialect).ToList();

    [Fact]
    public void Read_GtfAttributes_QuotingRules()
    {
        var r = Parse("chr1\tsrc\texon\t11\t20\t.\t-\t.\tgene_id \"G1\"; transcript_id \"T;1\"; exon_number 2; note \"say \\\"hi\\\"\"; tag \"a\"; tag \"b\"; \n").Single();
        Assert.Equal("G1", r.GetAttribute("gene_id"));
        Assert.Equal("T;1", r.GetAttribute("transcript_id"));
        Assert.Equal("2", r.GetAttribute("exon_number"));
        Assert.Equal("say \"hi\"", r.GetAttribute("note"));
        Assert.Equal(["a", "b"], r.GetValues("tag"));
        Assert.Equal(new GenomicInterval("chr1", 10, 20, Strand.Minus) { Kind = "exon" }, r.ToInterval());
        Assert.Null(r.Score);
    }

    [Fact]
    public void Read_Gff3Attributes_PercentDecodingAndLists()
    {
        var r = Parse("##gff-version 3\nchr1\tsrc\texon\t1\t5\t0.5\t+\t.\tID=e1;Parent=t1,t2;Note=a%3Bb%20c\n").Single();
        Assert.Equal(["t1", "t2"], r.GetValues("Parent"));
        Assert.Equal("a;b c", r.GetAttribute("Note"));
        Assert.Equal(0.5, r.Score);
    }

    [Theory]
    [InlineData("chr1\tsrc\texon\t1\t5\t.\t+\t.\tgene_id \"G1; transcript_id T;\n", "unterminated")]
    [InlineData("chr1\tsrc\texon\t1\t5\t.\t+\t.\tgene_id;\n", "has no value")]
    [InlineData("chr1\tsrc\texon\t1\t5\t.\t+\t.\tgene_id \"G\" x; transcript_id \"T\";\n", "expected ';'")]
    [InlineData("chr1\tsrc\texon\t1\t5\t.\t+\t.\tgene_id G 1;\n", "malformed value")]
    [InlineData("chr1\tsrc\texon\t0\t5\t.\t+\t.\tgene_id \"G\";\n", "start must be a positive integer")]
    [InlineData("chr1\tsrc\texon\t9\t5\t.\t+\t.\tgene_id \"G\";\n", "before start")]
    [InlineData("chr1\tsrc\texon\t1\t5\t.\t*\t.\tgene_id \"G\";\n", "strand")]
    [InlineData("chr1\tsrc\texon\t1\t5\t.\t+\t3\tgene_id \"G\";\n", "frame/phase")]
    [InlineData("chr1\tsrc\texon\t1\t5\t.\t+\t.\n", "9 tab-separated")]
    [InlineData("chr1 src exon 1 5 . + . gene_id \"G\";\n", "9 tab-separated")]
    [InlineData("chr1\tsrc\texon\t1\t5\tbig\t+\t.\tgene_id \"G\";\n", "score")]
    public void Read_MalformedGtf_ThrowsWithLine(string text, string fragment)
    {
        var ex = Assert.Throws<ParseException>(() => Parse("# header\n" + text, AnnotationDialect.Gtf));
        Assert.Equal("test.gtf", ex.Path);
        Assert.Equal(2, ex.Line);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chr1\tsrc\texon\t1\t5\t.\t+\t.\tID=e1;Parent\n", "not key=value")]
    [InlineData("chr1\tsrc\texon\t1\t5\t.\t+\t.\tID=e%G1\n", "percent-encoding")]
    public void Read_MalformedGff3_ThrowsWithLine(string text, string fragment)
    {
        var ex = Assert.Throws<ParseException>(() => Parse("##gff-version 3\n" + text));
        Assert.Equal(2, ex.Line);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }
}
