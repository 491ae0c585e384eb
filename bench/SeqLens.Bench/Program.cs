namespace SeqLens.Bench;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("usage: dotnet run -c Release --project bench/SeqLens.Bench -- <suite>");
        return args.Length == 0 ? 0 : 1;
    }
}
