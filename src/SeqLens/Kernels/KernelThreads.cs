namespace SeqLens.Kernels;

/// <summary>
/// How many threads the kernels may use. Kernels split work only along dimensions whose partial
/// results never get summed together, so results are bit-identical for any thread count.
/// </summary>
public static class KernelThreads
{
    private static int _maxDegree = Initial();

    /// <summary>Maximum threads a kernel uses (default: processor count, or the SEQLENS_THREADS variable).</summary>
    public static int MaxDegree
    {
        get => _maxDegree;
        set => _maxDegree = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Thread count must be at least 1.");
    }

    [ThreadStatic]
    private static int _threadOverride;

    /// <summary>The degree kernels started on this thread use: a per-thread override (tests) or <see cref="MaxDegree"/>.</summary>
    internal static int Effective => _threadOverride > 0 ? _threadOverride : _maxDegree;

    /// <summary>Overrides <see cref="MaxDegree"/> for kernels started on the calling thread only; 0 removes the override.</summary>
    internal static void OverrideForThread(int degree)
        => _threadOverride = degree >= 0 ? degree : throw new ArgumentOutOfRangeException(nameof(degree), degree, "Thread count must be at least 0.");

    private static int Initial()
    {
        string? env = Environment.GetEnvironmentVariable("SEQLENS_THREADS");
        return int.TryParse(env, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n
            : Environment.ProcessorCount;
    }
}
