using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// The fixed array chunk index ("FAHD"/"FADB", spec §VII.B), paged when it has more than 2^pageBits entries.
/// Entry i is the chunk with row-major linear index i over the grid of chunks of the maximum dimensions.
/// </summary>
internal static class FixedArrayIndex
{
    public static List<ChunkEntry> Read(Hdf5Reader r, long address, bool filtered, long chunkBytes)
    {
        var h = r.Cursor(address, 4 + 1 + 1 + 1 + 1 + r.LengthSize + r.OffsetSize + 4, "fixed array header");
        h.Signature("FAHD");
        h.Version(0, 0);
        int client = h.U8();
        int entrySize = h.U8();
        int pageBits = h.U8();
        long count = h.Length("fixed array entry count");
        long dataBlock = h.Address();
        h.Checksum();
        if (client != (filtered ? 1 : 0))
        {
            throw h.ErrorAt(5, string.Create(CultureInfo.InvariantCulture, $"client id {client} does not match the dataset's filters"));
        }

        int sizeBytes = ChunkEntry.SizeBytes(chunkBytes);
        int expected = r.OffsetSize + (filtered ? sizeBytes + 4 : 0);
        if (entrySize != expected || pageBits > 32)
        {
            throw h.ErrorAt(6, string.Create(CultureInfo.InvariantCulture, $"entry size {entrySize} (expected {expected}) or page bits {pageBits} is wrong"));
        }

        if (count > r.Length / Math.Max(1, entrySize))
        {
            throw h.ErrorAt(8, string.Create(CultureInfo.InvariantCulture, $"{count} entries cannot fit in the file"));
        }

        var result = new List<ChunkEntry>((int)count);
        if (dataBlock == Hdf5Reader.Undefined)
        {
            for (long i = 0; i < count; i++)
            {
                result.Add(new ChunkEntry(Hdf5Reader.Undefined, 0, 0));
            }

            return result;
        }

        long pageSize = 1L << pageBits;
        bool paged = count > pageSize;
        long pages = paged ? (count + pageSize - 1) / pageSize : 0;
        int bitmapBytes = (int)((pages + 7) / 8);
        int prefix = 4 + 1 + 1 + r.OffsetSize;
        long blockSize = prefix + (paged ? bitmapBytes : count * entrySize) + 4;
        var d = r.Cursor(dataBlock, blockSize, "fixed array data block");
        d.Signature("FADB");
        d.Version(0, 0);
        if (d.U8() != client)
        {
            throw d.ErrorAt(5, "client id differs from the header's");
        }

        if (d.Address() != address)
        {
            throw d.ErrorAt(6, "data block belongs to another fixed array");
        }

        if (!paged)
        {
            int start = d.Position;
            d.Position = (int)(blockSize - 4);
            d.Checksum();
            d.Position = start;
            for (long i = 0; i < count; i++)
            {
                result.Add(ChunkEntry.Read(d, filtered, sizeBytes, chunkBytes));
            }

            return result;
        }

        var bitmap = d.Bytes(bitmapBytes).ToArray();
        d.Checksum();
        long pageAddress = dataBlock + blockSize;
        for (long p = 0; p < pages; p++)
        {
            long inPage = Math.Min(pageSize, count - p * pageSize);
            long bytes = inPage * entrySize + 4;
            if ((bitmap[p / 8] & (0x80 >> (int)(p % 8))) == 0)
            {
                for (long i = 0; i < inPage; i++)
                {
                    result.Add(new ChunkEntry(Hdf5Reader.Undefined, 0, 0));
                }
            }
            else
            {
                var page = r.Cursor(pageAddress, bytes, "fixed array data block page");
                page.Position = (int)(bytes - 4);
                page.Checksum();
                page.Position = 0;
                for (long i = 0; i < inPage; i++)
                {
                    result.Add(ChunkEntry.Read(page, filtered, sizeBytes, chunkBytes));
                }
            }

            pageAddress += bytes;
        }

        return result;
    }
}
