using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace SeqLens.IO.Hdf5;

/// <summary>One filter of a pipeline: its id, flags and client data values.</summary>
internal sealed record Hdf5Filter(int Id, int Flags, string Name, uint[] Values);

/// <summary>
/// The filter pipeline message (spec §IV.A.2.l) and the decoding of chunks through it: deflate (id 1, zlib
/// stream), shuffle (id 2) and fletcher32 (id 3, verified). Filters are undone in reverse order; bit i of a
/// chunk's filter mask means filter i was skipped for that chunk.
/// </summary>
internal sealed class FilterPipeline
{
    public const int Deflate = 1;
    public const int Shuffle = 2;
    public const int Fletcher32 = 3;

    private FilterPipeline(IReadOnlyList<Hdf5Filter> filters) => Filters = filters;

    public IReadOnlyList<Hdf5Filter> Filters { get; }

    public static FilterPipeline Empty { get; } = new([]);

    public static FilterPipeline Parse(Hdf5Cursor c)
    {
        int version = c.Version(1, 2);
        int count = c.U8();
        if (count > 32)
        {
            throw c.Error(string.Create(CultureInfo.InvariantCulture, $"{count} filters (HDF5 allows at most 32)"));
        }

        if (version == 1)
        {
            c.Skip(6);
        }

        var filters = new List<Hdf5Filter>();
        for (int i = 0; i < count; i++)
        {
            int id = c.U16();
            int nameLength = version == 1 || id >= 256 ? c.U16() : 0;
            int flags = c.U16();
            int valueCount = c.U16();
            string name = "";
            if (nameLength > 0)
            {
                var raw = c.Bytes(version == 1 ? (nameLength + 7) / 8 * 8 : nameLength);
                int end = raw.IndexOf((byte)0);
                name = System.Text.Encoding.ASCII.GetString(end >= 0 ? raw[..end] : raw);
            }

            var values = new uint[valueCount];
            for (int v = 0; v < valueCount; v++)
            {
                values[v] = c.U32();
            }

            if (version == 1 && valueCount % 2 == 1)
            {
                c.Skip(4);
            }

            filters.Add(new Hdf5Filter(id, flags, name, values));
        }

        return new FilterPipeline(filters);
    }

    /// <summary>
    /// Undoes the filters on one chunk. <paramref name="expected"/> is the unfiltered size, used to bound
    /// decompression.
    /// </summary>
    public byte[] Decode(byte[] data, uint mask, long expected, int elementSize, Hdf5Reader r, long at)
    {
        for (int i = Filters.Count - 1; i >= 0; i--)
        {
            if ((mask & (1u << i)) != 0)
            {
                continue;
            }

            var f = Filters[i];
            data = f.Id switch
            {
                Deflate => Inflate(data, expected, r, at),
                Shuffle => Unshuffle(data, f.Values.Length > 0 ? (int)f.Values[0] : elementSize),
                Fletcher32 => CheckFletcher(data, r, at),
                _ => throw r.Error(at, "chunk", string.Create(CultureInfo.InvariantCulture,
                    $"filter {f.Id} ({(f.Name.Length > 0 ? f.Name : KnownName(f.Id))}) is not supported (deflate, shuffle and fletcher32 are)")),
            };
        }

        return data;
    }

    private static string KnownName(int id) => id switch
    {
        4 => "szip",
        5 => "nbit",
        6 => "scaleoffset",
        32001 => "blosc",
        32004 => "lz4",
        32008 => "bitshuffle",
        32015 => "zstd",
        _ => "unknown",
    };

    private static byte[] Inflate(byte[] data, long expected, Hdf5Reader r, long at)
    {
        try
        {
            using var input = new MemoryStream(data, writable: false);
            using var z = new ZLibStream(input, CompressionMode.Decompress);
            // NOTE: reading one byte past the expected size detects a chunk that inflates to more than declared,
            // without ever allocating more than that.
            byte[] output = new byte[checked((int)expected + 1)];
            int total = 0;
            while (total < output.Length)
            {
                int n = z.Read(output, total, output.Length - total);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            if (total > expected)
            {
                throw r.Error(at, "deflate-compressed chunk", string.Create(CultureInfo.InvariantCulture,
                    $"inflates to more than the {expected} bytes of a chunk"));
            }

            return total == output.Length ? output : output.AsSpan(0, total).ToArray();
        }
        catch (InvalidDataException e)
        {
            throw r.Error(at, "deflate-compressed chunk", "corrupt zlib stream: " + e.Message, e);
        }
    }

    private static byte[] Unshuffle(byte[] data, int elementSize)
    {
        if (elementSize <= 1 || data.Length < elementSize)
        {
            return data;
        }

        int count = data.Length / elementSize;
        byte[] output = new byte[data.Length];
        for (int b = 0; b < elementSize; b++)
        {
            int src = b * count;
            for (int e = 0; e < count; e++)
            {
                output[e * elementSize + b] = data[src + e];
            }
        }

        // NOTE: bytes beyond a whole number of elements are left unshuffled at the end, as HDF5 does.
        int tail = count * elementSize;
        Array.Copy(data, tail, output, tail, data.Length - tail);
        return output;
    }

    private static byte[] CheckFletcher(byte[] data, Hdf5Reader r, long at)
    {
        if (data.Length < 4)
        {
            throw r.Error(at, "fletcher32 chunk", "shorter than its 4-byte checksum");
        }

        int n = data.Length - 4;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(n));
        uint computed = Fletcher(data.AsSpan(0, n));
        // NOTE: HDF5 1.6.0-1.6.2 wrote the checksum with its bytes swapped in pairs; HDF5 accepts both.
        uint reversed = ((computed & 0x00FF00FF) << 8) | ((computed >> 8) & 0x00FF00FF);
        if (stored != computed && stored != reversed)
        {
            throw r.Error(at, "fletcher32 chunk", string.Create(CultureInfo.InvariantCulture,
                $"checksum mismatch: stored 0x{stored:x8}, computed 0x{computed:x8}"));
        }

        return data.AsSpan(0, n).ToArray();
    }

    /// <summary>HDF5's Fletcher-32 over big-endian 16-bit words (H5_checksum_fletcher32).</summary>
    internal static uint Fletcher(ReadOnlySpan<byte> data)
    {
        uint sum1 = 0, sum2 = 0;
        int words = data.Length / 2;
        int i = 0;
        while (words > 0)
        {
            int block = Math.Min(words, 360);
            words -= block;
            for (int k = 0; k < block; k++)
            {
                sum1 += (uint)((data[i] << 8) | data[i + 1]);
                i += 2;
                sum2 += sum1;
            }

            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }

        if (data.Length % 2 == 1)
        {
            sum1 += (uint)(data[i] << 8);
            sum2 += sum1;
            sum1 = (sum1 & 0xffff) + (sum1 >> 16);
            sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        }

        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
        return (sum2 << 16) | sum1;
    }
}
