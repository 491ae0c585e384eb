using SeqLens.IO;
using SeqLens.IO.Onnx;
using static SeqLens.Tests.IO.Onnx.ProtoBytes;

namespace SeqLens.Tests.IO.Onnx;

public class OnnxMalformedTests
{
    private const string Name = "bad.onnx";
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Onnx");

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(600)]
    [InlineData(-1)]
    public void Parse_TruncatedFile_ThrowsNamingPathAndOffset(int cut)
    {
        byte[] full = File.ReadAllBytes(Path.Combine(Dir, "cnn_opset13.onnx"));
        byte[] truncated = full[..(cut < 0 ? full.Length + cut : cut)];

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(truncated, Name));

        Assert.Equal(Name, ex.Path);
        Assert.Contains("byte ", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EveryPrefixOfAModel_NeverCrashes()
    {
        byte[] full = File.ReadAllBytes(Path.Combine(Dir, "softmax_opset11.onnx"));
        for (int cut = 0; cut < full.Length; cut++)
        {
            // Each prefix is either rejected with a ParseException or (when cut at a field boundary after the graph)
            // decodes; nothing else may escape.
            try
            {
                OnnxModel.Parse(full[..cut], Name);
            }
            catch (ParseException ex)
            {
                Assert.Equal(Name, ex.Path);
            }
        }
    }

    [Fact]
    public void Parse_VarintLongerThanTenBytes_Throws()
    {
        byte[] bytes = [0x08, .. Enumerable.Repeat((byte)0xFF, 11)];

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(bytes, Name));

        Assert.Contains("byte 0 in ModelProto field 1: varint longer than 10 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TruncatedVarint_Throws()
    {
        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse([0x08, 0x80, 0x80], Name));

        Assert.Contains("truncated varint", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LengthBeyondTheEnd_ThrowsWithoutAllocating()
    {
        // Field 7 (graph) claims 2^40 bytes.
        byte[] bytes = Concat(VarintField(1, 7), Tag(7, 2), Varint(1UL << 40), [1, 2, 3]);

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(bytes, Name));

        Assert.Contains("byte 2 in ModelProto field 7: length 1099511627776 exceeds the 3 bytes left", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestedLengthBeyondItsParent_Throws()
    {
        // The graph is 4 bytes long, but its name field claims 10 (more than the graph, fewer than the file).
        byte[] graph = [.. Tag(2, 2), .. Varint(10), 0x41, 0x42];
        byte[] bytes = Concat(BytesField(7, graph), new byte[20]);

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(bytes, Name));

        Assert.Contains("in GraphProto field 2: length 10 exceeds the 2 bytes left", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestingDeeperThanTheLimit_Throws()
    {
        byte[] graph = StringField(2, "leaf");
        for (int i = 0; i < 30; i++)
        {
            byte[] attribute = Concat(StringField(1, "then_branch"), VarintField(20, 5), BytesField(6, graph));
            byte[] node = Concat(StringField(4, "If"), BytesField(5, attribute));
            graph = BytesField(1, node);
        }

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(BytesField(7, graph), Name));

        Assert.Contains("messages nest deeper than 64 levels", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x0E, 0x00 }, "invalid wire type 6")]
    [InlineData(new byte[] { 0x9B, 0x06, 0x00 }, "groups (wire types 3 and 4) are not supported")]
    [InlineData(new byte[] { 0x00, 0x00 }, "invalid field number 0")]
    [InlineData(new byte[] { 0x0A, 0x00 }, "wire type LengthDelimited where Varint was expected")]
    public void Parse_BadTag_Throws(byte[] bytes, string expected)
    {
        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(bytes, Name));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyOrForeignFile_SaysNoGraph()
    {
        ParseException empty = Assert.Throws<ParseException>(() => OnnxModel.Parse([], Name));
        Assert.Contains("ModelProto has no graph", empty.Message, StringComparison.Ordinal);

        // A zip file (a .pt) given to the ONNX reader.
        byte[] zip = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Torch", "parameters.pt"));
        ParseException foreign = Assert.Throws<ParseException>(() => OnnxModel.Parse(zip, Name));
        Assert.Equal(Name, foreign.Path);
    }

    [Fact]
    public void Parse_RawDataShorterThanDims_Throws()
    {
        byte[] tensor = Concat(VarintField(1, 3), VarintField(2, 1), StringField(8, "w"), BytesField(9, new byte[8]));

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(ModelWithInitializer(tensor), Name));

        Assert.Contains("tensor 'w' (Float, dimensions (3)) needs 12 bytes of raw_data; the file has 8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TypedValuesCountMismatch_Throws()
    {
        byte[] tensor = Concat(VarintField(1, 2), VarintField(1, 2), VarintField(2, 7), StringField(8, "shape"), VarintField(7, 1));

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(ModelWithInitializer(tensor), Name));

        Assert.Contains("tensor 'shape' (Int64, dimensions (2, 2)) needs 4 values; int64_data has 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HugeDimsWithoutData_ThrowsWithoutAllocating()
    {
        byte[] tensor = Concat(VarintField(1, 1L << 40), VarintField(1, 1L << 20), VarintField(2, 1), StringField(8, "big"));

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(ModelWithInitializer(tensor), Name));

        Assert.Contains("needs 1152921504606846976 values; float_data has 0 (and there is no raw_data)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(99, "unknown data type 99")]
    [InlineData(0, "unknown data type 0")]
    public void Parse_UnknownDataType_Throws(int dataType, string expected)
    {
        byte[] tensor = Concat(VarintField(1, 1), VarintField(2, dataType), StringField(8, "odd"), BytesField(9, new byte[4]));

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(ModelWithInitializer(tensor), Name));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NegativeOrOverflowingDims_Throw()
    {
        byte[] negative = Concat(VarintField(1, -2), VarintField(2, 1), StringField(8, "neg"));
        byte[] overflow = Concat(VarintField(1, 1L << 40), VarintField(1, 1L << 40), VarintField(2, 1), StringField(8, "ovf"));

        Assert.Contains("negative dimension -2", Assert.Throws<ParseException>(() => OnnxModel.Parse(ModelWithInitializer(negative), Name)).Message, StringComparison.Ordinal);
        Assert.Contains("whose product overflows", Assert.Throws<ParseException>(() => OnnxModel.Parse(ModelWithInitializer(overflow), Name)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PackedFloatsNotMultipleOfFour_Throws()
    {
        byte[] tensor = Concat(VarintField(1, 1), VarintField(2, 1), BytesField(4, new byte[5]));

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(ModelWithInitializer(tensor), Name));

        Assert.Contains("in TensorProto field 4: packed field of 5 bytes is not a multiple of 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NodeWithoutOpType_Throws()
    {
        byte[] bytes = BytesField(7, BytesField(1, StringField(3, "anonymous")));

        ParseException ex = Assert.Throws<ParseException>(() => OnnxModel.Parse(bytes, Name));

        Assert.Contains("node 'anonymous' has no op_type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownFields_AreSkipped()
    {
        byte[] bytes = Concat(
            VarintField(1, 8),
            [.. Tag(99, 1), .. new byte[8]],
            [.. Tag(98, 5), .. new byte[4]],
            StringField(97, "future"),
            BytesField(7, Concat(StringField(2, "g"), VarintField(50, 1))));

        OnnxModel model = OnnxModel.Parse(bytes, Name);

        Assert.Equal(8, model.IrVersion);
        Assert.Equal("g", model.Graph.Name);
    }
}
