namespace SeqLens.Cli;

internal static class Program
{
    public static int Main(string[] args) => SeqLensCli.Run(args, Console.Out, Console.Error);
}
