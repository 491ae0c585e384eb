using System.CommandLine;
using SeqLens.IO;

namespace SeqLens.Cli;

/// <summary>Builds the <c>seqlens</c> command tree; tests call <see cref="Run"/> in process.</summary>
public static class SeqLensCli
{
    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers; returns the exit code.</summary>
    /// <remarks>Exit codes: 0 success, 1 bad input or failed run (message on stderr), 2 usage error.</remarks>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var console = new CliConsole(stdout, stderr);
        var root = new RootCommand("SeqLens: train, import and explain deep-learning models of DNA sequence.");
        foreach (Command command in AllCommands(console))
        {
            root.Subcommands.Add(command);
        }

        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return root.Parse(args).Invoke(config);
        }
        catch (Exception ex) when (ex is ParseException or IOException or InvalidDataException or ArgumentException or FormatException or NotSupportedException or InvalidOperationException or UnauthorizedAccessException)
        {
            stderr.WriteLine("error: " + ex.Message);
            return 1;
        }
    }

    // One line per command; each lives in Commands/<Verb>Command.cs with a static Create(CliConsole).
    private static IEnumerable<Command> AllCommands(CliConsole console) =>
    [
        Commands.SimulateCommand.Create(console),
        Commands.DatasetCommand.Create(console),
        Commands.DemoCommand.Create(console),
        Commands.TrainCommand.Create(console),
        Commands.PredictCommand.Create(console),
        Commands.GradCamCommand.Create(console),
        Commands.ImportCommand.Create(console),
        Commands.IsmCommand.Create(console),
        Commands.AttributeCommand.Create(console),
        Commands.RegionsCommand.Create(console),
    ];
}

/// <summary>Where a command writes: standard output for results, standard error for progress and errors.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error);
