using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Attribution;

/// <summary>Which DeepLIFT rule the nonlinear nodes use (Shrikumar et al. 2017).</summary>
public enum DeepLiftRule
{
    /// <summary>Rescale everywhere (captum's DeepLift, tangermeme's deep_lift_shap).</summary>
    Rescale,

    /// <summary>RevealCancel at every element-wise nonlinearity.</summary>
    RevealCancel,

    /// <summary>
    /// The DeepLIFT repository's genomics default: Rescale for nonlinearities fed by convolutions, RevealCancel for those
    /// fed by dense layers (see <see cref="DeepLiftRules.Resolve"/>).
    /// </summary>
    Genomics,
}

/// <summary>Turns a <see cref="DeepLiftRule"/> into one <see cref="BackwardRule"/> per node.</summary>
public static class DeepLiftRules
{
    /// <summary>
    /// Per-node rules for <paramref name="rule"/>, indexed by <see cref="Node.Index"/>. Max pooling and products use their
    /// own DeepLIFT rules under every mode. For <see cref="DeepLiftRule.Genomics"/> an element-wise node looks up through
    /// linear ops without weights of their own kind (batch-norm, dropout, reshape, pad, the first term of an add...) to the
    /// nearest Conv1d or Dense: Dense ⇒ RevealCancel, anything else (Conv1d, an input) ⇒ Rescale.
    /// </summary>
    public static BackwardRule[] Resolve(Graph graph, DeepLiftRule rule)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var rules = new BackwardRule[graph.Nodes.Count];
        foreach (Node node in graph.Nodes)
        {
            rules[node.Index] = rule switch
            {
                DeepLiftRule.Rescale => BackwardRule.Rescale,
                DeepLiftRule.RevealCancel => node.Op.Attribution == AttributionClass.Elementwise ? BackwardRule.RevealCancel : BackwardRule.Rescale,
                DeepLiftRule.Genomics => node.Op.Attribution == AttributionClass.Elementwise && FedByDense(node) ? BackwardRule.RevealCancel : BackwardRule.Rescale,
                _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown DeepLIFT rule."),
            };
        }

        return rules;
    }

    private static bool FedByDense(Node node)
    {
        Node current = node.Inputs[0];
        while (true)
        {
            switch (current.Op)
            {
                case DenseOp:
                    return true;
                case Conv1dOp:
                    return false;
            }

            if (current.IsInput || current.Op.Attribution != AttributionClass.Linear || current.Inputs.Count == 0)
            {
                return false;
            }

            current = current.Inputs[0];
        }
    }
}
