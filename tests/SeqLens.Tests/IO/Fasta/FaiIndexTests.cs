using SeqLens.IO;
using SeqLens.IO.Fasta;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.IO.Fasta;

public class FaiIndexTests
{
    private static string Fx(string name) => IoFixtures.Path("Fasta", name);

    [Theory]
    [InlineData("basic.fa")]
    [InlineData("crlf.fa")]
    [InlineData("exact80.fa")]
    [InlineData("noeol.fa")]
    [InlineData("blanks.fa")]
    [InlineData("emptymid.fa")]
    [InlineData("dupnames.fa")]
    [InlineData("basic.fa.bgz")]
    public void Build_ByteIdenticalToSamtoolsFaidx(string file)
    {
        string expected = File.ReadAllText(Fx(file + ".fai.samtools"));
        Assert.Equal(expected, FaiIndex.Build(Fx(file)).ToText());
    }

    [Fact]
    public void Build_RejectsExactlyWhatSamtoolsRejects()
    {
        foreach (string file in File.ReadAllLines(Fx("samtools_rejects.txt")))
        {
            var ex = Assert.Throws<ParseException>(() => FaiIndex.Build(Fx(file)));
            Assert.Equal(Fx(file), ex.Path);
        }
    }

    [Fact]
    public void Build_LongerLine_SaysDifferentLineLengthWithLine()
    {
        var ex = Assert.Throws<ParseException>(() => FaiIndex.Build(Fx("bad_longer.fa")));
        Assert.Equal(3, ex.Line);
        Assert.Contains("different line length in sequence 'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PlainGzip_RefusesLikeSamtools()
    {
        var ex = Assert.Throws<ParseException>(() => FaiIndex.Build(Fx("basic.fa.plain.gz")));
        Assert.Contains("bgzip", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteRead_RoundTrips()
    {
        using var tmp = IoFixtures.Temp();
        var fai = FaiIndex.Build(Fx("basic.fa"));
        fai.Write(tmp.File("x.fai"));
        Assert.Equal(File.ReadAllText(Fx("basic.fa.fai.samtools")), File.ReadAllText(tmp.File("x.fai")));
        Assert.Equal(fai.Entries, FaiIndex.Read(tmp.File("x.fai")).Entries);
    }

    [Theory]
    [InlineData("chr1\t250\t36\t60\n", 1, "5 tab-separated")]
    [InlineData("chr1\t250\t36\t60\t61\nchr2\tx\t323\t60\t61\n", 2, "length must be")]
    [InlineData("chr1\t250\t36\t60\t59\n", 1, "inconsistent line geometry")]
    [InlineData("chr1\t250\t36\t60\t61\nchr1\t250\t36\t60\t61\n", 0, "duplicate")]
    public void Read_Malformed_ThrowsWithLine(string text, int line, string fragment)
    {
        using var tmp = IoFixtures.Temp();
        string p = tmp.Write("bad.fai", text);
        var ex = Assert.Throws<ParseException>(() => FaiIndex.Read(p));
        Assert.Equal(p, ex.Path);
        Assert.Equal(line, ex.Line);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [SharedDataFact("genome/augustus_cgp_hg38_chr16_186964-397118.fa")]
    public void Build_SharedGenomeChunk_EqualsSamtoolsFai()
    {
        string computed = FaiIndex.Build(SharedData.Require("genome/augustus_cgp_hg38_chr16_186964-397118.fa")).ToText();
        Assert.Equal(File.ReadAllText(Fx("augustus_cgp_hg38_chr16_186964-397118.fa.fai.samtools")), computed);
    }
}
