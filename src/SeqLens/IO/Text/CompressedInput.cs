using System.Buffers.Binary;
using System.IO.Compression;

namespace SeqLens.IO.Text;

/// <summary>Opens a file for reading, transparently decompressing gzip and bgzip (BGZF) by their magic bytes.</summary>
/// <remarks>
/// BGZF is a series of concatenated gzip members; <see cref="GZipStream"/> decompresses all members in
/// sequence (verified by FastaReaderTests with a samtools-indexed BGZF file and hand-concatenated members).
/// <para>
/// <see cref="GZipStream"/> does not notice a truncated file (it just stops), so truncation is checked here:
/// a BGZF file must end with the standard 28-byte end-of-file block (htslib warns when it is missing); for a
/// plain gzip file the total decompressed size modulo 2^32 must equal the ISIZE trailer of the last member.
/// When it does not (a truncated file, or several concatenated members), the members are walked one by one and
/// each CRC-32/ISIZE trailer is checked (<see cref="GzipMembers"/>): valid multi-member files read normally,
/// truncated ones fail.
/// </para>
/// </remarks>
public static class CompressedInput
{
    private static readonly byte[] BgzfEof =
    [
        0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0, 0x42, 0x43, 0x02, 0, 0x1b, 0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    /// <summary>True when the file starts with the gzip magic bytes 1f 8b.</summary>
    public static bool IsGzip(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16);
        Span<byte> magic = stackalloc byte[2];
        return fs.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <summary>Opens <paramref name="path"/>; gzip/bgzip files are decompressed on the fly and checked for truncation.</summary>
    public static Stream Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool gz = IsGzip(path);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        if (!gz)
        {
            return fs;
        }

        long length = fs.Length;
        if (length < 18)
        {
            fs.Dispose();
            throw new ParseException(path, 0, 0, $"truncated gzip file: {length} bytes, a gzip member needs at least 18");
        }

        Span<byte> tail = stackalloc byte[28];
        fs.Position = Math.Max(0, length - 28);
        int got = fs.ReadAtLeast(tail, (int)Math.Min(28, length), throwOnEndOfStream: false);
        tail = tail[..got];
        fs.Position = 0;
        if (Fasta.BgzfIndex.IsBgzf(path))
        {
            if (!tail.SequenceEqual(BgzfEof))
            {
                fs.Dispose();
                throw new ParseException(path, 0, 0, "truncated bgzip file: the BGZF end-of-file block is missing");
            }

            return new GZipStream(fs, CompressionMode.Decompress, leaveOpen: false);
        }

        uint isize = BinaryPrimitives.ReadUInt32LittleEndian(tail[^4..]);
        return new SizeCheckedStream(new GZipStream(fs, CompressionMode.Decompress, leaveOpen: false), isize, path);
    }

    private sealed class SizeCheckedStream(Stream inner, uint expected, string path) : Stream
    {
        private long _total;
        private bool _verified;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            _total += n;
            if (n == 0 && buffer.Length > 0 && (uint)_total != expected && !_verified)
            {
                // Either truncated or several members: walk the members to tell which (throws when truncated).
                GzipMembers.Verify(path);
                _verified = true;
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
