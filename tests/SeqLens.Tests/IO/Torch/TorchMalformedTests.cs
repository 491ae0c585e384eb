using System.Buffers.Binary;
using SeqLens.IO;
using SeqLens.IO.Torch;
using static SeqLens.Tests.IO.Torch.TorchFiles;

namespace SeqLens.Tests.IO.Torch;

public class TorchMalformedTests
{
    private const string Name = "bad.pt";

    private static ParseException Reject(byte[] bytes)
    {
        ParseException ex = Assert.Throws<ParseException>(() => TorchStateDict.Read(new MemoryStream(bytes), Name));
        Assert.Equal(Name, ex.Path);
        return ex;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(40)]
    [InlineData(500)]
    [InlineData(-22)]
    [InlineData(-1)]
    public void Read_TruncatedArchive_Throws(int cut)
    {
        byte[] full = File.ReadAllBytes(Fixture("conv_bn_linear.pt"));

        Reject(full[..(cut < 0 ? full.Length + cut : cut)]);
    }

    [Fact]
    public void Read_EveryTruncationOfTheArchive_NeverCrashes()
    {
        byte[] full = File.ReadAllBytes(Fixture("parameters.pt"));
        for (int cut = 0; cut < full.Length; cut += 7)
        {
            Reject(full[..cut]);
        }
    }

    [Fact]
    public void Read_CorruptZip_Throws()
    {
        byte[] bytes = File.ReadAllBytes(Fixture("parameters.pt"));
        // Overwrite the end-of-central-directory record's offset of the central directory.
        int eocd = bytes.Length - 22;
        Assert.Equal(0x06054b50u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(eocd)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(eocd + 16), 0x7FFF0000);

        Assert.Contains("corrupt zip archive", Reject(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StorageBytesCorrupted_FailsTheCrcCheck()
    {
        byte[] bytes = File.ReadAllBytes(Fixture("parameters.pt"));
        byte[] storage = Entries("parameters.pt").Single(e => e.Name.EndsWith("/data/0", StringComparison.Ordinal)).Bytes;
        int at = bytes.AsSpan().IndexOf(storage);
        bytes[at] ^= 0xFF;

        Assert.Contains("corrupt zip archive", Reject(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotAZipOrEmpty_SaysWhatWasExpected()
    {
        Assert.Contains("not a zip archive", Reject("hello, world"u8.ToArray()).Message, StringComparison.Ordinal);
        Assert.Contains("empty file", Reject([]).Message, StringComparison.Ordinal);
        byte[] onnx = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Onnx", "cnn_opset11.onnx"));
        Assert.Contains("not a zip archive", Reject(onnx).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ZipWithoutDataPkl_Throws()
    {
        byte[] zip = Zip(("archive/version", "3\n"u8.ToArray()), ("archive/model.pkl", [0x80, 0x02, (byte)'N', (byte)'.']));

        Assert.Contains("has no '<name>/data.pkl' entry (it has 2 entries: 'archive/version', 'archive/model.pkl')", Reject(zip).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TorchScriptArchive_IsRejectedClearly()
    {
        byte[] zip = Zip(("m/data.pkl", [0x80, 0x02, (byte)'N', (byte)'.']), ("m/code/__torch__.py", "def forward(self): pass"u8.ToArray()), ("m/constants.pkl", [0x80, 0x02, (byte)')', (byte)'.']));

        Assert.Contains("TorchScript archive", Reject(zip).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingStorageEntry_Throws()
    {
        byte[] zip = Archive(TensorPickle("FloatStorage", 4, 0, [4], [1], key: "7"), ("0", FloatStorage(4)));

        Assert.Contains("storage '7' (Float32, 4 elements) has no entry 'archive/data/7'", Reject(zip).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StorageEntryShorterThanDeclared_Throws()
    {
        byte[] zip = Archive(TensorPickle("FloatStorage", 6, 0, [6], [1]), ("0", FloatStorage(5)));

        Assert.Contains("storage '0' (Float32, 6 elements) needs 24 bytes; entry 'archive/data/0' has 20", Reject(zip).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, new[] { 5 }, new[] { 1 }, "reads element 4 of storage '0', which has 4 Float32 elements")]
    [InlineData(2, new[] { 3 }, new[] { 1 }, "reads element 4 of storage '0'")]
    [InlineData(0, new[] { 2, 2 }, new[] { 3, 1 }, "reads element 4 of storage '0'")]
    [InlineData(0, new[] { 2, 2, 2 }, new[] { int.MaxValue, int.MaxValue, int.MaxValue }, "reads element 6442450941 of storage '0'")]
    [InlineData(0, new[] { 2 }, new[] { -1 }, "must be non-negative integers")]
    [InlineData(0, new[] { -2 }, new[] { 1 }, "must be non-negative integers")]
    [InlineData(0, new[] { 2, 2 }, new[] { 1 }, "size has 2 dimensions but stride has 1")]
    [InlineData(-1, new[] { 2 }, new[] { 1 }, "at offset -1")]
    public void Read_ViewOutsideItsStorage_Throws(int offset, int[] size, int[] stride, string expected)
    {
        byte[] zip = Archive(TensorPickle("FloatStorage", 4, offset, size, stride), ("0", FloatStorage(4)));

        Assert.Contains(expected, Reject(zip).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HugeDeclaredSizes_ThrowWithoutAllocating()
    {
        // 2^31-1 x 2^31-1 elements of a 4-element storage, and a storage that claims 2^31 elements.
        byte[] view = Archive(TensorPickle("FloatStorage", 4, 0, [int.MaxValue, int.MaxValue], [0, 0]), ("0", FloatStorage(4)));
        byte[] storage = Archive(TensorPickle("DoubleStorage", int.MaxValue, 0, [1], [1]), ("0", FloatStorage(4)));

        Assert.Contains("too large to hold in memory", Reject(view).Message, StringComparison.Ordinal);
        Assert.Contains("storage '0' (Float64, 2147483647 elements) is too large to hold in memory", Reject(storage).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EntryDeclaringAnAbsurdLength_ThrowsBeforeAllocating()
    {
        // The pickle declares 0x7FFF0000 / 4 floats, consistent with the patched header below.
        byte[] bytes = Archive(TensorPickle("FloatStorage", 0x7FFF0000 / 4, 0, [4], [1]), ("0", FloatStorage(4)));
        // Patch the central-directory uncompressed size of archive/data/0 to 2 GB (stored entry of 16 bytes).
        byte[] name = "archive/data/0"u8.ToArray();
        int central = bytes.AsSpan().LastIndexOf(name) - 46;
        Assert.Equal(0x02014b50u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(central)));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(central + 24), 0x7FFF0000);

        string message = Reject(bytes).Message;
        Assert.True(message.Contains("declares 2147418112 bytes (16 compressed)", StringComparison.Ordinal), message);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'}' }, "the pickle ends without a STOP opcode (truncated)")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'X', 0xFF, 0xFF, 0xFF, 0x7F, (byte)'a' }, "needs 2147483647 bytes; only 1 left (truncated)")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'s', (byte)'.' }, "stack underflow")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'h', 0x05, (byte)'.' }, "memo entry 5 was never stored")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'N', (byte)'N', (byte)'.' }, "STOP with 2 values on the stack")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'t', (byte)'.' }, "needs a MARK and there is none")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'N', (byte)'N', (byte)'N', (byte)'s', (byte)'.' }, "SETITEM(S) on something that is not a dict")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'}', (byte)']', (byte)'K', 0x01, (byte)'s', (byte)'.' }, "dictionary key of type list is not supported")]
    [InlineData(new byte[] { 0x80, 0x02, 0x8a, 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9, (byte)'.' }, "LONG1 of 9 bytes does not fit in 64 bits")]
    [InlineData(new byte[] { 0x80, 0x07, (byte)'N', (byte)'.' }, "pickle protocol 7 is not supported")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'S', (byte)'\'', (byte)'x', (byte)'\'', (byte)'\n', (byte)'.' }, "opcode 0x53 ('S') is not allowed")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'c', (byte)'o', (byte)'s' }, "GLOBAL name without a newline")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'X', 2, 0, 0, 0, 0xC3, 0x28, (byte)'.' }, "invalid UTF-8")]
    public void Read_MalformedPickle_Throws(byte[] pickle, string expected)
    {
        ParseException ex = Reject(Archive(pickle));

        Assert.Contains("archive/data.pkl byte ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownPersistentId_Throws()
    {
        byte[] pickle = [0x80, 0x02, (byte)'(', .. Unicode("module"), .. Unicode("x"), (byte)'t', (byte)'Q', (byte)'.'];

        Assert.Contains("is not ('storage', type, key, location, numel)", Reject(Archive(pickle)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StorageKeyWithPath_IsRejected()
    {
        byte[] zip = Archive(TensorPickle("FloatStorage", 4, 0, [4], [1], key: "../../etc/passwd"), ("0", FloatStorage(4)));

        Assert.Contains("is not a plain entry name", Reject(zip).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SelfReferencingList_StopsAtTheDepthLimit()
    {
        // l = []; l.append(l)
        byte[] pickle = [0x80, 0x02, (byte)']', (byte)'q', 0x00, (byte)'h', 0x00, (byte)'a', (byte)'.'];

        Assert.Contains("containers nest deeper than 64 levels", Reject(Archive(pickle)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadByteOrderEntry_Throws()
    {
        byte[] zip = Zip(("archive/data.pkl", [0x80, 0x02, (byte)'N', (byte)'.']), ("archive/byteorder", "middle"u8.ToArray()));

        Assert.Contains("says byte order 'middle'", Reject(zip).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SameStorageWithTwoTypes_Throws()
    {
        // Two tensors over storage "0": once as 4 floats, once as 2 doubles.
        byte[] first = TensorPickle("FloatStorage", 4, 0, [4], [1]);
        byte[] second = TensorPickle("DoubleStorage", 2, 0, [2], [1]);
        byte[] secondEntry = second[4..^2]; // X"w" ... R (skip PROTO, '}', '(' and the trailing 'u' '.')
        byte[] pickle = [.. first[..^2], .. Unicode("v"), .. secondEntry[Unicode("w").Length..], (byte)'u', (byte)'.'];

        Assert.Contains("storage '0' is used with two different sizes or types", Reject(Archive(pickle, ("0", FloatStorage(4)))).Message, StringComparison.Ordinal);
    }
}
