using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>A global heap collection ("GCOL", spec §III.E): the bytes of variable-length data.</summary>
internal sealed class GlobalHeap
{
    private readonly Dictionary<int, (int Start, int Length)> _objects = [];
    private readonly Hdf5Cursor _data;

    private GlobalHeap(Hdf5Cursor data) => _data = data;

    public static GlobalHeap Read(Hdf5Reader r, long address)
    {
        var head = r.Cursor(address, 8 + r.LengthSize, "global heap collection");
        head.Signature("GCOL");
        head.Version(1, 1);
        head.Skip(3);
        long size = head.Length("collection size");
        if (size < head.Position)
        {
            throw head.ErrorAt(8, string.Create(CultureInfo.InvariantCulture, $"collection size {size} is smaller than its header"));
        }

        var c = r.Cursor(address, size, "global heap collection");
        var heap = new GlobalHeap(c);
        c.Position = head.Position;
        int objectHeader = 8 + r.LengthSize;
        while (c.Remaining >= objectHeader)
        {
            int index = c.U16();
            c.Skip(6); // reference count, reserved
            long length = c.Length("global heap object size");
            if (index == 0)
            {
                break; // free space: the rest of the collection
            }

            if (length > c.Remaining)
            {
                throw c.Error(string.Create(CultureInfo.InvariantCulture, $"object {index} of {length} bytes overruns the collection"));
            }

            heap._objects[index] = (c.Position, (int)length);
            c.Position += (int)Math.Min(c.Remaining, (length + 7) / 8 * 8);
        }

        return heap;
    }

    public ReadOnlySpan<byte> Object(int index, long at)
    {
        if (!_objects.TryGetValue(index, out var o))
        {
            throw _data.Reader.Error(at, "variable-length data", string.Create(CultureInfo.InvariantCulture,
                $"global heap collection at {_data.Origin} has no object {index}"));
        }

        return _data.Data.AsSpan(o.Start, o.Length);
    }
}
