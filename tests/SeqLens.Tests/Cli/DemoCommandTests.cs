using System.Globalization;
using SeqLens.Cli;

namespace SeqLens.Tests.Cli;

public class DemoCommandTests
{
    [Fact]
    public void Demo_ReducedSize_DeterministicForOneAndTwoThreads()
    {
        string dir = Directory.CreateTempSubdirectory("seqlens-demo-").FullName;
        int saved = SeqLens.Kernels.KernelThreads.MaxDegree;
        try
        {
            var one = Run("demo", "--out", Path.Combine(dir, "one"), "--sequences", "240", "--epochs", "2", "--threads", "1", "--seed", "4");
            var two = Run("demo", "--out", Path.Combine(dir, "two"), "--sequences", "240", "--epochs", "2", "--threads", "2", "--seed", "4");
            Assert.True(one.Code == 0, one.Err);
            Assert.True(two.Code == 0, two.Err);
            Assert.Equal(one.Out.Split('\n')[0], two.Out.Split('\n')[0]);
            Assert.StartsWith("test auROC ", one.Out, StringComparison.Ordinal);
            double auroc = double.Parse(one.Out.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
            Assert.InRange(auroc, 0, 1);
            foreach (string f in new[] { "model.safetensors", "model.json", "training_log.tsv", Path.Combine("data", "sequences.fa"), "explain.npz" })
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "one", f)), File.ReadAllBytes(Path.Combine(dir, "two", f)));
            }

            Assert.Contains("demo: train done", one.Err, StringComparison.Ordinal);

            // The explain step: DeepLIFT-SHAP scores of the positive test sequences, written like `seqlens attribute`.
            string explain = one.Out.Split('\n').Single(l => l.StartsWith("explain: ", StringComparison.Ordinal));
            Assert.Contains("DeepLIFT-SHAP", explain, StringComparison.Ordinal);
            var members = SeqLens.IO.Npy.NpzFile.Read(Path.Combine(dir, "one", "explain.npz")).ToDictionary(m => m.Key, m => m.Value);
            Assert.Equal(members["onehot"].Shape, members["contrib"].Shape);
            Assert.Equal(members["names"].Shape[0], members["contrib"].Shape[0]);
        }
        finally
        {
            SeqLens.Kernels.KernelThreads.MaxDegree = saved;
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Demo_TooFewSequences_Error()
    {
        var (code, _, stderr) = Run("demo", "--out", Path.Combine(Path.GetTempPath(), "never"), "--sequences", "5");
        Assert.Equal(1, code);
        Assert.Contains("--sequences must be at least 20", stderr, StringComparison.Ordinal);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = SeqLensCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
