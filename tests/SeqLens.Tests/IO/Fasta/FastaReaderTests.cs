using System.IO.Compression;
using System.Text;
using SeqLens.IO;
using SeqLens.IO.Fasta;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.IO.Fasta;

public class FastaReaderTests
{
    private static string Fx(string name) => IoFixtures.Path("Fasta", name);

    [Fact]
    public void Read_MultiLineRecords_SplitsHeaderAndKeepsCase()
    {
        var records = FastaReader.ReadFile(Fx("basic.fa")).ToList();
        Assert.Equal(["chr1", "chr2", "chrM"], records.Select(r => r.Id));
        Assert.Equal("first record with description", records[0].Description);
        Assert.Equal("Tab separated description", records[1].Description);
        Assert.Equal(string.Empty, records[2].Description);
        Assert.Equal([250, 171, 61], records.Select(r => r.Length));
        Assert.Contains("NNNNRYKMSWBDHV", records[1].Sequence, StringComparison.Ordinal);
        Assert.True(char.IsLower(records[1].Sequence[0]));
    }

    [Fact]
    public void Read_MatchesSamtoolsFetchOfWholeRecord()
    {
        var expected = File.ReadAllLines(Fx("fetch_expected.tsv")).Select(l => l.Split('\t'))
            .Single(f => f[0] == "basic.fa" && f[1] == "chr1" && f[2] == "0" && f[3] == "250");
        Assert.Equal(expected[4], FastaReader.ReadFile(Fx("basic.fa")).First().Sequence);
    }

    [Fact]
    public void Read_CrLf_SameAsLf()
    {
        var crlf = FastaReader.ReadFile(Fx("crlf.fa")).ToList();
        Assert.Equal(["a", "b"], crlf.Select(r => r.Id));
        Assert.Equal(130, crlf[0].Length);
        Assert.DoesNotContain('\r', crlf[0].Sequence);
        Assert.Equal("desc", crlf[0].Description);
    }

    [Fact]
    public void Read_PlainGzipAndBgzip_EqualPlain()
    {
        var plain = FastaReader.ReadFile(Fx("basic.fa")).ToList();
        Assert.Equal(plain, FastaReader.ReadFile(Fx("basic.fa.plain.gz")).ToList());
        // BGZF = many concatenated gzip members (97-byte blocks here): GZipStream must read them all.
        Assert.Equal(plain, FastaReader.ReadFile(Fx("basic.fa.bgz")).ToList());
    }

    [Fact]
    public void Read_HandConcatenatedGzipMembers_ReadsAllWhenTrailerMatches()
    {
        // Members of a plain gzip file, the last one holding as many bytes as the whole (mod 2^32 is not
        // reachable here, so: last member = everything after two empty members).
        using var tmp = IoFixtures.Temp();
        using var ms = new MemoryStream();
        foreach (string part in new[] { "", "", ">a\nACGT\n>b\nTTTT\n" })
        {
            using var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true);
            gz.Write(Encoding.ASCII.GetBytes(part));
        }

        var recs = FastaReader.ReadFile(tmp.Write("c.fa.gz", ms.ToArray())).ToList();
        Assert.Equal(["ACGT", "TTTT"], recs.Select(r => r.Sequence));
    }

    [Fact]
    public void Read_ConcatenatedPlainGzipMembers_ReadsAll_TruncatedLastMemberFails()
    {
        // cat a.gz b.gz c.gz: the last member's ISIZE differs from the total, so the members are walked and checked.
        using var tmp = IoFixtures.Temp();
        using var ms = new MemoryStream();
        foreach (string part in new[] { ">a\nAC", "GT\n>b\n", "TTTT\n" })
        {
            using var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true);
            gz.Write(Encoding.ASCII.GetBytes(part));
        }

        byte[] all = ms.ToArray();
        var recs = FastaReader.ReadFile(tmp.Write("c.fa.gz", all)).ToList();
        Assert.Equal(["ACGT", "TTTT"], recs.Select(r => r.Sequence));

        string cut = tmp.Write("cut.fa.gz", all[..^3]);
        var ex = Assert.Throws<ParseException>(() => FastaReader.ReadFile(cut).ToList());
        Assert.Contains("member 3 is truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoTrailingNewlineAndBlankLines_Accepted()
    {
        Assert.Equal(100, FastaReader.ReadFile(Fx("noeol.fa")).Single().Length);
        Assert.Equal([70, 10], FastaReader.ReadFile(Fx("blanks.fa")).Select(r => r.Length));
    }

    [Fact]
    public void Read_EmptyRecord_ErrorByDefault_FlaggedWhenAllowed()
    {
        var ex = Assert.Throws<ParseException>(() => FastaReader.ReadFile(Fx("emptymid.fa")).ToList());
        Assert.Equal(3, ex.Line);
        Assert.Contains("'empty' has no sequence", ex.Message, StringComparison.Ordinal);
        var all = FastaReader.ReadFile(Fx("emptymid.fa"), allowEmptyRecords: true).ToList();
        Assert.Equal([30, 0, 12], all.Select(r => r.Length));
    }

    [Fact]
    public void Read_Streaming_ReturnsOneRecordAtATime()
    {
        using var reader = FastaReader.Open(Fx("basic.fa"));
        Assert.Equal("chr1", reader.Read()!.Id);
        Assert.Equal("chr2", reader.Read()!.Id);
        Assert.Equal("chrM", reader.Read()!.Id);
        Assert.Null(reader.Read());
    }

    [Fact]
    public void WriteThenRead_RoundTrips_And_IsSamtoolsIndexable()
    {
        using var tmp = IoFixtures.Temp();
        var recs = FastaReader.ReadFile(Fx("basic.fa")).ToList();
        foreach (int width in new[] { 60, 80 })
        {
            string p = tmp.File($"w{width}.fa");
            FastaWriter.WriteFile(p, recs, width);
            Assert.Equal(recs, FastaReader.ReadFile(p).ToList());
            var fai = FaiIndex.Build(p);
            Assert.All(fai.Entries, e => Assert.Equal(Math.Min(width, e.Length), e.LineBases));
        }

        // The 60-column output has the same layout as the samtools-indexed fixture.
        Assert.Equal(File.ReadAllText(Fx("basic.fa.fai.samtools")), FaiIndex.Build(tmp.File("w60.fa")).ToText());
    }

    [Fact]
    public void Write_IdWithSpace_Throws()
    {
        using var sw = new StringWriter();
        Assert.Throws<ArgumentException>(() => new FastaWriter(sw).Write(new FastaRecord("a b", "", "ACGT")));
    }

    [SharedDataFact("genome/augustus_cgp_hg38_chr16_186964-397118.fa")]
    public void Read_SharedGenomeChunk_OneRecordOfExpectedLength()
    {
        var rec = FastaReader.ReadFile(SharedData.Require("genome/augustus_cgp_hg38_chr16_186964-397118.fa")).Single();
        Assert.Equal("chr16", rec.Id);
        Assert.Equal("186964 397118 +", rec.Description);
        Assert.Equal(210155, rec.Length);
    }

    [SharedDataFact("chipseq/ctcf.fa.gz")]
    public void Read_CtcfPeaksGzip_39184RecordsOf100bp()
    {
        int n = 0;
        foreach (FastaRecord r in FastaReader.ReadFile(SharedData.Require("chipseq/ctcf.fa.gz")))
        {
            Assert.Equal(100, r.Length);
            n++;
        }

        Assert.Equal(39184, n);
    }
}
