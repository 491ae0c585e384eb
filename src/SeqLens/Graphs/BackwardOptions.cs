namespace SeqLens.Graphs;

/// <summary>What a backward pass computes and with which rule.</summary>
public sealed record BackwardOptions
{
    /// <summary>Training: parameter gradients, the gradient rule, no input gradients.</summary>
    public static BackwardOptions Training { get; } = new() { ParameterGradients = true, InputGradients = false };

    /// <summary>Attribution by gradients: input gradients only.</summary>
    public static BackwardOptions InputOnly { get; } = new() { ParameterGradients = false, InputGradients = true };

    /// <summary>The rule at nonlinear nodes (default: gradient).</summary>
    public BackwardRule Rule { get; init; } = BackwardRule.Gradient;

    /// <summary>
    /// Optional rule per node, indexed by <see cref="Node.Index"/> (overrides <see cref="Rule"/>; e.g. DeepLIFT's genomics
    /// default: Rescale after convolutions, RevealCancel after dense layers). When any node uses
    /// <see cref="BackwardRule.RevealCancel"/> the executor runs the split pass (see <see cref="BackwardContext"/>).
    /// </summary>
    public IReadOnlyList<BackwardRule>? NodeRules { get; init; }

    /// <summary>Add into every trainable parameter's gradient (default false).</summary>
    public bool ParameterGradients { get; init; }

    /// <summary>Compute gradients with respect to the graph inputs (default true).</summary>
    public bool InputGradients { get; init; } = true;

    /// <summary>For DeepLIFT rules: which batch rows are compared (required for any rule but the gradient).</summary>
    public RowPairs? Pairs { get; init; }

    /// <summary>The rule of <paramref name="node"/>.</summary>
    public BackwardRule RuleOf(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return NodeRules is null ? Rule : NodeRules[node.Index];
    }
}
