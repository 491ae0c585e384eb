using System.Text;
using SeqLens.IO;
using SeqLens.IO.Npy;
using SeqLens.IO.Tsv;
using SeqLens.Tests.IO.Interop;

namespace SeqLens.Tests.IO.Npy;

public class NpyFormatTests
{
    [Fact]
    public void WriteRead_AllDtypes_RoundTrip()
    {
        using var tmp = IoFixtures.Temp();
        foreach (var (name, array) in InteropSamples.NpzArrays())
        {
            string p = tmp.File(name + ".npy");
            NpyFormat.WriteFile(p, array);
            byte[] bytes = File.ReadAllBytes(p);
            int headerLen = bytes[8] | (bytes[9] << 8);
            Assert.Equal(0, (10 + headerLen) % 64); // numpy aligns data to 64 bytes
            NpyArray back = NpyFormat.ReadFile(p);
            Assert.Equal(array.Descr, back.Descr);
            Assert.Equal(array.Shape, back.Shape);
            Assert.Equal(InteropGoldenTests.Flatten(array), InteropGoldenTests.Flatten(back));
        }
    }

    [Fact]
    public void Npz_SameArraysSameBytes()
    {
        using var tmp = IoFixtures.Temp();
        NpzFile.Write(tmp.File("a.npz"), InteropSamples.NpzArrays(), compress: true);
        NpzFile.Write(tmp.File("b.npz"), InteropSamples.NpzArrays(), compress: true);
        Assert.Equal(File.ReadAllBytes(tmp.File("a.npz")), File.ReadAllBytes(tmp.File("b.npz")));
        Assert.Equal(InteropSamples.NpzArrays().Select(a => a.Key), NpzFile.Read(tmp.File("a.npz")).Select(a => a.Key));
    }

    private static byte[] Npy(string header, int dataBytes)
    {
        var h = Encoding.ASCII.GetBytes(header);
        var b = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)h.Length, (byte)(h.Length >> 8) };
        b.AddRange(h);
        b.AddRange(new byte[dataBytes]);
        return [.. b];
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", 20, "truncated .npy data")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", 8, "unsupported dtype '>f4'")]
    [InlineData("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }\n", 8, "fortran_order")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }\n", 8, "needs descr, fortran_order and shape")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }\n", 8, "shape entry 'x'")]
    [InlineData("['descr', '<f4']\n", 8, "not a dict")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }\n", 8, "structured dtypes")]
    public void Read_BadHeader_ThrowsParseException(string header, int dataBytes, string fragment)
    {
        using var tmp = IoFixtures.Temp();
        string p = tmp.Write("bad.npy", Npy(header, dataBytes));
        var ex = Assert.Throws<ParseException>(() => NpyFormat.ReadFile(p));
        Assert.Equal(p, ex.Path);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadMagicOrNotZip_ThrowsParseException()
    {
        using var tmp = IoFixtures.Temp();
        Assert.Contains("magic", Assert.Throws<ParseException>(() => NpyFormat.ReadFile(tmp.Write("x.npy", "hello world"))).Message, StringComparison.Ordinal);
        Assert.Contains("zip", Assert.Throws<ParseException>(() => NpzFile.Read(tmp.Write("x.npz", "hello world"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TsvWriter_InvariantNumbersAndRejectsTabs()
    {
        using var sw = new StringWriter();
        var tsv = new TsvWriter(sw, ["name", "x", "y", "flag"]);
        tsv.WriteRow("a", 0.1, 1.5f, true);
        tsv.WriteRow("b", double.NaN, float.NegativeInfinity, false);
        Assert.Equal("name\tx\ty\tflag\na\t0.1\t1.5\t1\nb\tnan\t-inf\t0\n", sw.ToString());
        Assert.Throws<ArgumentException>(() => tsv.WriteRow("a\tb", 1, 2, 3));
        Assert.Throws<ArgumentException>(() => tsv.WriteRow("a", 1));
    }
}
