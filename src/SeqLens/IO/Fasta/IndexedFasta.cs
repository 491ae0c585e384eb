using System.IO.Compression;
using System.Text;
using SeqLens.IO.Text;

namespace SeqLens.IO.Fasta;

/// <summary>
/// Random access to a FASTA file through its <c>.fai</c> index: <see cref="Fetch"/> seeks to the bytes of a
/// 0-based half-open range and reads only those. Plain files seek directly; bgzip files use the <c>.gzi</c>
/// block map (or rebuild it from the block headers) and inflate from the nearest block.
/// </summary>
/// <remarks>
/// When <c>path.fai</c> is absent the index is built in memory (not written). Plain gzip files cannot be read
/// at random (a clear <see cref="ParseException"/> says to use bgzip). Case is preserved. Not thread-safe:
/// open one instance per thread.
/// </remarks>
public sealed class IndexedFasta : IDisposable
{
    private readonly FileStream _file;
    private readonly BgzfIndex? _blocks;

    private IndexedFasta(string path, FaiIndex index, FileStream file, BgzfIndex? blocks)
    {
        Path = path;
        Index = index;
        _file = file;
        _blocks = blocks;
    }

    /// <summary>The FASTA path.</summary>
    public string Path { get; }

    /// <summary>The index (file order).</summary>
    public FaiIndex Index { get; }

    /// <summary>Opens <paramref name="fastaPath"/>, reading <c>fastaPath.fai</c> (or <paramref name="faiPath"/>) or building the index.</summary>
    public static IndexedFasta Open(string fastaPath, string? faiPath = null)
    {
        ArgumentNullException.ThrowIfNull(fastaPath);
        if (!File.Exists(fastaPath))
        {
            throw new FileNotFoundException($"FASTA file not found: {fastaPath}", fastaPath);
        }

        BgzfIndex? blocks = null;
        if (CompressedInput.IsGzip(fastaPath))
        {
            if (!BgzfIndex.IsBgzf(fastaPath))
            {
                throw new ParseException(fastaPath, 0, 0, "random access needs an uncompressed or bgzip-compressed FASTA with a .gzi index; this file is plain gzip (recompress with `bgzip`, then `samtools faidx`)");
            }

            string gzi = fastaPath + ".gzi";
            blocks = File.Exists(gzi) ? BgzfIndex.Read(gzi) : BgzfIndex.Scan(fastaPath);
        }

        string fai = faiPath ?? fastaPath + ".fai";
        FaiIndex index = File.Exists(fai) ? FaiIndex.Read(fai) : FaiIndex.Build(fastaPath);
        var file = new FileStream(fastaPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);
        return new IndexedFasta(fastaPath, index, file, blocks);
    }

    /// <summary>Length of sequence <paramref name="name"/>.</summary>
    public long LengthOf(string name) => Require(name).Length;

    /// <summary>True when the index holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => Index.Find(name) is not null;

    /// <summary>Bases [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="name"/> (0-based half-open), case kept.</summary>
    public string Fetch(string name, long start, long end)
    {
        FaiEntry e = Require(name);
        if (start < 0 || end < start || end > e.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"range [{start}, {end}) is outside '{name}' (length {e.Length}); expected 0 <= start <= end <= length");
        }

        if (end == start)
        {
            return string.Empty;
        }

        long from = e.OffsetOf(start);
        long to = e.OffsetOf(end - 1) + 1;
        long count = to - from;
        if (count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"range of {end - start} bases is too large for one string");
        }

        var raw = new byte[count];
        int got = _blocks is null ? ReadPlain(from, raw) : ReadBgzf(from, raw);
        var seq = new byte[end - start];
        int n = 0;
        for (int i = 0; i < got && n < seq.Length; i++)
        {
            byte b = raw[i];
            if (b is > 0x20 and < 0x7f)
            {
                seq[n++] = b;
            }
        }

        if (n != seq.Length)
        {
            throw new ParseException(Path, 0, 0, $"'{name}' ends early: expected {seq.Length} bases at [{start}, {end}), found {n} (stale .fai index?)");
        }

        return Encoding.Latin1.GetString(seq);
    }

    private int ReadPlain(long from, byte[] raw)
    {
        _file.Position = from;
        return _file.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
    }

    private int ReadBgzf(long from, byte[] raw)
    {
        var (c, u) = _blocks!.Locate(from);
        _file.Position = c;
        try
        {
            using var gz = new GZipStream(_file, CompressionMode.Decompress, leaveOpen: true);
            long skip = from - u;
            var scratch = new byte[1 << 16];
            while (skip > 0)
            {
                int k = gz.Read(scratch, 0, (int)Math.Min(skip, scratch.Length));
                if (k == 0)
                {
                    return 0;
                }

                skip -= k;
            }

            return gz.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new ParseException(Path, 0, 0, $"corrupt bgzip data near compressed offset {c}: {ex.Message}", ex);
        }
    }

    private FaiEntry Require(string name)
        => Index.Find(name) ?? throw new ArgumentException($"sequence '{name}' is not in {Path} (has: {string.Join(", ", Index.Entries.Take(10).Select(x => x.Name))}{(Index.Entries.Count > 10 ? ", ..." : "")})", nameof(name));

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();
}
