using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace SeqLens.IO.Torch;

/// <summary>
/// The zip container of <c>torch.save</c> (PyTorch 1.6 and later): finds <c>&lt;name&gt;/data.pkl</c>, reads
/// storages from <c>&lt;name&gt;/data/&lt;key&gt;</c> with size checks before allocating, honours
/// <c>&lt;name&gt;/byteorder</c>, and recognises the formats it cannot read (legacy pickle stream, legacy tar,
/// TorchScript) to say so.
/// </summary>
internal static class TorchArchive
{
    /// <summary>Largest <c>data.pkl</c> accepted, 64 MiB.</summary>
    /// <remarks>
    /// NOTE: a state dict's pickle holds names and storage references only (about 100 bytes per tensor, so a few MB
    /// for the largest models); the cap bounds the memory that a hostile pickle of one-byte container opcodes
    /// could make the unpickler allocate.
    /// </remarks>
    private const long MaxPickleBytes = 64L << 20;

    public static object? ReadRoot(Stream stream, string path)
    {
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        CheckSignature(stream, path);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new ParseException(path, 0, 0, "corrupt zip archive: " + ex.Message, ex);
        }

        using (zip)
        {
            try
            {
                return ReadRoot(zip, path);
            }
            catch (InvalidDataException ex)
            {
                throw new ParseException(path, 0, 0, "corrupt zip archive: " + ex.Message, ex);
            }
        }
    }

    private static void CheckSignature(Stream stream, string path)
    {
        long start = stream.Position;
        Span<byte> head = stackalloc byte[4];
        int n = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = start;
        if (n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] is 3 or 5)
        {
            return;
        }

        if (n >= 2 && head[0] == 0x80 && head[1] <= 5)
        {
            throw new ParseException(path, 0, 0, "this is the legacy (pre-1.6) torch.save format, a raw pickle stream, which is not supported; "
                + "if you trust the file, re-save it with torch.save(torch.load(path), path) in PyTorch 1.6 or later (zip format)");
        }

        if (stream.Length - start > 262)
        {
            var magic = new byte[5];
            stream.Position = start + 257;
            stream.ReadExactly(magic);
            stream.Position = start;
            if (magic.AsSpan().SequenceEqual("ustar"u8))
            {
                throw new ParseException(path, 0, 0, "this is the legacy tar torch.save format (PyTorch 0.x), which is not supported; re-save it with PyTorch 1.6 or later");
            }
        }

        throw new ParseException(path, 0, 0, n == 0 ? "empty file; expected a torch.save zip archive" : "not a zip archive (no 'PK' signature); expected a torch.save file from PyTorch 1.6 or later");
    }

    private static object? ReadRoot(ZipArchive zip, string path)
    {
        var pickles = zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)
            && e.FullName.IndexOf('/', StringComparison.Ordinal) == e.FullName.Length - "/data.pkl".Length).ToList();
        if (pickles.Count == 0)
        {
            string names = string.Join(", ", zip.Entries.Take(5).Select(e => "'" + e.FullName + "'"));
            throw new ParseException(path, 0, 0, $"the zip archive has no '<name>/data.pkl' entry (it has {zip.Entries.Count.ToString(CultureInfo.InvariantCulture)} entries: {names}); not a torch.save file");
        }

        if (pickles.Count > 1)
        {
            throw new ParseException(path, 0, 0, $"the zip archive has {pickles.Count.ToString(CultureInfo.InvariantCulture)} data.pkl entries; expected one");
        }

        ZipArchiveEntry pickle = pickles[0];
        string prefix = pickle.FullName[..^"data.pkl".Length];
        if (zip.GetEntry(prefix + "constants.pkl") is not null || zip.Entries.Any(e => e.FullName.StartsWith(prefix + "code/", StringComparison.Ordinal)))
        {
            throw new ParseException(path, 0, 0, "this is a TorchScript archive (torch.jit.save), which holds code; save model.state_dict() with torch.save instead");
        }

        bool bigEndian = false;
        if (zip.GetEntry(prefix + "byteorder") is ZipArchiveEntry order)
        {
            string text = Encoding.ASCII.GetString(ReadEntry(order, 16, path)).Trim();
            bigEndian = text switch
            {
                "little" => false,
                "big" => true,
                _ => throw new ParseException(path, 0, 0, $"entry '{order.FullName}' says byte order '{text}'; expected 'little' or 'big'"),
            };
        }

        byte[] pkl = ReadEntry(pickle, MaxPickleBytes, path);
        var storages = new Dictionary<string, (StorageRef Ref, byte[] Bytes)>(StringComparer.Ordinal);
        var unpickler = new RestrictedUnpickler(pkl, path, pickle.FullName, (storage, opOffset) =>
        {
            if (storages.TryGetValue(storage.Key, out (StorageRef Ref, byte[] Bytes) cached))
            {
                // NOTE: torch.save refuses to save one storage viewed as two dtypes, so a file that does is corrupt.
                return cached.Ref.DType == storage.DType && cached.Ref.ElementCount == storage.ElementCount
                    ? cached.Bytes
                    : throw new ParseException(path, 0, 0, $"{pickle.FullName} byte {opOffset.ToString(CultureInfo.InvariantCulture)}: storage '{storage.Key}' is used with two different sizes or types");
            }

            byte[] bytes = ReadStorage(zip, prefix, storage, bigEndian, path, pickle.FullName, opOffset);
            storages[storage.Key] = (storage, bytes);
            return bytes;
        });
        return unpickler.Load();
    }

    private static byte[] ReadStorage(ZipArchive zip, string prefix, StorageRef storage, bool bigEndian, string path, string pickleName, int opOffset)
    {
        string name = prefix + "data/" + storage.Key;
        string where = $"{pickleName} byte {opOffset.ToString(CultureInfo.InvariantCulture)}: storage '{storage.Key}' ({storage.DType}, {storage.ElementCount.ToString(CultureInfo.InvariantCulture)} elements)";
        ZipArchiveEntry entry = zip.GetEntry(name)
            ?? throw new ParseException(path, 0, 0, $"{where} has no entry '{name}' in the archive");
        int size = TorchTensor.ElementSize(storage.DType);
        if (storage.ElementCount > Array.MaxLength / size)
        {
            throw new ParseException(path, 0, 0, $"{where} is too large to hold in memory");
        }

        long expected = storage.ElementCount * size;
        if (entry.Length != expected)
        {
            throw new ParseException(path, 0, 0, $"{where} needs {expected.ToString(CultureInfo.InvariantCulture)} bytes; entry '{name}' has {entry.Length.ToString(CultureInfo.InvariantCulture)}");
        }

        byte[] bytes = ReadEntry(entry, expected, path);
        if (bigEndian && size > 1)
        {
            for (int i = 0; i < bytes.Length; i += size)
            {
                bytes.AsSpan(i, size).Reverse();
            }
        }

        return bytes;
    }

    /// <summary>Reads a whole entry, refusing declared sizes above <paramref name="limit"/> or beyond what deflate can produce.</summary>
    private static byte[] ReadEntry(ZipArchiveEntry entry, long limit, string path)
    {
        long length = entry.Length;
        // NOTE: deflate expands at most ~1032:1; a larger declared ratio is a lie (or a bomb), so refuse it before allocating.
        if (length > limit || length > Array.MaxLength || length > (1032 * Math.Max(entry.CompressedLength, 1)) + 4096)
        {
            throw new ParseException(path, 0, 0, $"entry '{entry.FullName}' declares {length.ToString(CultureInfo.InvariantCulture)} bytes "
                + $"({entry.CompressedLength.ToString(CultureInfo.InvariantCulture)} compressed), more than expected");
        }

        var bytes = new byte[length];
        using Stream s = entry.Open();
        int read = s.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read != bytes.Length || s.ReadByte() >= 0)
        {
            throw new ParseException(path, 0, 0, $"entry '{entry.FullName}' holds a different number of bytes than its header's {length.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Crc32(bytes) != entry.Crc32)
        {
            throw new ParseException(path, 0, 0, $"corrupt zip archive: entry '{entry.FullName}' fails its CRC-32 check");
        }

        return bytes;
    }

    private static readonly uint[][] CrcTables = MakeCrcTables();

    /// <summary>The CRC-32 of zip (polynomial 0xEDB88320, reflected), slicing by 8 bytes.</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint[] t0 = CrcTables[0], t1 = CrcTables[1], t2 = CrcTables[2], t3 = CrcTables[3];
        uint[] t4 = CrcTables[4], t5 = CrcTables[5], t6 = CrcTables[6], t7 = CrcTables[7];
        uint crc = 0xFFFFFFFF;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            uint lo = BinaryPrimitives.ReadUInt32LittleEndian(data[i..]) ^ crc;
            uint hi = BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            crc = t7[lo & 0xFF] ^ t6[(lo >> 8) & 0xFF] ^ t5[(lo >> 16) & 0xFF] ^ t4[lo >> 24]
                ^ t3[hi & 0xFF] ^ t2[(hi >> 8) & 0xFF] ^ t1[(hi >> 16) & 0xFF] ^ t0[hi >> 24];
        }

        for (; i < data.Length; i++)
        {
            crc = t0[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[][] MakeCrcTables()
    {
        var tables = new uint[8][];
        for (int k = 0; k < 8; k++)
        {
            tables[k] = new uint[256];
        }

        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            tables[0][n] = c;
        }

        for (int n = 0; n < 256; n++)
        {
            for (int k = 1; k < 8; k++)
            {
                tables[k][n] = (tables[k - 1][n] >> 8) ^ tables[0][tables[k - 1][n] & 0xFF];
            }
        }

        return tables;
    }
}
