using System.IO.Compression;
using System.Text.Json;
using SeqLens.IO.Hdf5;

namespace SeqLens.Tests.IO.Hdf5;

/// <summary>
/// Compares everything the reader returns with what h5py wrote into the JSON beside each fixture
/// (tools/make_hdf5_fixtures.py): every group's links and attributes, every dataset's type, shape, layout,
/// chunk index and values.
/// </summary>
public class Hdf5FileTests
{
    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Hdf5", name);

    /// <summary>Parses a gzipped JSON fixture (name without ".json.gz").</summary>
    internal static JsonDocument Json(string name)
    {
        using var gz = new GZipStream(File.OpenRead(Fixture(name + ".json.gz")), CompressionMode.Decompress);
        return JsonDocument.Parse(gz);
    }

    [Theory]
    [InlineData("earliest", 0)]
    [InlineData("superblock1", 1)]
    [InlineData("userblock", 0)]
    [InlineData("odd_width", 0)]
    [InlineData("v108", 2)]
    [InlineData("latest", 3)]
    public void Open_Fixture_MatchesH5py(string name, int superblockVersion)
    {
        using var json = Json(name);
        var expected = json.RootElement;
        using var file = Hdf5File.Open(Fixture(name + ".h5"));
        Assert.Equal(superblockVersion, file.SuperblockVersion);
        Assert.Equal(superblockVersion, expected.GetProperty("superblock_version").GetInt32());

        int values = 0;
        var groups = expected.GetProperty("groups");
        foreach (var g in groups.EnumerateObject())
        {
            var group = g.Name == "/" ? file.Root : file.Root.Group(g.Name);
            var links = g.Value.GetProperty("links").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Assert.Equal(links, group.Links.Select(l => l.Name).ToArray());
            values += CheckAttributes(group, g.Value.GetProperty("attributes"));
        }

        var datasets = expected.GetProperty("datasets");
        foreach (var d in datasets.EnumerateObject())
        {
            var ds = file.Root.Dataset(d.Name);
            var e = d.Value;
            string where = name + ":" + d.Name;
            CheckType(ds.DataType, e, where);
            Assert.True(e.GetProperty("null").GetBoolean() == ds.IsNull, where);
            Assert.Equal(Longs(e.GetProperty("shape")), ds.Shape);
            Assert.Equal(e.GetProperty("layout").GetString(), ds.Layout.ToString().ToLowerInvariant());
            Assert.Equal(e.GetProperty("chunk_index").GetString()!.Replace("_", "", StringComparison.Ordinal),
                ds.ChunkIndex.ToString().ToLowerInvariant());
            if (e.GetProperty("chunks").ValueKind == JsonValueKind.Array)
            {
                Assert.Equal(Longs(e.GetProperty("chunks")), ds.ChunkShape);
            }
            else
            {
                Assert.Null(ds.ChunkShape);
            }

            values += CheckValues(e, ds.ReadFloat64, ds.ReadFloat32, ds.ReadInt64, ds.ReadStrings);
            values += CheckAttributes(ds, e.GetProperty("attributes"));
        }

        // Every group and dataset h5py visits, and nothing else, is reachable by walking from the root.
        var paths = file.Root.Walk().Select(o => o.Path).Order(StringComparer.Ordinal).ToArray();
        var expectedPaths = groups.EnumerateObject().Select(p => p.Name).Where(p => p != "/")
            .Concat(datasets.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expectedPaths, paths);
        Assert.True(values >= 9, $"only {values} values compared");
    }

    [Fact]
    public void Latest_UsesEveryV2Structure()
    {
        using var file = Hdf5File.Open(Fixture("latest.h5"));
        var indexes = file.Root.Walk().OfType<Hdf5Dataset>().Select(d => d.ChunkIndex).ToHashSet();
        Assert.Contains(Hdf5ChunkIndex.FixedArray, indexes);
        Assert.Contains(Hdf5ChunkIndex.ExtensibleArray, indexes);
        Assert.Contains(Hdf5ChunkIndex.BTreeV2, indexes);
        Assert.Contains(Hdf5ChunkIndex.SingleChunk, indexes);
        Assert.Contains(Hdf5ChunkIndex.Implicit, indexes);
        Assert.Equal(2, file.Root.Dataset("chunked/gzip_shuffle").FilterIds.Count);
        Assert.Equal([3], file.Root.Dataset("chunked/fletcher").FilterIds);
        var attrs = file.Root.Group("attrs").Attributes;
        Assert.Equal(22, attrs.Count);
        Assert.Equal(149.75, attrs["huge"].ReadFloat64()[^1]); // a huge fractal-heap object (> 4 KiB message)
        Assert.Equal(Hdf5TypeClass.Enumerated, file.Root.Dataset("data/bools").DataType.Class);
        Assert.Equal([1.25f, -8.5f], file.Root.Dataset("data/typed_by_named").ReadFloat32()); // committed datatype
        Assert.Equal(9, file.Root.Group("ordered").Links.Count);
        Assert.Equal(60, file.Root.Group("deep_links").Links.Count); // name index with internal B-tree v2 nodes
        Assert.Equal(100, file.Root.Dataset("chunked/btree_deep").ReadInt64().Length);
        Assert.Equal(20, file.Root.Group("many").Children.Count);
        Assert.Equal(7L, file.Root.Group("many").Group("g07").Attributes["index"].ReadInt64()[0]);
    }

    [Fact]
    public void TryGet_FollowsSoftLinksAndReportsMissing()
    {
        using var file = Hdf5File.Open(Fixture("earliest.h5"));
        var viaLink = Assert.IsType<Hdf5Dataset>(file.Root.TryGet("link_soft"));
        Assert.Equal(file.Root.Dataset("/data/f64_2d").ReadFloat64(), viaLink.ReadFloat64());
        Assert.Null(file.Root.TryGet("dangling"));
        Assert.Null(file.Root.TryGet("data/nope"));
        Assert.Null(file.Root.TryGet("data/f64_2d/below_a_dataset"));
        Assert.Equal(Hdf5LinkKind.Soft, file.Root.Links.Single(l => l.Name == "dangling").Kind);
        Assert.Equal("/nowhere", file.Root.Links.Single(l => l.Name == "dangling").Target);
        var e = Assert.Throws<KeyNotFoundException>(() => file.Root.Group("data").Dataset("nope"));
        Assert.Contains("f64_2d", e.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => file.Root.Group("data/f64_2d"));
    }

    [Fact]
    public void Read_WrongKind_ThrowsInvalidOperation()
    {
        using var file = Hdf5File.Open(Fixture("earliest.h5"));
        Assert.Throws<InvalidOperationException>(() => file.Root.Dataset("data/f64_2d").ReadStrings());
        Assert.Throws<InvalidOperationException>(() => file.Root.Dataset("data/vlen_str").ReadFloat32());
        Assert.Throws<InvalidOperationException>(() => file.Root.Dataset("data/f64_2d").ReadInt64());
        Assert.Equal("fixture", file.Root.StringAttribute("title"));
        Assert.Null(file.Root.StringAttribute("absent"));
    }

    [Fact]
    public void ReadFloat32_ConvertsIntegersAndDoubles()
    {
        using var file = Hdf5File.Open(Fixture("latest.h5"));
        Assert.Equal([-128f, 0f, 1f, 127f, -43f], file.Root.Dataset("data/i8_be").ReadFloat32());
        Assert.Equal([2.5f], file.Root.Dataset("data/scalar_f64").ReadFloat32());
        Assert.Equal([0.5f, -1f, 65504f, 6.1035156e-05f], file.Root.Dataset("data/f16").ReadFloat32());
    }

    [Fact]
    public void ReadTensor_KeepsShapeAndRowMajorOrder()
    {
        using var file = Hdf5File.Open(Fixture("latest.h5"));
        var ds = file.Root.Dataset("chunked/gzip_shuffle");
        var t = ds.ReadTensor();
        Assert.Equal([6, 7], t.Shape);
        var flat = ds.ReadFloat32();
        Assert.Equal(flat[1 * 7 + 5], t[1, 5]);
        Assert.Equal(flat, t.Data);
        Assert.Equal(0, file.Root.Dataset("data/scalar_f64").ReadTensor().Rank);
    }

    [Fact]
    public void Open_NonSeekableStream_ThrowsArgumentException()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream();
        Assert.Throws<ArgumentException>(() => Hdf5File.Open(pipe, "pipe"));
    }

    private static int CheckAttributes(Hdf5Object owner, JsonElement expected)
    {
        int values = 0;
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal),
            owner.Attributes.Keys.Order(StringComparer.Ordinal));
        foreach (var p in expected.EnumerateObject())
        {
            var a = owner.Attributes[p.Name];
            string where = owner.Path + "@" + p.Name;
            CheckType(a.DataType, p.Value, where);
            Assert.True(p.Value.GetProperty("null").GetBoolean() == a.IsNull, where);
            Assert.Equal(Longs(p.Value.GetProperty("shape")), a.Shape);
            values += CheckValues(p.Value, a.ReadFloat64, a.ReadFloat32, a.ReadInt64, a.ReadStrings);
        }

        return values;
    }

    private static void CheckType(Hdf5DataType type, JsonElement e, string where)
    {
        switch (e.GetProperty("class").GetString())
        {
            case "float":
                Assert.True(type.Class == Hdf5TypeClass.FloatingPoint, where);
                Assert.Equal(e.GetProperty("size").GetInt32(), type.Size);
                Assert.True(e.GetProperty("big_endian").GetBoolean() == type.IsBigEndian, where);
                break;
            case "integer":
                Assert.True(type.Class == Hdf5TypeClass.FixedPoint, where);
                Assert.Equal(e.GetProperty("size").GetInt32(), type.Size);
                Assert.True(e.GetProperty("big_endian").GetBoolean() == type.IsBigEndian, where);
                Assert.True(e.GetProperty("signed").GetBoolean() == type.IsSigned, where);
                break;
            case "enum":
                Assert.True(type.Class == Hdf5TypeClass.Enumerated, where);
                Assert.Equal(Hdf5TypeClass.FixedPoint, type.BaseType!.Class);
                break;
            case "string":
                Assert.True(type.IsString, where);
                Assert.True(e.GetProperty("vlen").GetBoolean() == type.IsVariableLengthString, where);
                Assert.True(e.GetProperty("utf8").GetBoolean() == type.IsUtf8, where);
                if (!type.IsVariableLengthString)
                {
                    Assert.Equal(e.GetProperty("size").GetInt32(), type.Size);
                }

                break;
            default:
                Assert.Fail("unexpected class in " + where);
                break;
        }
    }

    private static int CheckValues(JsonElement e, Func<double[]> f64, Func<float[]> f32, Func<long[]> i64, Func<string[]> strings)
    {
        var values = e.GetProperty("values");
        int n = values.GetArrayLength();
        switch (e.GetProperty("class").GetString())
        {
            case "float":
                {
                    var expected = values.EnumerateArray().Select(v => v.GetDouble()).ToArray();
                    Assert.Equal(expected, f64());
                    Assert.Equal(expected.Select(v => (float)v).ToArray(), f32());
                    break;
                }

            case "integer" or "enum":
                {
                    var expected = values.EnumerateArray().Select(v => v.GetInt64()).ToArray();
                    Assert.Equal(expected, i64());
                    Assert.Equal(expected.Select(v => (double)v).ToArray(), f64());
                    break;
                }

            default:
                Assert.Equal(values.EnumerateArray().Select(v => v.GetString()!).ToArray(), strings());
                break;
        }

        return n;
    }

    private static long[] Longs(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();
}
