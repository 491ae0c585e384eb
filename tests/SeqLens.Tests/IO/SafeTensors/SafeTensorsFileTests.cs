using System.Buffers.Binary;
using System.Text;
using SeqLens.IO;
using SeqLens.IO.SafeTensors;

namespace SeqLens.Tests.IO.SafeTensors;

public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("seqlens-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_ExactBytes_SortedAlignedSpacePadded()
    {
        using var stream = new MemoryStream();
        SafeTensorsFile.Write(stream, [new("b", Tensor.FromValues([1.5f], 1)), new("a", Tensor.FromValues([1f, -2f], 2, 1))]);
        byte[] bytes = stream.ToArray();
        const string json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        string padded = json + new string(' ', (8 - (json.Length % 8)) % 8);
        Assert.Equal((ulong)padded.Length, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(0, (8 + padded.Length) % 8);
        Assert.Equal(padded, Encoding.UTF8.GetString(bytes, 8, padded.Length));
        int data = 8 + padded.Length;
        Assert.Equal(new[] { 1f, -2f, 1.5f }, Enumerable.Range(0, 3).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(data + (4 * i)))));
        Assert.Equal(data + 12, bytes.Length);
    }

    [Fact]
    public void WriteRead_RoundTripsValuesShapesAndMetadata()
    {
        string path = Path.Combine(_dir, "w.safetensors");
        var rng = new Rng(1);
        var big = new Tensor(3, 4, 5);
        for (int i = 0; i < big.Length; i++)
        {
            big.Data[i] = (float)rng.NextGaussian();
        }

        SafeTensorsFile.Write(path, [new("conv.weight", big), new("conv.bias", new Tensor(3)), new("scalar", Tensor.FromValues([7f]))], new Dictionary<string, string> { ["format"] = "pt" });
        SafeTensorsContent c = SafeTensorsFile.Read(path);
        Assert.Equal(["conv.bias", "conv.weight", "scalar"], c.Tensors.Keys);
        Assert.Equal(big.Data, c.Tensors["conv.weight"].Data);
        Assert.Equal(new[] { 3, 4, 5 }, c.Tensors["conv.weight"].Shape);
        Assert.Empty(c.Tensors["scalar"].Shape);
        Assert.Equal("pt", c.Metadata["format"]);
        Assert.All(c.DataTypes.Values, d => Assert.Equal("F32", d));
    }

    [Fact]
    public void Read_HalfBFloatAndDouble_ConvertToFloat()
    {
        var data = new List<byte>();
        void U16(ushort v) => data.AddRange(BitConverter.GetBytes(v));
        U16(BitConverter.HalfToUInt16Bits((Half)1.5f));
        U16(BitConverter.HalfToUInt16Bits((Half)(-0.25f)));
        U16((ushort)(BitConverter.SingleToUInt32Bits(3.0f) >> 16));
        data.AddRange(BitConverter.GetBytes(0.1));
        string header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"bf\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]},\"d\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[6,14]}}";
        string path = WriteRaw("mixed.safetensors", header, data.ToArray());
        SafeTensorsContent c = SafeTensorsFile.Read(path);
        Assert.Equal(new[] { 1.5f, -0.25f }, c.Tensors["h"].Data);
        Assert.Equal(3.0f, c.Tensors["bf"].Data[0]);
        Assert.Equal(0.1f, c.Tensors["d"].Data[0]);
        Assert.Equal("BF16", c.DataTypes["bf"]);
    }

    public static TheoryData<string, string, int, string> Malformed => new()
    {
        { "not JSON", "{\"a\": {", 4, "not valid JSON" },
        { "array header", "[1, 2]", 0, "must be a JSON object" },
        { "unsupported dtype", "{\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "'a': dtype 'I32' is not supported" },
        { "missing shape", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "'a': missing or non-array 'shape'" },
        { "negative dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "'a': shape entries must be non-negative" },
        { "offsets past end", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "'a': data_offsets [0, 8] fall outside the 4-byte data block" },
        { "size mismatch", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "'a': F32 shape (2) needs 8 bytes" },
        { "overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "overlaps" },
        { "gap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "belong to no tensor (before 'a')" },
        { "trailing bytes", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12, "has 12 bytes but the tensors cover 4" },
        { "duplicate name", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "lists 'a' twice" },
        { "metadata not strings", "{\"__metadata__\":{\"n\":3}}", 0, "entry 'n' must be a string" },
        { "offsets not integers", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",4]}}", 4, "'a': 'data_offsets' must be [begin, end]" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_MalformedHeader_ParseExceptionNamingFileAndProblem(string what, string header, int dataBytes, string expected)
    {
        string path = WriteRaw(what.Replace(' ', '_') + ".safetensors", header, new byte[dataBytes]);
        var ex = Assert.Throws<ParseException>(() => SafeTensorsFile.Read(path));
        Assert.Equal(path, ex.Path);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Read_ShorterThanLengthField_Throws(int size)
    {
        string path = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(path, new byte[size]);
        var ex = Assert.Throws<ParseException>(() => SafeTensorsFile.Read(path));
        Assert.Contains($"has {size} bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderLengthBeyondFile_SaysTruncated()
    {
        string path = Path.Combine(_dir, "huge.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 40);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<ParseException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedValidFile_NamesTensor()
    {
        string path = Path.Combine(_dir, "cut.safetensors");
        SafeTensorsFile.Write(path, [new("w", new Tensor(4, 4))]);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        var ex = Assert.Throws<ParseException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RandomGarbage_NeverCrashesWithOtherExceptions()
    {
        var rng = new Rng(3);
        string path = Path.Combine(_dir, "fuzz.safetensors");
        using var good = new MemoryStream();
        SafeTensorsFile.Write(good, [new("a", new Tensor(2, 3)), new("b", new Tensor(5))]);
        byte[] original = good.ToArray();
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            int flips = 1 + rng.NextInt(4);
            for (int f = 0; f < flips; f++)
            {
                bytes[rng.NextInt(Math.Min(bytes.Length, 8 + 120))] = (byte)rng.NextInt(256);
            }

            int length = trial % 3 == 0 ? rng.NextInt(bytes.Length + 1) : bytes.Length;
            File.WriteAllBytes(path, bytes[..length]);
            try
            {
                SafeTensorsFile.Read(path);
            }
            catch (ParseException ex)
            {
                Assert.Equal(path, ex.Path);
            }
        }
    }

    private string WriteRaw(string name, string header, byte[] data)
    {
        string path = Path.Combine(_dir, name);
        byte[] h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + h.Length);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
