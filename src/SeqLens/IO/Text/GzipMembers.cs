using System.Buffers.Binary;
using System.IO.Compression;

namespace SeqLens.IO.Text;

/// <summary>
/// Walks the members of a gzip file one by one and checks each member's CRC-32 and ISIZE trailer (RFC 1952), so
/// a truncated or corrupt file is told apart from a valid multi-member file (e.g. <c>cat a.gz b.gz</c>).
/// </summary>
/// <remarks>
/// <see cref="DeflateStream"/> reads ahead, so the end of a member is found by locating its expected trailer
/// (CRC-32 and size of the data just inflated) in the bytes after the deflate data; the next member must start
/// right after it. Used only as a second opinion when the cheap whole-file size check fails.
/// </remarks>
internal static class GzipMembers
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Throws <see cref="InvalidDataException"/> unless every member of <paramref name="path"/> is complete.</summary>
    public static void Verify(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long length = fs.Length;
        long pos = 0;
        int member = 0;
        var buffer = new byte[1 << 16];
        Span<byte> trailer = stackalloc byte[8];
        while (pos < length)
        {
            member++;
            fs.Position = pos;
            long dataStart = pos + HeaderLength(fs, member);
            fs.Position = dataStart;
            uint crc = 0xffffffffu;
            long size = 0;
            using (var inflater = new DeflateStream(fs, CompressionMode.Decompress, leaveOpen: true))
            {
                int n;
                while ((n = inflater.Read(buffer, 0, buffer.Length)) > 0)
                {
                    crc = Update(crc, buffer.AsSpan(0, n));
                    size += n;
                }
            }

            crc ^= 0xffffffffu;
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)size);
            long searchEnd = Math.Min(length, fs.Position + 8);
            long searchStart = Math.Max(dataStart, searchEnd - buffer.Length - 8);
            var window = new byte[searchEnd - searchStart];
            fs.Position = searchStart;
            fs.ReadExactly(window);
            int at = window.AsSpan().IndexOf(trailer);
            if (at < 0)
            {
                throw new InvalidDataException($"gzip member {member} is truncated or corrupt (no CRC-32/size trailer matching its {size} decompressed bytes)");
            }

            pos = searchStart + at + 8;
        }
    }

    private static int HeaderLength(FileStream fs, int member)
    {
        Span<byte> h = stackalloc byte[10];
        if (fs.ReadAtLeast(h, 10, throwOnEndOfStream: false) < 10 || h[0] != 0x1f || h[1] != 0x8b || h[2] != 8)
        {
            throw new InvalidDataException($"gzip member {member} does not start with a gzip header (trailing garbage or truncation)");
        }

        int flags = h[3];
        int len = 10;
        Span<byte> two = stackalloc byte[2];
        if ((flags & 4) != 0)
        {
            fs.ReadExactly(two);
            int xlen = BinaryPrimitives.ReadUInt16LittleEndian(two);
            fs.Seek(xlen, SeekOrigin.Current);
            len += 2 + xlen;
        }

        foreach (int bit in new[] { 8, 16 })
        {
            if ((flags & bit) != 0)
            {
                int b;
                while ((b = fs.ReadByte()) > 0)
                {
                    len++;
                }

                if (b < 0)
                {
                    throw new InvalidDataException($"gzip member {member} has a truncated header");
                }

                len++;
            }
        }

        if ((flags & 2) != 0)
        {
            len += 2;
        }

        return len;
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xff] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            t[i] = c;
        }

        return t;
    }
}
