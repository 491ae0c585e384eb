using System.Text.Json;
using SeqLens.IO.BedGraph;
using SeqLens.IO.BigWig;
using SeqLens.IO.Npy;

namespace SeqLens.Tests.IO.Interop;

/// <summary>
/// Our bigWig and npz writers against pyBigWig and numpy: the files we write equal the committed goldens, and
/// tools/check_interop.sh recorded in python_read_ours.json what pyBigWig and numpy read from those goldens.
/// </summary>
public class InteropGoldenTests
{
    private static JsonElement PythonRead() => JsonDocument.Parse(File.ReadAllText(IoFixtures.Path("Interop", "python_read_ours.json"))).RootElement;

    [Theory]
    [InlineData("ours_default.bw", false)]
    [InlineData("ours_small_blocks.bw", true)]
    public void BigWig_WrittenFileEqualsGolden(string name, bool small)
    {
        using var tmp = IoFixtures.Temp();
        string p = tmp.File(name);
        BigWigWriter.Write(p, InteropSamples.Chroms, InteropSamples.BigWigRecords(), small ? InteropSamples.SmallBlocks : null);
        Golden.AssertBytes("Interop", name, File.ReadAllBytes(p));
    }

    [Theory]
    [InlineData("ours_stored.npz", false)]
    [InlineData("ours_deflated.npz", true)]
    public void Npz_WrittenFileEqualsGolden(string name, bool compress)
    {
        using var tmp = IoFixtures.Temp();
        string p = tmp.File(name);
        NpzFile.Write(p, InteropSamples.NpzArrays(), compress);
        Golden.AssertBytes("Interop", name, File.ReadAllBytes(p));
    }

    [Theory]
    [InlineData("ours_default.bw")]
    [InlineData("ours_small_blocks.bw")]
    public void BigWig_PyBigWigReadOurFile_IntervalsHeaderAndStatsMatch(string name)
    {
        JsonElement py = PythonRead().GetProperty(name);
        var records = InteropSamples.BigWigRecords();

        // Chromosomes.
        foreach (var (chrom, size) in InteropSamples.Chroms)
        {
            Assert.Equal(size, py.GetProperty("chroms").GetProperty(chrom).GetInt64());
        }

        // Every interval, exactly (float32 values survive JSON as doubles).
        foreach (var (chrom, _) in InteropSamples.Chroms)
        {
            var expected = records.Where(r => r.Chrom == chrom).Select(r => (r.Start, r.End, (double)r.Value)).ToList();
            var got = py.GetProperty("intervals").GetProperty(chrom).EnumerateArray()
                .Select(a => (a[0].GetInt64(), a[1].GetInt64(), a[2].GetDouble())).ToList();
            Assert.Equal(expected, got);
        }

        // Header summary.
        BigWigSummary total = BigWigWriter.Summarize(records);
        JsonElement header = py.GetProperty("header");
        Assert.Equal(total.ValidCount, header.GetProperty("nBasesCovered").GetInt64());
        // NOTE: pyBigWig's header() truncates minVal, maxVal, sumData and sumSquared to integers.
        Assert.Equal(Math.Truncate(total.Min), header.GetProperty("minVal").GetDouble());
        Assert.Equal(Math.Truncate(total.Max), header.GetProperty("maxVal").GetDouble());
        Assert.Equal(Math.Truncate(total.Sum), header.GetProperty("sumData").GetDouble());
        Assert.Equal(Math.Truncate(total.SumSquares), header.GetProperty("sumSquared").GetDouble());

        // Exact stats (full data) and zoom-level stats (pyBigWig's default) over 10 bins of chr1.
        var chr1 = records.Where(r => r.Chrom == "chr1").ToList();
        double[] exact = py.GetProperty("chr1_mean_exact_10bins").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double[] zoomed = py.GetProperty("chr1_mean_zoom_10bins").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int b = 0; b < 10; b++)
        {
            // Bins of 1120 = 16 x 70, the base reduction: zoom records align with the bins, so the zoom mean is exact too.
            long s = b * 1120L, e = s + 1120;
            double sum = 0;
            long n = 0;
            foreach (BedGraphRecord r in chr1)
            {
                long ov = Math.Min(e, r.End) - Math.Max(s, r.Start);
                if (ov > 0)
                {
                    sum += r.Value * (double)ov;
                    n += ov;
                }
            }

            Assert.Equal(sum / n, exact[b], 4);
            Assert.Equal(sum / n, zoomed[b], 3);
        }

        Assert.True(py.GetProperty("zoom_levels").GetInt32() >= 1, "expected at least one zoom level");
    }

    [Theory]
    [InlineData("ours_stored.npz")]
    [InlineData("ours_deflated.npz")]
    public void Npz_NumpyReadOurFile_ValuesDtypesShapesMatch(string name)
    {
        JsonElement py = PythonRead().GetProperty(name);
        foreach (var (key, array) in InteropSamples.NpzArrays())
        {
            JsonElement a = py.GetProperty(key);
            Assert.Equal(array.Descr, a.GetProperty("dtype").GetString());
            Assert.Equal(array.Shape, a.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToList());
            string[] flat = a.GetProperty("flat").EnumerateArray().Select(x => x.GetString()!).ToArray();
            AssertSameElements(array, flat);
        }
    }

    /// <summary>Compares with python's text of the elements: floats by value (bit-exact, NaN equal to NaN), the rest as text.</summary>
    internal static void AssertSameElements(NpyArray array, string[] pythonFlat)
    {
        string[] ours = Flatten(array);
        Assert.Equal(pythonFlat.Length, ours.Length);
        bool isFloat = array.DType is NpyDType.Float32 or NpyDType.Float64;
        for (int i = 0; i < ours.Length; i++)
        {
            if (isFloat)
            {
                double a = ParsePy(ours[i]), b = ParsePy(pythonFlat[i]);
                Assert.True(a.Equals(b) && double.IsNegative(a) == double.IsNegative(b), $"element {i}: ours {ours[i]}, python {pythonFlat[i]}");
            }
            else
            {
                Assert.Equal(pythonFlat[i], ours[i]);
            }
        }
    }

    private static double ParsePy(string s) => s switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Python's repr-style text of each element, as check_interop.py writes it.</summary>
    internal static string[] Flatten(NpyArray array) => array.DType switch
    {
        NpyDType.Float32 => array.AsSingle().Select(v => PyFloat(v)).ToArray(),
        NpyDType.Float64 => array.AsDouble().Select(PyFloat).ToArray(),
        NpyDType.Int32 => array.AsInt32().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        NpyDType.Int64 => array.AsInt64().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        NpyDType.Bool => array.AsBool().Select(v => v ? "True" : "False").ToArray(),
        NpyDType.UInt8 => array.AsUInt8().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        _ => array.AsStrings(),
    };

    private static string PyFloat(double v) => double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
