using System.IO.Compression;

namespace SeqLens.IO.Npy;

/// <summary>
/// numpy <c>.npz</c> archives: a zip of <c>name.npy</c> members, stored (as <c>np.savez</c>) or deflated (as
/// <c>np.savez_compressed</c>). Members keep the given order; timestamps are fixed (1980-01-01) so the same
/// arrays give the same bytes.
/// </summary>
public static class NpzFile
{
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the arrays to <paramref name="path"/> atomically; names must be unique and non-empty.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        var list = arrays.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in list)
        {
            if (string.IsNullOrEmpty(name) || !seen.Add(name))
            {
                throw new ArgumentException($"npz member names must be unique and non-empty; got '{name}'", nameof(arrays));
            }
        }

        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, array) in list)
            {
                ZipArchiveEntry entry = zip.CreateEntry(name + ".npy", compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                entry.LastWriteTime = FixedTime;
                using Stream s = entry.Open();
                NpyFormat.Write(s, array);
            }
        });
    }

    /// <summary>Reads every member (names without the <c>.npy</c> suffix, in archive order).</summary>
    public static List<KeyValuePair<string, NpyArray>> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using ZipArchive zip = ZipFile.OpenRead(path);
            var result = new List<KeyValuePair<string, NpyArray>>();
            foreach (ZipArchiveEntry e in zip.Entries)
            {
                if (!e.FullName.EndsWith(".npy", StringComparison.Ordinal))
                {
                    throw new ParseException(path, 0, 0, $"npz member '{e.FullName}' is not a .npy file");
                }

                using Stream s = e.Open();
                result.Add(new(e.FullName[..^4], NpyFormat.Read(s, path + ":" + e.FullName)));
            }

            return result;
        }
        catch (InvalidDataException ex)
        {
            // NOTE: ZipArchive reports a damaged directory or member (bad CRC, truncated deflate data) this way.
            throw new ParseException(path, 0, 0, "not a readable zip (.npz) archive or a damaged member: " + ex.Message, ex);
        }
    }
}
