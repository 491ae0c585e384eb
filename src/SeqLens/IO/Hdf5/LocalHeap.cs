using System.Globalization;
using System.Text;

namespace SeqLens.IO.Hdf5;

/// <summary>A local heap ("HEAP", spec §III.D): the link names of a symbol-table group.</summary>
internal sealed class LocalHeap
{
    private readonly Hdf5Cursor _data;

    private LocalHeap(Hdf5Cursor data) => _data = data;

    public static LocalHeap Read(Hdf5Reader r, long address)
    {
        var c = r.Cursor(address, 8 + 2 * r.LengthSize + r.OffsetSize, "local heap");
        c.Signature("HEAP");
        c.Version(0, 0);
        c.Skip(3);
        long size = c.Length("local heap data size");
        c.Length("free list offset");
        long dataAddress = c.Address();
        if (dataAddress == Hdf5Reader.Undefined)
        {
            throw c.Error("data segment address is undefined");
        }

        return new LocalHeap(r.Cursor(dataAddress, size, "local heap data segment"));
    }

    /// <summary>The null-terminated string at <paramref name="offset"/>.</summary>
    public string String(long offset)
    {
        if (offset < 0 || offset >= _data.Data.Length)
        {
            throw _data.ErrorAt(0, string.Create(CultureInfo.InvariantCulture,
                $"name offset {offset} is outside the heap's {_data.Data.Length} bytes"));
        }

        var span = _data.Data.AsSpan((int)offset);
        int end = span.IndexOf((byte)0);
        if (end < 0)
        {
            throw _data.ErrorAt((int)offset, "name is not null-terminated");
        }

        return Encoding.UTF8.GetString(span[..end]);
    }
}
