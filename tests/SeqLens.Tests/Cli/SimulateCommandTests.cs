using SeqLens.Cli;

namespace SeqLens.Tests.Cli;

public class SimulateCommandTests
{
    [Fact]
    public void Simulate_Talgata_WritesFilesDeterministically()
    {
        string dir = Path.Combine(Path.GetTempPath(), "seqlens-sim-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, stdout, stderr) = Run("simulate", "--preset", "talgata", "--n", "12", "--seed", "42", "--out", Path.Combine(dir, "a"));
            Assert.True(code == 0, stderr);
            Assert.Contains("12 sequences x 200 bp", stdout, StringComparison.Ordinal);
            Assert.Equal(0, Run("simulate", "--preset", "talgata", "--n", "12", "--seed", "42", "--out", Path.Combine(dir, "b")).Code);
            foreach (string f in new[] { "sequences.fa", "labels.tsv", "truth.bed", "simdata.tsv" })
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a", f)), File.ReadAllBytes(Path.Combine(dir, "b", f)));
            }

            string[] labels = File.ReadAllLines(Path.Combine(dir, "a", "labels.tsv"));
            Assert.Equal("name\ttask1\ttask2\ttask3", labels[0]);
            Assert.Equal(13, labels.Length);
            Assert.Equal(24, File.ReadAllLines(Path.Combine(dir, "a", "sequences.fa")).Length);
            string[] bed = File.ReadAllLines(Path.Combine(dir, "a", "truth.bed"));
            Assert.All(bed, l => Assert.Equal(6, l.Split('\t').Length));
            Assert.Empty(Directory.GetFiles(Path.Combine(dir, "a"), "*.tmp"));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void Simulate_LogicAndSimple_WithLength()
    {
        string dir = Path.Combine(Path.GetTempPath(), "seqlens-sim-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.Equal(0, Run("simulate", "--preset", "logic", "--n", "8", "--length", "120", "--seed", "1", "--out", dir).Code);
            Assert.StartsWith("name\tap1_and_ctcf", File.ReadAllLines(Path.Combine(dir, "labels.tsv"))[0], StringComparison.Ordinal);
            Assert.Equal(0, Run("simulate", "--preset", "simple", "--n", "4", "--length", "50", "--out", dir).Code);
            Assert.Equal(50, File.ReadAllLines(Path.Combine(dir, "sequences.fa"))[1].Length);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("--preset", "logic", "--n", "4", "--length", "10", "--out", "unused")]
    [InlineData("--preset", "logic", "--n", "0", "--out", "unused")]
    [InlineData("--preset", "simple", "--motifs", "x.txt", "--out", "unused")]
    [InlineData("--preset", "simple", "--gc", "1.5", "--out", "unused")]
    [InlineData("--preset", "talgata", "--motifs", "/nonexistent/motifs.txt", "--out", "unused")]
    public void Simulate_BadInput_ExitsOneWithError(params string[] args)
    {
        var (code, _, stderr) = Run(["simulate", .. args]);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists("unused"));
    }

    [Fact]
    public void Simulate_UnknownPreset_IsUsageError()
    {
        var (code, _, _) = Run("simulate", "--preset", "nope", "--out", "unused");
        Assert.NotEqual(0, code);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = SeqLensCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
