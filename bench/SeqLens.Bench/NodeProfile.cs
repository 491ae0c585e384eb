using SeqLens.Graphs;

namespace SeqLens.Bench;

/// <summary>Prints an executor's per-node forward/backward ticks (<see cref="Executor.Profile"/>) as a table of mean ms per pass.</summary>
internal static class NodeProfile
{
    /// <summary>One row per node of <paramref name="g"/>, then the totals; ticks are summed over <paramref name="repeats"/> passes.</summary>
    public static void Print(Graph g, Executor exec, int repeats, string title)
    {
        double ms = 1000.0 / System.Diagnostics.Stopwatch.Frequency / repeats;
        int opWidth = Math.Max(14, g.Nodes.Max(n => n.Op.Kind.Length) + 1);
        Console.WriteLine(title);
        Console.WriteLine(FormattableString.Invariant($"{"node",-16} {"op".PadRight(opWidth)} {"forward",9} {"backward",9}"));
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            Console.WriteLine(FormattableString.Invariant($"{g.Nodes[i].Name,-16} {g.Nodes[i].Op.Kind.PadRight(opWidth)} {exec.ForwardTicks[i] * ms,9:F2} {exec.BackwardTicks[i] * ms,9:F2}"));
        }

        Console.WriteLine(FormattableString.Invariant($"{"total".PadRight(17 + opWidth)} {exec.ForwardTicks.Sum() * ms,9:F2} {exec.BackwardTicks.Sum() * ms,9:F2}"));
    }
}
