namespace SeqLens.IO;

/// <summary>Writes files atomically: to a temporary file beside the target, then renamed over it.</summary>
/// <remarks>A crash or an exception mid-write never leaves a half-written output or destroys an existing one.</remarks>
public static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a stream on a temporary file, then moves it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        string temp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes text (UTF-8, no BOM) atomically.</summary>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        });
    }

    /// <summary>Writes a string (UTF-8, no BOM) atomically.</summary>
    public static void WriteAllText(string path, string contents) => WriteText(path, w => w.Write(contents));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // NOTE: best effort; the original exception is what the caller needs to see.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
