namespace SeqLens.Graphs;

/// <summary>How a graph output's raw values (logits) become predictions.</summary>
public enum OutputActivation
{
    /// <summary>Values are used as they are (regression, or scores).</summary>
    None,

    /// <summary>Independent probabilities per task (multi-task binary classification).</summary>
    Sigmoid,

    /// <summary>One distribution over the tasks (multi-class classification).</summary>
    Softmax,
}

/// <summary>An output of a graph: the node, its task names, and the activation that turns its logits into predictions.</summary>
/// <remarks>
/// Graphs end at logits; the activation is kept apart so that training uses a stable loss on logits and attribution
/// targets pre-activation scores, as DeepLIFT recommends.
/// </remarks>
public sealed record GraphOutput(Node Node, IReadOnlyList<string> TaskNames, OutputActivation Activation);
