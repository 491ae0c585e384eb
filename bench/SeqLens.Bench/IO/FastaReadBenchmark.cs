using System.Diagnostics;
using System.Globalization;
using SeqLens.IO.Fasta;

namespace SeqLens.Bench.IO;

/// <summary>
/// FASTA read throughput: writes a seeded FASTA (default 256 MB of 60-column sequence in 8 records, mixed case
/// with some N) to a temporary file, then times <see cref="FastaReader"/> over it (best of 3 after a warm-up) and
/// prints MB/s (1 MB = 10^6 bytes of file). Target: at least 300 MB/s for plain FASTA.
/// Usage: <c>fasta-read [--mb N] [--file existing.fa]</c>.
/// </summary>
public static class FastaReadBenchmark
{
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int mb = 256;
        string? file = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--mb" && i + 1 < args.Length)
            {
                mb = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--file" && i + 1 < args.Length)
            {
                file = args[++i];
            }
        }

        string path = file ?? Path.Combine(Path.GetTempPath(), $"seqlens-bench-{Guid.NewGuid():N}.fa");
        try
        {
            if (file is null)
            {
                Generate(path, (long)mb * 1_000_000);
            }

            long bytes = new FileInfo(path).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fasta-read: {path} ({bytes / 1e6:F0} MB)"));
            ReadAll(path); // warm-up (JIT tiers, page cache)
            double best = double.MaxValue;
            long bases = 0;
            for (int rep = 0; rep < 3; rep++)
            {
                var sw = Stopwatch.StartNew();
                bases = ReadAll(path);
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fasta-read: {bases} bases, best {best:F3} s, {bytes / 1e6 / best:F0} MB/s (target >= 300)"));
            return 0;
        }
        finally
        {
            if (file is null)
            {
                File.Delete(path);
            }
        }
    }

    private static long ReadAll(string path)
    {
        long n = 0;
        foreach (FastaRecord r in FastaReader.ReadFile(path))
        {
            n += r.Length;
        }

        return n;
    }

    private static void Generate(string path, long bytes)
    {
        var rng = new Rng(1);
        const string Alphabet = "ACGTACGTACGTacgtN";
        int records = 8;
        long perRecord = bytes / records * 60 / 61;
        using var w = new StreamWriter(path, false, new System.Text.UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        var line = new char[60];
        for (int r = 0; r < records; r++)
        {
            w.Write($">chr{r + 1} synthetic record {r + 1}\n");
            for (long p = 0; p < perRecord; p += 60)
            {
                int len = (int)Math.Min(60, perRecord - p);
                for (int i = 0; i < len; i++)
                {
                    line[i] = Alphabet[rng.NextInt(Alphabet.Length)];
                }

                w.Write(line, 0, len);
                w.Write('\n');
            }
        }
    }
}
