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

    /// <summary>Add into every trainable parameter's gradient (default false).</summary>
    public bool ParameterGradients { get; init; }

    /// <summary>Compute gradients with respect to the graph inputs (default true).</summary>
    public bool InputGradients { get; init; } = true;

    /// <summary>For DeepLIFT rules: the reference row of each batch row (-1 for reference rows). See <see cref="BackwardContext.ReferenceRow"/>.</summary>
    public int[]? ReferenceRow { get; init; }
}
