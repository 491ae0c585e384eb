using System.CommandLine;

namespace SeqLens.Cli;

/// <summary>Builds the <c>seqlens</c> command tree; tests call <see cref="Run"/> in process.</summary>
public static class SeqLensCli
{
    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("SeqLens: train, import and explain deep-learning models of DNA sequence.");
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        return root.Parse(args).Invoke(config);
    }
}
