using System.Buffers.Binary;

namespace SeqLens.IO.Fasta;

/// <summary>
/// The block map of a bgzip (BGZF) file, as in htslib's <c>.gzi</c>: pairs (compressed offset, uncompressed
/// offset) of block starts, so a reader can seek to any uncompressed offset by inflating from the nearest block.
/// </summary>
/// <remarks>
/// <c>.gzi</c> layout (htslib <c>bgzf_index_dump</c>): little-endian uint64 count, then count pairs of uint64
/// (compressed, uncompressed); the first block (0, 0) is implicit. When no <c>.gzi</c> exists,
/// <see cref="Scan"/> rebuilds the same map from the BGZF block headers (BSIZE in the 'BC' extra field, ISIZE in
/// the trailer) without inflating anything.
/// </remarks>
public sealed class BgzfIndex
{
    private readonly long[] _compressed;
    private readonly long[] _uncompressed;

    private BgzfIndex(long[] compressed, long[] uncompressed)
    {
        _compressed = compressed;
        _uncompressed = uncompressed;
    }

    /// <summary>Number of blocks known (including the implicit first block).</summary>
    public int Count => _compressed.Length;

    /// <summary>True when the file starts with a BGZF block header (gzip with a 'BC' extra subfield).</summary>
    public static bool IsBgzf(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64);
        Span<byte> h = stackalloc byte[18];
        return fs.ReadAtLeast(h, 18, throwOnEndOfStream: false) == 18 && IsBgzfHeader(h);
    }

    /// <summary>Reads a <c>.gzi</c> file.</summary>
    public static BgzfIndex Read(string gziPath)
    {
        byte[] bytes = File.ReadAllBytes(gziPath);
        if (bytes.Length < 8)
        {
            throw new ParseException(gziPath, 0, 0, $"a .gzi index needs at least 8 bytes; got {bytes.Length}");
        }

        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > (ulong)((bytes.Length - 8) / 16) || (ulong)bytes.Length != 8 + (n * 16))
        {
            throw new ParseException(gziPath, 0, 0, $".gzi declares {n} entries but holds {bytes.Length} bytes (expected {8 + (16 * (long)Math.Min(n, int.MaxValue))})");
        }

        var c = new long[(int)n + 1];
        var u = new long[(int)n + 1];
        for (int i = 0; i < (int)n; i++)
        {
            c[i + 1] = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8 + (16 * i)));
            u[i + 1] = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16 + (16 * i)));
            if (u[i + 1] < u[i] || c[i + 1] < c[i])
            {
                throw new ParseException(gziPath, 0, 0, $".gzi entry {i} is not in increasing order");
            }
        }

        return new BgzfIndex(c, u);
    }

    /// <summary>Builds the block map by walking the BGZF block headers of <paramref name="bgzfPath"/>.</summary>
    public static BgzfIndex Scan(string bgzfPath)
    {
        using var fs = new FileStream(bgzfPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
        var c = new List<long> { 0 };
        var u = new List<long> { 0 };
        Span<byte> h = stackalloc byte[18];
        Span<byte> isize = stackalloc byte[4];
        long pos = 0, upos = 0;
        long length = fs.Length;
        while (pos < length)
        {
            fs.Position = pos;
            if (fs.ReadAtLeast(h, 18, throwOnEndOfStream: false) != 18 || !IsBgzfHeader(h))
            {
                throw new ParseException(bgzfPath, 0, 0, $"not a BGZF block at byte {pos}: bgzip random access needs a bgzip-compressed file (plain gzip cannot be indexed)");
            }

            int bsize = BinaryPrimitives.ReadUInt16LittleEndian(h[16..]) + 1;
            if (pos + bsize > length)
            {
                throw new ParseException(bgzfPath, 0, 0, $"truncated BGZF block at byte {pos}: needs {bsize} bytes, file has {length - pos}");
            }

            fs.Position = pos + bsize - 4;
            fs.ReadExactly(isize);
            pos += bsize;
            upos += BinaryPrimitives.ReadUInt32LittleEndian(isize);
            if (pos < length)
            {
                c.Add(pos);
                u.Add(upos);
            }
        }

        return new BgzfIndex([.. c], [.. u]);
    }

    /// <summary>The (compressed, uncompressed) start of the block holding uncompressed offset <paramref name="offset"/>.</summary>
    public (long Compressed, long Uncompressed) Locate(long offset)
    {
        int i = Array.BinarySearch(_uncompressed, offset);
        if (i < 0)
        {
            i = ~i - 1;
        }

        // Several blocks may start at the same uncompressed offset (empty blocks); take the last one.
        while (i + 1 < _uncompressed.Length && _uncompressed[i + 1] == offset)
        {
            i++;
        }

        return (_compressed[Math.Max(i, 0)], _uncompressed[Math.Max(i, 0)]);
    }

    private static bool IsBgzfHeader(ReadOnlySpan<byte> h)
        => h[0] == 0x1f && h[1] == 0x8b && h[2] == 8 && (h[3] & 4) != 0
           && BinaryPrimitives.ReadUInt16LittleEndian(h[10..]) >= 6 && h[12] == (byte)'B' && h[13] == (byte)'C'
           && BinaryPrimitives.ReadUInt16LittleEndian(h[14..]) == 2;
}
