using System.Text.Json;
using SeqLens.IO.BigWig;
using SeqLens.IO.Npy;

namespace SeqLens.Tests.IO.Interop;

/// <summary>Our readers on files written by pyBigWig (libBigWig) and numpy (tools/check_interop.py).</summary>
public class PythonWrittenTests
{
    private static JsonElement Expected() => JsonDocument.Parse(File.ReadAllText(IoFixtures.Path("Interop", "py_written_expected.json"))).RootElement;

    [Fact]
    public void BigWigReader_PyBigWigFile_BedGraphVarStepFixedStepSections()
    {
        using var bw = BigWigReader.Open(IoFixtures.Path("Interop", "py_written.bw"));
        Assert.Equal([("chr1", 10000L), ("chr2", 5000L)], bw.Chromosomes);
        foreach (JsonProperty chrom in Expected().GetProperty("bigwig").EnumerateObject())
        {
            var expected = chrom.Value.EnumerateArray().Select(a => (a[0].GetInt64(), a[1].GetInt64(), (float)a[2].GetDouble())).ToList();
            var got = bw.Intervals(chrom.Name, 0, 10000).Select(r => (r.Start, r.End, r.Value)).ToList();
            Assert.Equal(expected, got);
        }

        float[] v = bw.Values("chr1", 98, 103);
        Assert.True(float.IsNaN(v[0]) && float.IsNaN(v[1]));
        Assert.Equal([-1.25f, -1.25f, -1.25f], v[2..]);
        Assert.Empty(bw.Intervals("chrZ", 0, 10));
    }

    [Theory]
    [InlineData("py_written_compressed.npz")]
    [InlineData("py_written_stored.npz")]
    public void NpzRead_NumpyFile_ValuesDtypesShapes(string name)
    {
        var arrays = NpzFile.Read(IoFixtures.Path("Interop", name));
        JsonElement expected = Expected().GetProperty("npz");
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), arrays.Select(a => a.Key).Order());
        foreach (var (key, array) in arrays)
        {
            JsonElement e = expected.GetProperty(key);
            Assert.Equal(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()), array.Shape);
            InteropGoldenTests.AssertSameElements(array, e.GetProperty("flat").EnumerateArray().Select(x => x.GetString()!).ToArray());
            string dtype = e.GetProperty("dtype").GetString()!;
            Assert.Equal(dtype, array.Descr);
        }

        // The Fortran-ordered array comes back in C order.
        Assert.Equal([0, 1, 2, 3, 4, 5], arrays.Single(a => a.Key == "fortran").Value.AsInt32());
    }

    [Fact]
    public void NpyRead_Version1And3()
    {
        NpyArray x = NpyFormat.ReadFile(IoFixtures.Path("Interop", "py_written_v1.npy"));
        Assert.Equal([2L, 3, 4], x.Shape);
        Assert.Equal(23 / 8f, x.AsSingle()[23]);
        Assert.Equal(x.AsSingle(), x.ToTensor().Data);
        NpyArray s = NpyFormat.ReadFile(IoFixtures.Path("Interop", "py_written_v3.npy"));
        Assert.Equal(["CTCF", "GATA1", "REST"], s.AsStrings());
    }
}
