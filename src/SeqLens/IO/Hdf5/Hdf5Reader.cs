using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// Random access to the bytes of one HDF5 file: every read is bounds-checked against the file length and every
/// failure becomes a <see cref="ParseException"/> naming the file, the byte offset and the structure being read.
/// </summary>
internal sealed class Hdf5Reader : IDisposable
{
    /// <summary>The "undefined address" of the format (all bits set), as returned by <see cref="Hdf5Cursor.Address"/>.</summary>
    public const long Undefined = -1;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly Lock _gate = new();

    public Hdf5Reader(Stream stream, string path, bool leaveOpen)
    {
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("HDF5 needs a readable, seekable stream.", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        Path = path;
        Length = stream.Length;
    }

    /// <summary>The file path (or stream description) used in error messages.</summary>
    public string Path { get; }

    /// <summary>Length of the file in bytes.</summary>
    public long Length { get; }

    /// <summary>Size of file addresses in bytes (superblock "size of offsets").</summary>
    public int OffsetSize { get; set; } = 8;

    /// <summary>Size of lengths in bytes (superblock "size of lengths").</summary>
    public int LengthSize { get; set; } = 8;

    /// <summary>Absolute offset that relative addresses are measured from (superblock base address).</summary>
    public long BaseAddress { get; set; }

    /// <summary>An exception for a problem in <paramref name="structure"/> at <paramref name="offset"/>.</summary>
    public ParseException Error(long offset, string structure, string message, Exception? inner = null)
        => new(Path, 0, 0, string.Create(CultureInfo.InvariantCulture, $"{structure} at byte offset {offset}: {message}"), inner);

    /// <summary>Reads <paramref name="count"/> bytes at absolute <paramref name="offset"/>.</summary>
    public byte[] ReadBytes(long offset, long count, string structure)
    {
        if (offset < 0 || offset > Length)
        {
            throw Error(offset, structure, string.Create(CultureInfo.InvariantCulture, $"address is outside the file ({Length} bytes)"));
        }

        if (count < 0 || count > Length - offset)
        {
            throw Error(offset, structure, string.Create(CultureInfo.InvariantCulture,
                $"needs {count} bytes but the file ends {Length - offset} bytes later (truncated file or corrupt size)"));
        }

        if (count > Array.MaxLength)
        {
            throw Error(offset, structure, string.Create(CultureInfo.InvariantCulture, $"{count} bytes exceed what one array can hold"));
        }

        byte[] buffer = new byte[count];
        lock (_gate)
        {
            _stream.Position = offset;
            _stream.ReadExactly(buffer);
        }

        return buffer;
    }

    /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="offset"/>, fewer at the end of the file.</summary>
    public byte[] ReadUpTo(long offset, int count, string structure)
    {
        if (offset < 0 || offset >= Length)
        {
            throw Error(offset, structure, string.Create(CultureInfo.InvariantCulture, $"address is outside the file ({Length} bytes)"));
        }

        return ReadBytes(offset, Math.Min(count, Length - offset), structure);
    }

    /// <summary>A cursor over <paramref name="count"/> bytes at <paramref name="offset"/>.</summary>
    public Hdf5Cursor Cursor(long offset, long count, string structure)
        => new(this, ReadBytes(offset, count, structure), offset, structure);

    /// <summary>Converts an address read from the file (relative to the base address) into an absolute offset.</summary>
    public long Absolute(long relative, long at, string structure)
    {
        if (relative == Undefined)
        {
            return Undefined;
        }

        long absolute = BaseAddress + relative;
        if (relative < 0 || absolute < 0 || absolute > Length)
        {
            throw Error(at, structure, string.Create(CultureInfo.InvariantCulture,
                $"address {relative} points outside the file ({Length} bytes)"));
        }

        return absolute;
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
