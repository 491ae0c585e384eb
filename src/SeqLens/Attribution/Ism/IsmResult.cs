namespace SeqLens.Attribution.Ism;

/// <summary>Scores of in-silico mutagenesis for a batch of sequences.</summary>
/// <remarks>
/// <see cref="Scores"/> is <c>(N, T, 4, L)</c>: the score of putting base b (A, C, G, T) at position p of sequence n,
/// for task t; 0 at the reference base (identity edits are skipped) and outside the window [<see cref="Start"/>,
/// <see cref="End"/>). At positions whose reference column is not one-hot (N), all four bases are substitutions.
/// </remarks>
public sealed class IsmResult
{
    internal IsmResult(Tensor scores, Tensor reference, IReadOnlyList<string> taskNames, int start, int end)
    {
        Scores = scores;
        Reference = reference;
        TaskNames = taskNames;
        Start = start;
        End = end;
    }

    /// <summary>Scores <c>(N, T, 4, L)</c>.</summary>
    public Tensor Scores { get; }

    /// <summary>Raw output of each reference sequence <c>(N, T)</c> (the forward strand).</summary>
    public Tensor Reference { get; }

    /// <summary>Task names (length T).</summary>
    public IReadOnlyList<string> TaskNames { get; }

    /// <summary>First mutated position.</summary>
    public int Start { get; }

    /// <summary>End of the mutated positions (exclusive).</summary>
    public int End { get; }

    /// <summary>The scores of task <paramref name="task"/> as a new <c>(N, 4, L)</c> tensor.</summary>
    public Tensor ForTask(int task)
    {
        int n = Scores.Shape[0];
        int tasks = Scores.Shape[1];
        int length = Scores.Shape[3];
        if ((uint)task >= (uint)tasks)
        {
            throw new ArgumentOutOfRangeException(nameof(task), task, $"The output has {tasks} task(s).");
        }

        var result = new Tensor(n, 4, length);
        for (int i = 0; i < n; i++)
        {
            Scores.Data.AsSpan(((i * tasks) + task) * 4 * length, 4 * length).CopyTo(result.Data.AsSpan(i * 4 * length));
        }

        return result;
    }
}
