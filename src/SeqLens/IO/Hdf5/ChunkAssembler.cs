using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// Copies decoded chunks into a row-major buffer of the whole dataset; parts outside the dataset (edge chunks)
/// are dropped, and parts no chunk covers keep the fill value.
/// </summary>
internal static class ChunkAssembler
{
    public static void Place(byte[] output, long[] dims, long[] chunkDims, long[] offset, byte[] chunk, int elementSize,
        Hdf5Reader r, long at)
    {
        int rank = dims.Length;
        long chunkElements = 1;
        for (int i = 0; i < rank; i++)
        {
            chunkElements *= chunkDims[i];
            if (offset[i] < 0 || offset[i] % chunkDims[i] != 0)
            {
                throw r.Error(at, "chunk", string.Create(CultureInfo.InvariantCulture,
                    $"chunk offset {offset[i]} in dimension {i} is not a multiple of the chunk size {chunkDims[i]}"));
            }

            if (offset[i] >= dims[i])
            {
                return; // NOTE: a chunk beyond the current extent (after a shrink) holds no visible data.
            }
        }

        if (chunk.Length < chunkElements * elementSize)
        {
            throw r.Error(at, "chunk", string.Create(CultureInfo.InvariantCulture,
                $"decoded chunk has {chunk.Length} bytes, expected {chunkElements * elementSize}"));
        }

        if (rank == 0)
        {
            Array.Copy(chunk, output, Math.Min(chunk.Length, output.Length));
            return;
        }

        // Row-major strides of the dataset and of the chunk, in elements.
        var stride = new long[rank];
        var chunkStride = new long[rank];
        stride[rank - 1] = 1;
        chunkStride[rank - 1] = 1;
        for (int i = rank - 2; i >= 0; i--)
        {
            stride[i] = stride[i + 1] * dims[i + 1];
            chunkStride[i] = chunkStride[i + 1] * chunkDims[i + 1];
        }

        var extent = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            extent[i] = Math.Min(chunkDims[i], dims[i] - offset[i]);
        }

        int run = checked((int)(extent[rank - 1] * elementSize));
        var index = new long[rank];
        while (true)
        {
            long src = 0, dst = 0;
            for (int i = 0; i < rank; i++)
            {
                src += index[i] * chunkStride[i];
                dst += (offset[i] + index[i]) * stride[i];
            }

            Array.Copy(chunk, src * elementSize, output, dst * elementSize, run);
            int d = rank - 2;
            while (d >= 0)
            {
                if (++index[d] < extent[d])
                {
                    break;
                }

                index[d] = 0;
                d--;
            }

            if (d < 0)
            {
                return;
            }
        }
    }

    /// <summary>Element offsets of the chunk with row-major linear index <paramref name="linear"/> over <paramref name="grid"/>.</summary>
    public static long[] OffsetOf(long linear, long[] grid, long[] chunkDims)
    {
        int rank = grid.Length;
        var offset = new long[rank];
        for (int i = rank - 1; i >= 0; i--)
        {
            offset[i] = linear % grid[i] * chunkDims[i];
            linear /= grid[i];
        }

        return offset;
    }
}
