namespace SeqLens.Bench;

internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ism")
        {
            return Attribution.IsmBenchmark.Run(args[1..]);
        }

        Console.WriteLine("usage: dotnet run -c Release --project bench/SeqLens.Bench -- <suite>");
        return args.Length == 0 ? 0 : 1;
    }
}
