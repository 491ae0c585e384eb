using System.Diagnostics;

namespace SeqLens.Bench;

/// <summary>Times an action: warm-up runs (JIT, page faults), then the median of timed repeats.</summary>
internal static class Measure
{
    /// <summary>Median and fastest of <paramref name="repeats"/> timed runs, in milliseconds.</summary>
    public static (double Median, double Best) Milliseconds(Action action, int repeats, int warmups = 2)
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
        double median = repeats % 2 == 1 ? times[repeats / 2] : 0.5 * (times[(repeats / 2) - 1] + times[repeats / 2]);
        return (median, times[0]);
    }
}
