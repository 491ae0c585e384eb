using SeqLens.IO.BedGraph;
using SeqLens.IO.BigWig;
using SeqLens.IO.Npy;

namespace SeqLens.Tests.IO.Interop;

/// <summary>
/// The deterministic inputs of the files our writers produce for the interop check (tools/check_interop.sh):
/// tests write them, compare with the committed golden bytes, and compare what pyBigWig/numpy read back.
/// </summary>
internal static class InteropSamples
{
    public static readonly KeyValuePair<string, long>[] Chroms =
    [
        new("chr1", 15_000), new("chr2", 20_000), new("chr10", 5_000), new("chrM", 1_000), new("chrX", 3_000), new("chrY", 2_000),
    ];

    /// <summary>Sorted non-overlapping intervals with seeded lengths, gaps and values (chrM has none).</summary>
    public static List<BedGraphRecord> BigWigRecords()
    {
        var rng = new Rng(2024);
        var result = new List<BedGraphRecord>();
        foreach (var (chrom, size) in Chroms)
        {
            if (chrom == "chrM")
            {
                continue;
            }

            long pos = rng.NextInt(50);
            int n = chrom == "chr1" ? 1200 : 100;
            for (int i = 0; i < n; i++)
            {
                long len = 1 + rng.NextInt(12);
                if (pos + len > size)
                {
                    break;
                }

                float v = MathF.Round((float)((rng.NextDouble() * 20) - 5), 3);
                result.Add(new BedGraphRecord(chrom, pos, pos + len, v));
                pos += len + rng.NextInt(8);
            }
        }

        return result;
    }

    public static BigWigWriterOptions SmallBlocks => new() { ItemsPerSlot = 16, BlockSize = 4 };

    public static List<KeyValuePair<string, NpyArray>> NpzArrays()
    {
        var rng = new Rng(7);
        var f = new float[3 * 4 * 5];
        for (int i = 0; i < f.Length; i++)
        {
            f[i] = (float)rng.NextGaussian();
        }

        f[7] = float.NaN;
        f[8] = float.NegativeInfinity;
        return
        [
            new("onehot", NpyArray.FromSingle(f, 3, 4, 5)),
            new("labels", NpyArray.FromInt32([0, 1, -2, int.MaxValue, int.MinValue, 42], 2, 3)),
            new("mask", NpyArray.FromBool([true, false, false, true, true])),
            new("names", NpyArray.FromStrings(["chr1:100-200", "é", "", "🧬 helix", "ACGT"])),
            new("scalar", NpyArray.FromDouble([3.25], [])),
            new("empty", NpyArray.FromSingle([], 0, 4)),
        ];
    }
}
