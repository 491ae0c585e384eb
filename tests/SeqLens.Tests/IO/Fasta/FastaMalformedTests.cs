using System.IO.Compression;
using System.Text;
using SeqLens.IO;
using SeqLens.IO.Fasta;

namespace SeqLens.Tests.IO.Fasta;

public class FastaMalformedTests
{
    [Theory]
    [InlineData("ACGT\n>a\nAC\n", 1, 1, "starting with '>'")]
    [InlineData(">a\nAC GT\n", 2, 3, "unexpected character ' '")]
    [InlineData(">a\nACGT\n>b\nAC1T\n", 4, 3, "unexpected character '1'")]
    [InlineData(">\nACGT\n", 1, 2, "empty record name")]
    [InlineData(">a\nACGT\n>b\n", 3, 1, "'b' has no sequence")]
    public void Read_Malformed_ThrowsWithLineAndColumn(string text, int line, int column, string fragment)
    {
        using var tmp = IoFixtures.Temp();
        string p = tmp.Write("bad.fa", text);
        var ex = Assert.Throws<ParseException>(() => FastaReader.ReadFile(p).ToList());
        Assert.Equal(p, ex.Path);
        Assert.Equal(line, ex.Line);
        Assert.Equal(column, ex.Column);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedGzip_ThrowsParseException()
    {
        using var tmp = IoFixtures.Temp();
        var sb = new StringBuilder(">a\n");
        var rng = new Rng(3);
        for (int i = 0; i < 2000; i++)
        {
            sb.Append("ACGT"[rng.NextInt(4)]);
            if (i % 60 == 59)
            {
                sb.Append('\n');
            }
        }

        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(Encoding.ASCII.GetBytes(sb.ToString()));
        }

        byte[] all = ms.ToArray();
        string p = tmp.Write("trunc.fa.gz", all[..(all.Length / 2)]);
        var ex = Assert.Throws<ParseException>(() => FastaReader.ReadFile(p).ToList());
        Assert.Equal(p, ex.Path);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BgzipWithoutEofBlock_ThrowsParseException()
    {
        using var tmp = IoFixtures.Temp();
        byte[] all = File.ReadAllBytes(IoFixtures.Path("Fasta", "basic.fa.bgz"));
        string p = tmp.Write("cut.fa.gz", all[..^28]);
        var ex = Assert.Throws<ParseException>(() => FastaReader.ReadFile(p).ToList());
        Assert.Contains("end-of-file block", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CorruptGzipBody_ThrowsParseException()
    {
        using var tmp = IoFixtures.Temp();
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(Encoding.ASCII.GetBytes(">a\n" + new string('A', 5000) + "\n"));
        }

        byte[] all = ms.ToArray();
        for (int i = 12; i < all.Length - 8; i++)
        {
            all[i] ^= 0x5a;
        }

        string p = tmp.Write("corrupt.fa.gz", all);
        var ex = Assert.Throws<ParseException>(() => FastaReader.ReadFile(p).ToList());
        Assert.Equal(p, ex.Path);
    }
}
