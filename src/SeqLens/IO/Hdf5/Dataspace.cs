using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>A dataspace message (spec §IV.A.2.b): scalar, simple (with dimensions) or null (no elements).</summary>
internal sealed record Dataspace(long[] Dims, long[]? MaxDims, bool IsNull)
{
    /// <summary>Maximum rank HDF5 allows.</summary>
    public const int MaxRank = 32;

    public bool IsScalar => !IsNull && Dims.Length == 0;

    /// <summary>Number of elements (1 for scalar, 0 for null); checked against overflow.</summary>
    public long ElementCount
    {
        get
        {
            if (IsNull)
            {
                return 0;
            }

            long n = 1;
            foreach (long d in Dims)
            {
                n = checked(n * d);
            }

            return n;
        }
    }

    public static Dataspace Parse(Hdf5Cursor c)
    {
        int version = c.Version(1, 2);
        int rank = c.U8();
        byte flags = c.U8();
        if (rank > MaxRank)
        {
            throw c.Error(string.Create(CultureInfo.InvariantCulture, $"rank {rank} exceeds HDF5's maximum of {MaxRank}"));
        }

        bool isNull = false;
        if (version == 1)
        {
            c.Skip(5);
        }
        else
        {
            int type = c.U8();
            if (type > 2)
            {
                throw c.Error(string.Create(CultureInfo.InvariantCulture, $"dataspace type {type} is unknown (0 scalar, 1 simple, 2 null)"));
            }

            isNull = type == 2;
        }

        var dims = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = c.Length("dimension size");
        }

        long[]? max = null;
        if ((flags & 1) != 0)
        {
            max = new long[rank];
            for (int i = 0; i < rank; i++)
            {
                ulong m = c.UInt(c.Reader.LengthSize);
                max[i] = m == ulong.MaxValue || (c.Reader.LengthSize < 8 && m == (1UL << (8 * c.Reader.LengthSize)) - 1) ? -1 : (long)Math.Min(m, long.MaxValue);
            }
        }

        var space = new Dataspace(dims, max, isNull);
        try
        {
            _ = space.ElementCount;
        }
        catch (OverflowException)
        {
            throw c.Error("the number of elements overflows 64 bits");
        }

        return space;
    }
}
