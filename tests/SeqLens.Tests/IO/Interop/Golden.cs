namespace SeqLens.Tests.IO.Interop;

/// <summary>Byte-exact golden files under Fixtures/: compared by default, rewritten in the source tree with UPDATE_GOLDEN=1.</summary>
internal static class Golden
{
    public static void AssertBytes(string area, string name, byte[] actual)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            string dir = Path.Combine(SourceRoot(), "tests", "SeqLens.Tests", "Fixtures", area);
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, name), actual);
            return;
        }

        byte[] expected = File.ReadAllBytes(IoFixtures.Path(area, name));
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name}: output differs from the golden file ({actual.Length} vs {expected.Length} bytes); if intended, regenerate with tools/check_interop.sh and read the diff");
    }

    private static string SourceRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SeqLens.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (SeqLens.slnx) not found");
    }
}
