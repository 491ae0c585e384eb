using System.Buffers.Binary;
using System.Text;
using SeqLens.IO;
using SeqLens.IO.Hdf5;

namespace SeqLens.Tests.IO.Hdf5;

/// <summary>
/// Corrupted copies of the fixtures: every problem must surface as a <see cref="ParseException"/> that names the
/// file, uses line 0 and gives the byte offset and the structure; nothing may hang or allocate absurd amounts.
/// </summary>
public class Hdf5MalformedTests
{
    private const string Name = "corrupt.h5";

    [Fact]
    public void BadSignature_Throws()
    {
        var bytes = Load("latest");
        bytes[1] = (byte)'X';
        AssertFails(bytes, "superblock", "no HDF5 signature");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(30)]
    public void TruncatedInsideSuperblock_Throws(int length)
    {
        var bytes = Load("latest").AsSpan(0, length).ToArray();
        AssertFails(bytes, "superblock", "");
    }

    [Theory]
    [InlineData("earliest")]
    [InlineData("latest")]
    public void Truncated_EndOfFileAddressBeyondLength_Throws(string fixture)
    {
        var bytes = Load(fixture);
        AssertFails(bytes.AsSpan(0, bytes.Length / 2).ToArray(), "superblock", "truncated");
    }

    [Theory]
    [InlineData("earliest")]
    [InlineData("v108")]
    [InlineData("latest")]
    public void Truncated_AtManyOffsetsWithConsistentSuperblock_ThrowsParseException(string fixture)
    {
        // NOTE: the superblock's end-of-file address is rewritten to the cut, so that reading gets past the
        // superblock check and fails on whichever structure or data the cut removed.
        var full = Load(fixture);
        int failures = 0;
        for (int i = 1; i <= 24; i++)
        {
            int cut = (int)((long)full.Length * i / 25);
            var bytes = full.AsSpan(0, cut).ToArray();
            SetEndOfFile(bytes, cut);
            var e = Record(bytes);
            if (e is not null)
            {
                AssertWellFormed(e);
                failures++;
            }
        }

        Assert.True(failures >= 20, $"only {failures} of 24 cuts were detected");
    }

    [Fact]
    public void SuperblockChecksum_Mismatch_Throws()
    {
        var bytes = Load("latest");
        bytes[30] ^= 0x01; // inside the end-of-file address
        AssertFails(bytes, "superblock", "checksum mismatch");
    }

    [Fact]
    public void ObjectHeaderV2Checksum_Mismatch_Throws()
    {
        var bytes = Load("latest");
        int at = Find(bytes, "OHDR", 0);
        bytes[at + 12] ^= 0x40;
        AssertFails(bytes, "object header v2", "checksum mismatch");
    }

    [Fact]
    public void RootObjectHeader_BadSignature_Throws()
    {
        var bytes = Load("latest");
        int at = Find(bytes, "OHDR", 0);
        bytes[at + 3] = (byte)'X';
        AssertFails(bytes, "object header", "OHDR");
    }

    [Theory]
    [InlineData("FRHP", 20, "fractal heap header")]
    [InlineData("BTHD", 8, "B-tree v2 header")]
    [InlineData("BTLF", 7, "B-tree v2 leaf node")]
    [InlineData("BTIN", 7, "B-tree v2 internal node")]
    [InlineData("FHIB", 6, "fractal heap indirect block")]
    [InlineData("EASB", 7, "extensible array secondary block")]
    [InlineData("FAHD", 9, "fixed array header")]
    [InlineData("FADB", 15, "fixed array data block")]
    [InlineData("EAHD", 14, "extensible array header")]
    [InlineData("EAIB", 15, "extensible array index block")]
    public void V2StructureChecksum_Mismatch_Throws(string signature, int offset, string structure)
    {
        var bytes = Load("latest");
        int at = Find(bytes, signature, 0);
        bytes[at + offset] ^= 0x10;
        AssertFails(bytes, structure, "");
    }

    [Theory]
    [InlineData("HEAP", "local heap")]
    [InlineData("SNOD", "symbol table node")]
    [InlineData("TREE", "B-tree v1 node")]
    [InlineData("GCOL", "global heap collection")]
    public void V1StructureSignature_Bad_Throws(string signature, string structure)
    {
        var bytes = Load("earliest");
        int at = Find(bytes, signature, 0);
        bytes[at] = (byte)'Z';
        AssertFails(bytes, structure, "bad signature");
    }

    [Fact]
    public void BTreeV1_CycleToItself_Throws()
    {
        var bytes = Load("earliest");
        int at = Find(bytes, "TREE", 0);
        Assert.Equal(0, bytes[at + 4]); // a group B-tree
        bytes[at + 5] = 1;              // pretend it is an internal node...
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + 24 + 8), at); // ...whose first child is itself
        AssertFails(bytes, "B-tree v1 node", "");
    }

    [Theory]
    [InlineData("earliest")]
    [InlineData("latest")]
    public void ObjectHeaderContinuation_Cycle_Throws(string fixture)
    {
        var bytes = Load(fixture);
        long patchAt, target;
        using (var file = Hdf5File.Open(new MemoryStream(bytes), Name))
        {
            var header = file.Root.Walk().Prepend(file.Root).Select(o => o.Header).First(h => h.Find(0x10) is not null);
            var continuation = header.Find(0x10)!;
            patchAt = continuation.Body.Origin;
            target = header.Version == 1 ? header.Address + 16 : header.Address;
        }

        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan((int)patchAt), target);
        if (fixture == "latest")
        {
            FixObjectHeaderChecksum(bytes, (int)patchAt);
        }

        var e = AssertFails(bytes, "continuation message", "cycle");
        Assert.Contains("continuation", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SoftLinkCycle_Throws()
    {
        using var file = Hdf5File.Open(new MemoryStream(File.ReadAllBytes(Hdf5FileTests.Fixture("soft_cycle.h5"))), "soft_cycle.h5");
        var e = Assert.Throws<ParseException>(() => file.Root.TryGet("a"));
        AssertWellFormed(e, "soft_cycle.h5");
        Assert.Contains("soft links", e.Message, StringComparison.Ordinal);
        Assert.Throws<ParseException>(() => file.Root.TryGet("self"));
        Assert.Throws<ParseException>(() => file.Root.Children);
        Assert.NotNull(file.Root.TryGet("real"));
    }

    [Theory]
    [InlineData("earliest", "data/f64_2d")]
    [InlineData("latest", "chunked/gzip_shuffle")]
    [InlineData("latest", "chunked/unlimited_2d")]
    public void AbsurdDimensions_ThrowWithoutAllocating(string fixture, string dataset)
    {
        var bytes = Load(fixture);
        long at;
        int version;
        using (var file = Hdf5File.Open(new MemoryStream(bytes), Name))
        {
            var body = file.Root.Dataset(dataset).Header.Find(0x01)!.Body;
            at = body.Origin;
            version = body.Data[0];
        }

        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan((int)at + (version == 1 ? 8 : 4)), 1L << 40);
        if (fixture == "latest")
        {
            FixObjectHeaderChecksum(bytes, (int)at);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        using var corrupt = Hdf5File.Open(new MemoryStream(bytes), Name);
        var e = Assert.Throws<ParseException>(() => corrupt.Root.Dataset(dataset).ReadFloat32());
        AssertWellFormed(e);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, "allocated more than 64 MB");
    }

    [Fact]
    public void ContiguousAddressOutsideFile_Throws()
    {
        var bytes = Load("earliest");
        long at;
        using (var file = Hdf5File.Open(new MemoryStream(bytes), Name))
        {
            at = file.Root.Dataset("data/f64_2d").Header.Find(0x08)!.Body.Origin;
        }

        Assert.Equal(3, bytes[at]);     // layout version 3
        Assert.Equal(1, bytes[at + 1]); // contiguous
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan((int)at + 2), bytes.Length + 100L);
        AssertFails(bytes, "data layout message", "outside the file", read: f => f.Root.Dataset("data/f64_2d").ReadFloat64());
    }

    [Fact]
    public void CorruptDeflateStream_Throws()
    {
        var bytes = Load("latest");
        long chunk;
        using (var file = Hdf5File.Open(new MemoryStream(bytes), Name))
        {
            var ds = file.Root.Dataset("chunked/single_chunk_gzip");
            Assert.Equal(Hdf5ChunkIndex.SingleChunk, ds.ChunkIndex);
            chunk = ds.Storage.Address;
        }

        bytes[chunk] = 0xFF; // zlib header: compression method 15 is invalid
        bytes[chunk + 1] = 0xFF;
        AssertFails(bytes, "deflate", "", read: f => f.Root.Dataset("chunked/single_chunk_gzip").ReadFloat32());
    }

    [Fact]
    public void Fletcher32Mismatch_Throws()
    {
        var bytes = Load("earliest");
        byte[] firstValues = [0, 0, 0, 0, 7, 0, 0, 0, 14, 0, 0, 0, 21, 0, 0, 0];
        int at = bytes.AsSpan().IndexOf(firstValues);
        Assert.True(at > 0);
        bytes[at + 4] = 8;
        AssertFails(bytes, "fletcher32", "checksum mismatch", read: f => f.Root.Dataset("chunked/fletcher").ReadInt64());
    }

    [Fact]
    public void UnknownDatatypeClass_Throws()
    {
        var bytes = Load("earliest");
        long at;
        using (var file = Hdf5File.Open(new MemoryStream(bytes), Name))
        {
            at = file.Root.Dataset("data/f64_2d").Header.Find(0x03)!.Body.Origin;
        }

        bytes[at] = 0x1F; // version 1, class 15
        AssertFails(bytes, "datatype message", "class 15", read: f => _ = f.Root.Dataset("data/f64_2d").DataType);
    }

    [Fact]
    public void AbsurdLocalHeapSize_ThrowsWithoutAllocating()
    {
        var bytes = Load("earliest");
        int at = Find(bytes, "HEAP", 0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at + 8), 1L << 42);
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertFails(bytes, "local heap data segment", "needs");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, "allocated more than 64 MB");
    }

    [Theory]
    [InlineData("earliest")]
    [InlineData("latest")]
    public void RandomByteFlips_OnlyEverThrowParseException(string fixture)
    {
        var full = Load(fixture);
        var rng = new Rng(20261122);
        for (int trial = 0; trial < 150; trial++)
        {
            var bytes = (byte[])full.Clone();
            for (int k = 0; k < 4; k++)
            {
                // NOTE: the superblock is left alone so that the corruption lands in deeper structures.
                int at = 64 + (int)(rng.NextUInt64() % (ulong)(bytes.Length - 64));
                bytes[at] ^= (byte)(1 + rng.NextUInt64() % 255);
            }

            try
            {
                ReadEverything(bytes);
            }
            catch (ParseException e)
            {
                AssertWellFormed(e);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"trial {trial}: {e.GetType().Name} instead of ParseException: {e}");
            }
        }
    }

    [Theory]
    [InlineData("earliest")]
    [InlineData("superblock1")]
    [InlineData("v108")]
    [InlineData("latest")]
    public void MetadataByteFlips_OnlyEverThrowParseException(string fixture)
    {
        // Flips aimed at metadata: a few bytes after a structure signature, or inside a version-1 object header.
        var full = Load(fixture);
        var targets = new List<int>();
        foreach (string sig in new[] { "OHDR", "OCHK", "TREE", "SNOD", "HEAP", "GCOL", "FRHP", "FHDB", "FHIB", "BTHD", "BTIN", "BTLF", "FAHD", "FADB", "EAHD", "EAIB", "EASB", "EADB" })
        {
            byte[] pattern = Encoding.ASCII.GetBytes(sig);
            for (int at = full.AsSpan().IndexOf(pattern); at >= 0;)
            {
                targets.Add(at);
                int next = full.AsSpan(at + 1).IndexOf(pattern);
                at = next < 0 ? -1 : at + 1 + next;
            }
        }

        Assert.NotEmpty(targets);
        var rng = new Rng(7);
        int trials = Environment.GetEnvironmentVariable("SEQLENS_HDF5_FUZZ") is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 200;
        for (int trial = 0; trial < trials; trial++)
        {
            var bytes = (byte[])full.Clone();
            int baseAt = targets[(int)(rng.NextUInt64() % (ulong)targets.Count)];
            int at = Math.Min(bytes.Length - 1, baseAt + (int)(rng.NextUInt64() % 96));
            bytes[at] ^= (byte)(1 + rng.NextUInt64() % 255);
            try
            {
                ReadEverything(bytes);
            }
            catch (ParseException e)
            {
                AssertWellFormed(e);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"trial {trial} (byte {at}): {e.GetType().Name} instead of ParseException: {e}");
            }
        }
    }

    private static byte[] Load(string fixture) => File.ReadAllBytes(Hdf5FileTests.Fixture(fixture + ".h5"));

    private static int Find(byte[] bytes, string signature, int from)
    {
        int at = bytes.AsSpan(from).IndexOf(Encoding.ASCII.GetBytes(signature));
        Assert.True(at >= 0, signature + " not found");
        return from + at;
    }

    private static ParseException AssertFails(byte[] bytes, string structure, string reason, Action<Hdf5File>? read = null)
    {
        var e = Record(bytes, read) ?? throw new Xunit.Sdk.XunitException("no ParseException");
        AssertWellFormed(e);
        Assert.Contains(structure, e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        return e;
    }

    private static ParseException? Record(byte[] bytes, Action<Hdf5File>? read = null)
    {
        try
        {
            using var file = Hdf5File.Open(new MemoryStream(bytes), Name);
            (read ?? ReadEverything)(file);
            return null;
        }
        catch (ParseException e)
        {
            return e;
        }
    }

    private static void AssertWellFormed(ParseException e, string name = Name)
    {
        Assert.Equal(name, e.Path);
        Assert.Equal(0, e.Line);
        Assert.StartsWith(name + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(" at byte offset ", e.Message, StringComparison.Ordinal);
    }

    private static void ReadEverything(byte[] bytes)
    {
        using var file = Hdf5File.Open(new MemoryStream(bytes), Name);
        ReadEverything(file);
    }

    private static void ReadEverything(Hdf5File file)
    {
        ReadAttributes(file.Root);
        foreach (var o in file.Root.Walk())
        {
            ReadAttributes(o);
            if (o is Hdf5Dataset d)
            {
                try
                {
                    if (d.DataType.IsString)
                    {
                        d.ReadStrings();
                    }
                    else
                    {
                        d.ReadFloat64();
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
                {
                    // A corrupted type may legitimately be one the reader cannot convert; that is not a parse error.
                }
            }
        }
    }

    private static void ReadAttributes(Hdf5Object o)
    {
        foreach (var a in o.Attributes.Values)
        {
            try
            {
                if (a.DataType.IsString)
                {
                    a.ReadStrings();
                }
                else
                {
                    a.ReadFloat64();
                }
            }
            catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
            {
            }
        }
    }

    private static void SetEndOfFile(byte[] bytes, long length)
    {
        int version = bytes[8];
        if (version <= 1)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(40), length);
            return;
        }

        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(28), length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(44), Lookup3.Hash(bytes.AsSpan(0, 44)));
    }

    /// <summary>Recomputes the checksum of the version-2 object header whose chunk 0 contains <paramref name="inside"/>.</summary>
    private static void FixObjectHeaderChecksum(byte[] bytes, int inside)
    {
        int start = bytes.AsSpan(0, inside).LastIndexOf("OHDR"u8);
        byte flags = bytes[start + 5];
        int at = start + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int sizeBytes = 1 << (flags & 0x03);
        long size = 0;
        for (int i = sizeBytes - 1; i >= 0; i--)
        {
            size = (size << 8) | bytes[at + i];
        }

        int end = at + sizeBytes + (int)size;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(end), Lookup3.Hash(bytes.AsSpan(start, end - start)));
    }
}
