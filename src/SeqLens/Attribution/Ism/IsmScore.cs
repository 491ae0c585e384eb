namespace SeqLens.Attribution.Ism;

/// <summary>How in-silico mutagenesis turns a mutant's prediction into a score.</summary>
public enum IsmScore
{
    /// <summary><c>f(mutant) − f(reference)</c> on the output's raw values (logits), per task.</summary>
    Difference,

    /// <summary>
    /// <c>log p(mutant) − log p(reference)</c>, where <c>p</c> is the output's activation applied to the logits:
    /// sigmoid per task (<c>log σ(z)</c> = <c>−softplus(−z)</c>) or softmax over the tasks (<c>log_softmax(z)</c>).
    /// Needs an output whose <see cref="Graphs.OutputActivation"/> is Sigmoid or Softmax.
    /// </summary>
    LogRatio,
}
