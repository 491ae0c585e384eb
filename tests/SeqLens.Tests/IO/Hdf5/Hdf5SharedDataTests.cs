using System.Text.Json;
using SeqLens.IO.Hdf5;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.IO.Hdf5;

/// <summary>
/// Reads the real Keras weight files of ../shared/data and compares shapes, values and Keras attributes with what
/// h5py read (Fixtures/Hdf5/shared_data.json, written by tools/make_hdf5_fixtures.py).
/// </summary>
public class Hdf5SharedDataTests
{
    private const string Talgata = "talgata/keras2_conv1d_record_5_model_PQzyq_modelWeights.h5";
    private const string Ctcf = "deepresolve/wgEncodeAwgTfbsUtaGm12878CtcfUniPk/16_G_bestmodel_weights.h5";
    private const string Gata1 = "deepresolve/wgEncodeAwgTfbsSydhK562Gata1UcdUniPk/16_G_bestmodel_weights.h5";
    private const string Nrsf = "deepresolve/wgEncodeAwgTfbsHaibK562NrsfV0416102UniPk/16_G_bestmodel_weights.h5";

    [SharedDataFact(Talgata)]
    public void Talgata_MatchesH5py() => CompareWithH5py(Talgata);

    [SharedDataFact(Ctcf)]
    public void DeepResolveCtcf_MatchesH5py() => CompareWithH5py(Ctcf);

    [SharedDataFact(Gata1)]
    public void DeepResolveGata1_MatchesH5py() => CompareWithH5py(Gata1);

    [SharedDataFact(Nrsf)]
    public void DeepResolveNrsf_MatchesH5py() => CompareWithH5py(Nrsf);

    [SharedDataFact(Ctcf)]
    public void DeepResolve_ConvolutionKernel_HasKeras1Shape()
    {
        using var file = Hdf5File.Open(SharedData.Require(Ctcf));
        var weights = file.Root.Group("model_weights");
        var conv = weights.Children.OfType<Hdf5Group>().Single(g => g.Name.StartsWith("convolution2d_", StringComparison.Ordinal));
        var kernel = conv.Dataset(conv.Name + "_W");
        Assert.Equal([16L, 4, 1, 25], kernel.Shape);
        Assert.Equal(1600, kernel.ReadFloat32().Length);
        Assert.Equal([conv.Name + "_W", conv.Name + "_b"], conv.Attributes["weight_names"].ReadStrings());
        Assert.Equal("1.2.0", file.Root.Attributes["keras_version"].ReadString());
        Assert.StartsWith("{\"class_name\": \"Sequential\"", file.Root.Attributes["model_config"].ReadString(), StringComparison.Ordinal);
        Assert.True(file.Root.Attributes["model_config"].DataType.IsVariableLengthString);
    }

    [SharedDataFact(Talgata)]
    public void Talgata_KerasAttributes()
    {
        using var file = Hdf5File.Open(SharedData.Require(Talgata));
        Assert.Equal("tensorflow", file.Root.StringAttribute("backend"));
        Assert.Equal("2.1.6", file.Root.StringAttribute("keras_version"));
        Assert.Equal(11, file.Root.Attributes["layer_names"].ReadStrings().Length);
        Assert.Equal([11L, 4, 50], file.Root.Dataset("conv1d_1/conv1d_1/kernel:0").Shape);
        // Layers without weights carry an empty float64 array (not strings) as weight_names.
        var empty = file.Root.Group("activation_1").Attributes["weight_names"];
        Assert.Equal(0, empty.ElementCount);
        Assert.Equal(Hdf5TypeClass.FloatingPoint, empty.DataType.Class);
    }

    private static void CompareWithH5py(string relative)
    {
        using var json = Hdf5FileTests.Json("shared_data");
        var expected = json.RootElement.GetProperty(relative);
        using var file = Hdf5File.Open(SharedData.Require(relative));

        foreach (var a in expected.GetProperty("root_attributes").EnumerateObject())
        {
            var attribute = file.Root.Attributes[a.Name];
            if (a.Value.TryGetProperty("values", out var values))
            {
                Assert.Equal(values.EnumerateArray().Select(v => v.GetString()!), attribute.ReadStrings());
            }
            else
            {
                string text = attribute.ReadString();
                Assert.Equal(a.Value.GetProperty("length").GetInt32(), text.Length);
                Assert.StartsWith(a.Value.GetProperty("prefix").GetString()!, text, StringComparison.Ordinal);
            }
        }

        int datasets = 0;
        foreach (var d in expected.GetProperty("datasets").EnumerateObject())
        {
            var ds = file.Root.Dataset(d.Name);
            Assert.Equal(d.Value.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()), ds.Shape);
            var data = ds.ReadFloat32();
            var first = d.Value.GetProperty("first").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            Assert.Equal(first, data.Take(first.Length));
            Assert.Equal((float)d.Value.GetProperty("last").GetDouble(), data[^1]);
            Assert.Equal(d.Value.GetProperty("sum").GetDouble(), data.Sum(v => (double)v), 9);
            datasets++;
        }

        foreach (var g in expected.GetProperty("groups").EnumerateObject())
        {
            var group = file.Root.Group(g.Name);
            Assert.Equal(g.Value.GetProperty("links").EnumerateArray().Select(v => v.GetString()!), group.Links.Select(l => l.Name));
            foreach (string key in new[] { "weight_names", "layer_names" })
            {
                var value = g.Value.GetProperty(key);
                if (value.ValueKind != JsonValueKind.Array)
                {
                    Assert.False(group.Attributes.ContainsKey(key), g.Name + "@" + key);
                    continue;
                }

                var attribute = group.Attributes[key];
                var names = value.EnumerateArray().Select(v => v.GetString()!).ToArray();
                Assert.Equal(names, attribute.DataType.IsString ? attribute.ReadStrings() : []);
                Assert.Equal(names.Length, attribute.ElementCount);
            }
        }

        Assert.True(datasets >= 5, $"{relative}: only {datasets} datasets compared");
    }
}
