using System.Diagnostics;

namespace SeqLens.Bench;

/// <summary>Times an action: warm-up runs (JIT, page faults), then the median of timed repeats.</summary>
internal static class Measure
{
    public static double MedianMilliseconds(Action action, int repeats, int warmups = 2)
    {
        for (int i = 0; i < warmups; i++)
        {
            action();
        }

        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return repeats % 2 == 1 ? times[repeats / 2] : 0.5 * (times[(repeats / 2) - 1] + times[repeats / 2]);
    }
}
