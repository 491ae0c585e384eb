using System.Diagnostics;
using System.Globalization;
using SeqLens.Sequences;

namespace SeqLens.Bench.Sequences;

/// <summary>
/// One-hot encoding throughput: input bases (bytes) encoded per second into <c>(batch, 4, length)</c> float32,
/// median of repeated timed rounds after a warm-up. Target: at least 1 GB/s of input.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project bench/SeqLens.Bench -- onehot [batch] [length] [rounds]</c>
/// (defaults 64 x 1000, 31 rounds). Sequences are random ACGT with 1 % N, so both the SIMD and the table path run.
/// </remarks>
public static class OneHotBenchmark
{
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int batch = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 64;
        int length = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        int rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 31;
        var rng = new Rng(1);
        var input = new byte[batch * length];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = rng.NextInt(100) == 0 ? (byte)'N' : (byte)"ACGT"[rng.NextInt(4)];
        }

        var output = new float[batch * 4 * length];
        long bytesPerRound = 0;
        int reps = Math.Max(1, (int)(50_000_000L / input.Length));
        void Round()
        {
            for (int r = 0; r < reps; r++)
            {
                for (int b = 0; b < batch; b++)
                {
                    OneHot.Encode(input.AsSpan(b * length, length), output.AsSpan(b * 4 * length, 4 * length));
                }
            }
        }

        bytesPerRound = (long)reps * input.Length;
        for (int w = 0; w < 3; w++)
        {
            Round();
        }

        var seconds = new double[rounds];
        for (int i = 0; i < rounds; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Round();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(seconds);
        double median = seconds[rounds / 2];
        double inputGbs = bytesPerRound / median / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"onehot batch={batch} length={length}: median {inputGbs:F2} GB/s input ({inputGbs * 16:F1} GB/s float32 output), best {bytesPerRound / seconds[0] / 1e9:F2} GB/s, {rounds} rounds of {bytesPerRound / 1e6:F0} MB"));
        return inputGbs >= 1.0 ? 0 : 1;
    }
}
