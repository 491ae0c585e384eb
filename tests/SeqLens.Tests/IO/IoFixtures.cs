namespace SeqLens.Tests.IO;

/// <summary>Paths of committed fixtures (copied to the test output folder) and per-test temporary folders.</summary>
internal static class IoFixtures
{
    public static string Path(string area, string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", area, name);

    public static TempDir Temp() => new();

    internal sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seqlens-io-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(Root);
        }

        public string Root { get; }

        public string File(string name) => System.IO.Path.Combine(Root, name);

        public string Write(string name, string text)
        {
            string p = File(name);
            System.IO.File.WriteAllText(p, text);
            return p;
        }

        public string Write(string name, byte[] bytes)
        {
            string p = File(name);
            System.IO.File.WriteAllBytes(p, bytes);
            return p;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
