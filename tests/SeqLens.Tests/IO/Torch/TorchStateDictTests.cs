using System.Text.Json;
using SeqLens.IO;
using SeqLens.IO.Torch;
using static SeqLens.Tests.IO.Torch.TorchFiles;

namespace SeqLens.Tests.IO.Torch;

public class TorchStateDictTests
{
    public static TheoryData<string> GoodFiles() => ["conv_bn_linear.pt", "views_and_dtypes.pt", "checkpoint.pt", "parameters.pt"];

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void Load_Fixture_MatchesTorch(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixture("expected.json")));
        JsonElement[] expected = [.. doc.RootElement.GetProperty(file).EnumerateArray()];

        TorchStateDict dict = TorchStateDict.Load(Fixture(file));

        Assert.Equal(expected.Select(e => e.GetProperty("key").GetString()), dict.Keys);
        foreach (JsonElement e in expected)
        {
            TorchTensor t = dict[e.GetProperty("key").GetString()!];
            Assert.Equal(e.GetProperty("dtype").GetString(), t.DType.ToString().ToLowerInvariant());
            Assert.Equal(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()), t.Shape);
            Assert.Equal(e.GetProperty("parameter").GetBoolean(), t.IsParameter);
            float[] values = t.ToFloat32();
            double[] first = [.. e.GetProperty("first").EnumerateArray().Select(x => x.GetDouble())];
            Assert.Equal(first.Select(x => (float)x), values.Take(first.Length));
            double sum = values.Sum(x => (double)x);
            double expectedSum = e.GetProperty("sum").GetDouble();
            Assert.True(Math.Abs(sum - expectedSum) <= 1e-6 * Math.Max(1, Math.Abs(expectedSum)), $"{t}: sum {sum} vs {expectedSum}");
        }
    }

    [Fact]
    public void Load_Views_AreMaterialisedRowMajor()
    {
        TorchStateDict dict = TorchStateDict.Load(Fixture("views_and_dtypes.pt"));

        // transposed = arange(15).reshape(3, 5).t(): element [i, j] = j * 5 + i.
        Tensor transposed = dict["transposed"].ToTensor();
        Assert.Equal([5, 3], transposed.Shape);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal((j * 5) + i, transposed[i, j]);
            }
        }

        // sliced = base[1:, 2:5], a view at storage offset 8 sharing base's storage.
        Tensor b = dict["base"].ToTensor();
        Tensor sliced = dict["sliced"].ToTensor();
        Assert.Equal([3, 3], sliced.Shape);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(b[i + 1, j + 2], sliced[i, j]);
            }
        }

        Assert.Equal([1f, 2f, 3f, 1f, 2f, 3f], dict["expanded"].ToFloat32());
        Assert.Equal(0, dict["scalar"].ToTensor().Rank);
        Assert.Equal([0, 3], dict["empty"].ToTensor().Shape);
    }

    [Fact]
    public void Load_IntegerAndHalfTypes_KeepExactValuesAndDType()
    {
        TorchStateDict dict = TorchStateDict.Load(Fixture("views_and_dtypes.pt"));

        Assert.Equal(TorchDType.Int64, dict["i64"].DType);
        Assert.Equal([1L, -2L, 3_000_000_000L, -4L], dict["i64"].ToInt64());
        Assert.Equal([300L, -301L], dict["i16"].ToInt64());
        Assert.Equal([-3L, 4L], dict["i8"].ToInt64());
        Assert.Equal([0L, 128L, 255L], dict["u8"].ToInt64());
        Assert.Equal([1L, 0L, 1L], dict["bool"].ToInt64());
        Assert.Equal([1.5f, -0.0999755859375f, 65504f], dict["f16"].ToFloat32());
        Assert.Equal([1f, -2.5f, 3.140625f], dict["bf16"].ToFloat32());
        Assert.Equal([1.5f, -2.25f, 1e10f, 3f], dict["f64"].ToFloat32());
        Assert.Throws<NotSupportedException>(() => dict["f64"].ToInt64());
    }

    [Fact]
    public void Load_StateDict_HasBatchNormBuffers()
    {
        TorchStateDict dict = TorchStateDict.Load(Fixture("conv_bn_linear.pt"));

        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "4.weight", "4.bias"], dict.Keys);
        Assert.Equal([1L], dict["1.num_batches_tracked"].ToInt64());
        Assert.Empty(dict["1.num_batches_tracked"].Shape);
        Assert.Equal([3, 4, 5], dict["0.weight"].ToTensor().Shape);
        Assert.False(dict["0.weight"].RequiresGrad);
        KeyNotFoundException missing = Assert.Throws<KeyNotFoundException>(() => dict["fc.weight"]);
        Assert.Contains("0.weight, 0.bias", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Checkpoint_IsFlattenedAndNavigable()
    {
        TorchStateDict checkpoint = TorchStateDict.Load(Fixture("checkpoint.pt"));
        TorchStateDict plain = TorchStateDict.Load(Fixture("conv_bn_linear.pt"));

        TorchStateDict model = checkpoint.Sub("model");
        Assert.Equal(plain.Keys, model.Keys);
        foreach ((string key, TorchTensor t) in plain)
        {
            Assert.Equal(t.ToFloat32(), model[key].ToFloat32());
        }

        Assert.True(checkpoint.ContainsKey("optimizer.state.0.momentum_buffer"));
        var root = Assert.IsType<TorchDictionary>(checkpoint.Root);
        Assert.Equal(3L, root["epoch"]);
        Assert.Equal(0.625, root["best"]);
        Assert.Equal("tiny", root["name"]);
        Assert.Null(root["note"]);
        var groups = Assert.IsType<IReadOnlyList<object?>>(Assert.IsType<TorchDictionary>(root["optimizer"])["param_groups"], exactMatch: false);
        var group = Assert.IsType<TorchDictionary>(groups[0]);
        Assert.Equal(0.1, group["lr"]);
        Assert.Equal(false, group["nesterov"]);
        Assert.IsType<TorchDictionary>(model.Root);
    }

    [Fact]
    public void Load_Parameter_IsMarked()
    {
        TorchTensor w = TorchStateDict.Load(Fixture("parameters.pt"))["w"];

        Assert.True(w.IsParameter);
        Assert.True(w.RequiresGrad);
        Assert.Equal([0.5f, -1f, 2f, 4f], w.ToFloat32());
    }

    [Fact]
    public void Load_LegacyFormat_IsRejectedClearly()
    {
        string path = Fixture("legacy.pt");

        ParseException ex = Assert.Throws<ParseException>(() => TorchStateDict.Load(path));

        Assert.Equal(path, ex.Path);
        Assert.Contains("legacy (pre-1.6) torch.save format", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BigEndianArchive_IsSwapped()
    {
        byte[] little = FloatStorage(4);
        byte[] big = [.. little];
        for (int i = 0; i < big.Length; i += 4)
        {
            big.AsSpan(i, 4).Reverse();
        }

        byte[] pickle = TensorPickle("FloatStorage", 4, 0, [2, 2], [2, 1]);
        byte[] zip = Zip(("archive/data.pkl", pickle), ("archive/byteorder", "big"u8.ToArray()), ("archive/data/0", big), ("archive/version", "3\n"u8.ToArray()));

        TorchStateDict dict = TorchStateDict.Read(new MemoryStream(zip), "big.pt");

        Assert.Equal([0f, 1f, 2f, 3f], dict["w"].ToFloat32());
    }

    [Fact]
    public void Read_HandBuiltTensorWithOffsetAndStride_GathersTheView()
    {
        // Storage 0..11 viewed as size (2, 3), stride (1, 4), offset 1: [[1, 5, 9], [2, 6, 10]].
        byte[] zip = Archive(TensorPickle("FloatStorage", 12, 1, [2, 3], [1, 4]), ("0", FloatStorage(12)));

        TorchStateDict dict = TorchStateDict.Read(new MemoryStream(zip), "view.pt");

        Assert.Equal([1f, 5f, 9f, 2f, 6f, 10f], dict["w"].ToFloat32());
        Assert.Equal("view.pt", dict.SourcePath);
    }

    [Theory]
    [InlineData("DoubleStorage", 8)]
    [InlineData("LongStorage", 8)]
    [InlineData("FloatStorage", 4)]
    [InlineData("IntStorage", 4)]
    [InlineData("HalfStorage", 2)]
    [InlineData("ShortStorage", 2)]
    [InlineData("ByteStorage", 1)]
    public void Read_TransposedViewOfEveryElementSize_GathersTheView(string storageType, int size)
    {
        // Storage 0..5 of the type, viewed as the transpose of a (2, 3) matrix: size (3, 2), stride (1, 3).
        var bytes = new byte[6 * size];
        for (int i = 0; i < 6; i++)
        {
            Span<byte> e = bytes.AsSpan(i * size, size);
            switch (storageType)
            {
                case "DoubleStorage": BitConverter.TryWriteBytes(e, (double)i); break;
                case "FloatStorage": BitConverter.TryWriteBytes(e, (float)i); break;
                case "HalfStorage": BitConverter.TryWriteBytes(e, (Half)i); break;
                default: e[0] = (byte)i; break; // little-endian integers
            }
        }

        byte[] zip = Archive(TensorPickle(storageType, 6, 0, [3, 2], [1, 3]), ("0", bytes));

        TorchTensor t = TorchStateDict.Read(new MemoryStream(zip), "t.pt")["w"];

        Assert.Equal([3, 2], t.Shape);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], t.ToFloat32());
    }
}
