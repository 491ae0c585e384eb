using System.IO.Compression;
using System.Text;
using SeqLens.IO;
using SeqLens.IO.Motifs;

namespace SeqLens.Tests.IO.Motifs;

public class MotifMalformedInputTests
{
    private const string MemeHeader = "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n\n";

    public static TheoryData<string, string, string, int, string> Cases => new()
    {
        // format, name, content, expected line, expected words in the message
        { "meme", "no-matrix", MemeHeader + "MOTIF M1\nURL x\n\nMOTIF M2\nletter-probability matrix: alength= 4 w= 1\n0.25 0.25 0.25 0.25\n", 10, "no 'letter-probability matrix:'" },
        { "meme", "wrong-columns", MemeHeader + "MOTIF M1\nletter-probability matrix: alength= 4 w= 2\n0.25 0.25 0.5\n", 12, "expected 4 columns" },
        { "meme", "non-numeric", MemeHeader + "MOTIF M1\nletter-probability matrix: alength= 4 w= 1\n0.25 0.25 abc 0.25\n", 12, "expected a number" },
        { "meme", "row-sum", MemeHeader + "MOTIF M1\nletter-probability matrix: alength= 4 w= 2\n0.25 0.25 0.25 0.25\n0.5 0.5 0.5 0.5\n", 13, "sum to 2" },
        { "meme", "too-few-rows", MemeHeader + "MOTIF M1\nletter-probability matrix: alength= 4 w= 3\n0.25 0.25 0.25 0.25\nURL x\n", 13, "expected matrix row 2 of 3" },
        { "meme", "eof-in-matrix", MemeHeader + "MOTIF M1\nletter-probability matrix: alength= 4 w= 3\n0.25 0.25 0.25 0.25\n", 12, "file ends after 1 of 3" },
        { "meme", "no-header", "MOTIF M1\nletter-probability matrix: alength= 4 w= 1\n0.25 0.25 0.25 0.25\n", 1, "MEME version" },
        { "meme", "protein", "MEME version 4\nALPHABET= ACDEFGHIKLMNPQRSTVWY\n", 2, "only the DNA alphabet" },
        { "meme", "alength", MemeHeader + "MOTIF M1\nletter-probability matrix: alength= 20 w= 1\n", 11, "alength= 4" },
        { "meme", "negative", MemeHeader + "MOTIF M1\nletter-probability matrix: alength= 4 w= 1\n0.5 0.5 0.5 -0.5\n", 12, "non-negative" },
        { "meme", "bad-width", MemeHeader + "MOTIF M1\nletter-probability matrix: alength= 4 w= ten\n", 11, "positive integer width" },
        { "meme", "empty", string.Empty, 1, "empty file" },
        { "meme", "background", "MEME version 4\nBackground letter frequencies\nA 0.3 C x G 0.2 T 0.3\n", 3, "expected a number" },
        { "jaspar", "label-order", ">MA1 X\nA [ 1 2 ]\nG [ 1 2 ]\nC [ 1 2 ]\nT [ 1 2 ]\n", 3, "expected row label 'C'" },
        { "jaspar", "three-rows", ">MA1 X\nA [ 1 2 ]\nC [ 1 2 ]\nG [ 1 2 ]\n>MA2 Y\nA [ 1 ]\nC [ 1 ]\nG [ 1 ]\nT [ 1 ]\n", 1, "expected 4 rows" },
        { "jaspar", "ragged", ">MA1 X\n1 2 3\n1 2 3\n1 2\n1 2 3\n", 4, "row G has 2 columns" },
        { "jaspar", "bracket", ">MA1 X\nA [ 1 2\nC [ 1 2 ]\nG [ 1 2 ]\nT [ 1 2 ]\n", 2, "without a closing ']'" },
        { "jaspar", "non-numeric", ">MA1 X\nA [ 1 2 ]\nC [ 1 z ]\nG [ 1 2 ]\nT [ 1 2 ]\n", 3, "expected a number" },
        { "jaspar", "no-header", "A [ 1 2 ]\n", 1, "'>ID name' header" },
        { "jaspar", "empty", string.Empty, 1, "empty file" },
        { "transfac", "no-terminator", "AC MA1\nID X\nPO A C G T\n01 1 2 3 4\n02 1 2 3 4\nXX\n", 6, "no closing '//'" },
        { "transfac", "row-columns", "AC MA1\nID X\nPO A C G T\n01 1 2 3\n//\n", 4, "4 values" },
        { "transfac", "row-number", "AC MA1\nID X\nPO A C G T\n01 1 2 3 4\n03 1 2 3 4\n//\n", 5, "row number 02" },
        { "transfac", "no-matrix", "AC MA1\nID X\nXX\n//\n", 1, "no PO/P0 matrix" },
        { "transfac", "bad-header", "AC MA1\nID X\nPO A C G U\n01 1 2 3 4\n//\n", 3, "PO A C G T" },
        { "transfac", "non-numeric", "AC MA1\nID X\nP0 A C G T\n01 1 2 3 x\n//\n", 4, "expected a number" },
        { "transfac", "empty", "\n\n", 1, "empty file" },
        { "pfm", "columns", "# comment\n>M1\n1 2 3 4\n1 2 3\n", 4, "expected 4 columns" },
        { "pfm", "no-rows", ">M1\n>M2\n1 2 3 4\n", 1, "no matrix rows" },
        { "pfm", "non-numeric", ">M1\n1 2 3 NaNx\n", 2, "expected a number" },
        { "encode", "columns", ">GATA x\nG 0 0 1\n", 2, "5 columns" },
        { "encode", "letter", ">GATA x\n7 0 0 1 0\n", 2, "IUPAC letter" },
        { "encode", "row-sum", ">GATA x\nG 0 0 0.5 0\n", 2, "sum to 0.5" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_Malformed_ThrowsParseExceptionWithPathAndLine(string format, string name, string content, int line, string words)
    {
        string path = WriteTemp($"bad-{format}-{name}.txt", Encoding.UTF8.GetBytes(content));
        try
        {
            var ex = Assert.Throws<ParseException>(() => Read(format, path));
            Assert.Equal(path, ex.Path);
            Assert.Equal(line, ex.Line);
            Assert.Contains(words, ex.Message, StringComparison.Ordinal);
            Assert.StartsWith(path + ":" + line.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("encode")]
    [InlineData("meme")]
    public void Read_TruncatedGzip_ThrowsParseException(string format)
    {
        var text = new StringBuilder(format == "meme" ? MemeHeader : string.Empty);
        for (int i = 0; i < 2000; i++)
        {
            text.Append(format == "meme"
                ? $"MOTIF M{i}\nletter-probability matrix: alength= 4 w= 2\n0.1 0.2 0.3 0.4\n0.4 0.3 0.2 0.1\n\n"
                : $">M{i} description\nA 0.7 0.1 0.1 0.1\nN 0.25 0.25 0.25 0.25\n");
        }

        byte[] gz = Gzip(Encoding.UTF8.GetBytes(text.ToString()));
        string path = WriteTemp($"truncated-{format}.gz", gz[..(gz.Length / 2)]);
        try
        {
            var ex = Assert.Throws<ParseException>(() => Read(format, path));
            Assert.Equal(path, ex.Path);
            Assert.True(ex.Line > 1, $"line {ex.Line}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Detect_UnknownContent_ThrowsParseException()
    {
        var ex = Assert.Throws<ParseException>(() => MotifFiles.Detect(new StringReader("hello world\n"), "x.txt"));
        Assert.Equal("x.txt", ex.Path);
    }

    private static object Read(string format, string path) => format switch
    {
        "meme" => MemeFormat.Read(path),
        "jaspar" => JasparFormat.Read(path),
        "transfac" => TransfacFormat.Read(path),
        "pfm" => PfmRowsFormat.Read(path),
        "encode" => EncodeMotifsFormat.Read(path),
        _ => throw new ArgumentException(format),
    };

    private static string WriteTemp(string name, byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")[..8] + "-" + name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest))
        {
            gz.Write(data);
        }

        return ms.ToArray();
    }
}
