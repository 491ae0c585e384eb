using SeqLens.IO;
using SeqLens.IO.Fasta;

namespace SeqLens.Tests.IO.Fasta;

public class IndexedFastaTests
{
    private static string Fx(string name) => IoFixtures.Path("Fasta", name);

    public static TheoryData<string, string, int, int, string> Expected()
    {
        var data = new TheoryData<string, string, int, int, string>();
        foreach (string line in File.ReadAllLines(Fx("fetch_expected.tsv")))
        {
            string[] f = line.Split('\t');
            data.Add(f[0], f[1], int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture), f[4]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void Fetch_EqualsSamtoolsFaidxRegion(string file, string chrom, int start, int end, string expected)
    {
        // Copy with the samtools .fai (and .gzi) so the reader uses the same indexes samtools wrote.
        using var tmp = IoFixtures.Temp();
        string fa = tmp.File(file);
        File.Copy(Fx(file), fa);
        File.Copy(Fx(file + ".fai.samtools"), fa + ".fai");
        if (File.Exists(Fx(file + ".gzi")))
        {
            File.Copy(Fx(file + ".gzi"), fa + ".gzi");
        }

        using var indexed = IndexedFasta.Open(fa);
        Assert.Equal(expected, indexed.Fetch(chrom, start, end));
    }

    [Fact]
    public void Fetch_EveryRangeOfSmallRecords_EqualsSubstringOfStreamedSequence()
    {
        var records = FastaReader.ReadFile(Fx("crlf.fa")).ToList();
        using var indexed = IndexedFasta.Open(Fx("crlf.fa"));
        foreach (FastaRecord r in records)
        {
            for (int s = 0; s <= r.Length; s += 7)
            {
                for (int e = s; e <= r.Length; e += 5)
                {
                    Assert.Equal(r.Sequence[s..e], indexed.Fetch(r.Id, s, e));
                }
            }
        }
    }

    [Fact]
    public void Fetch_BgzipWithoutGzi_RebuildsBlockMapFromHeaders()
    {
        using var tmp = IoFixtures.Temp();
        string fa = tmp.File("x.fa.gz");
        File.Copy(Fx("basic.fa.bgz"), fa);
        string chr2 = FastaReader.ReadFile(Fx("basic.fa")).ElementAt(1).Sequence;
        using var indexed = IndexedFasta.Open(fa);
        Assert.Equal(chr2[13..170], indexed.Fetch("chr2", 13, 170));
    }

    [Fact]
    public void BgzfIndex_ScanOfBlockHeaders_AgreesWithSamtoolsGzi()
    {
        var fromSamtools = BgzfIndex.Read(Fx("basic.fa.bgz.gzi"));
        var scanned = BgzfIndex.Scan(Fx("basic.fa.bgz"));
        Assert.True(scanned.Count >= 6, $"expected several 97-byte blocks, got {scanned.Count}");
        for (long offset = 0; offset < 560; offset++)
        {
            Assert.Equal(fromSamtools.Locate(offset), scanned.Locate(offset));
        }
    }

    [Fact]
    public void Open_PlainGzip_ClearErrorAboutBgzip()
    {
        var ex = Assert.Throws<ParseException>(() => IndexedFasta.Open(Fx("basic.fa.plain.gz")));
        Assert.Contains("bgzip", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".gzi", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_BadRangeOrName_Throws()
    {
        using var indexed = IndexedFasta.Open(Fx("basic.fa"));
        Assert.Throws<ArgumentOutOfRangeException>(() => indexed.Fetch("chr1", 10, 251));
        Assert.Throws<ArgumentOutOfRangeException>(() => indexed.Fetch("chr1", 10, 9));
        Assert.Throws<ArgumentException>(() => indexed.Fetch("chrX", 0, 1));
        Assert.Equal(string.Empty, indexed.Fetch("chr1", 5, 5));
    }
}
