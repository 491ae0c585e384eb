namespace SeqLens.Tests.Support;

/// <summary>Locates <c>../shared/data</c> (relative to the repository root) for tests on real data.</summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The absolute path of the shared data folder, or null when it is absent.</summary>
    public static string? Directory => Root.Value;

    /// <summary>Absolute path of <paramref name="relative"/> inside the shared data folder, or null when absent.</summary>
    public static string? Find(string relative)
    {
        if (Directory is null)
        {
            return null;
        }

        string path = Path.Combine(Directory, relative);
        return File.Exists(path) || System.IO.Directory.Exists(path) ? path : null;
    }

    /// <summary>Path of a shared file that a <see cref="SharedDataFactAttribute"/> test has already checked.</summary>
    public static string Require(string relative)
        => Find(relative) ?? throw new FileNotFoundException($"../shared/data/{relative} is absent.");

    private static string? FindRoot()
    {
        // Walk up from the test binary to the repository root (the folder holding SeqLens.slnx).
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SeqLens.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir?.Parent is null)
        {
            return null;
        }

        string candidate = Path.Combine(dir.Parent.FullName, "shared", "data");
        return System.IO.Directory.Exists(candidate) ? candidate : null;
    }
}

/// <summary>A fact that skips itself, naming the file, when a file of <c>../shared/data</c> is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataFactAttribute : FactAttribute
{
    /// <param name="relativePaths">Paths inside ../shared/data that the test reads.</param>
    public SharedDataFactAttribute(params string[] relativePaths)
    {
        RelativePaths = relativePaths;
        foreach (string p in relativePaths)
        {
            if (SharedData.Find(p) is null)
            {
                Skip = $"needs ../shared/data/{p}, which is absent (real-data tests run where ../shared/data exists, as in CI)";
                break;
            }
        }
    }

    /// <summary>The files the test needs.</summary>
    public IReadOnlyList<string> RelativePaths { get; }
}
