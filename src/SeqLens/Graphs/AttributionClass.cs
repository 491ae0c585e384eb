namespace SeqLens.Graphs;

/// <summary>How an op takes part in DeepLIFT-style attribution (DESIGN.md section 3).</summary>
public enum AttributionClass
{
    /// <summary>Affine in its inputs (conv, dense, average pooling, eval batch-norm, add, reshape, pad, concat): the rule is the gradient.</summary>
    Linear,

    /// <summary>An element-wise nonlinearity: gradient, Rescale, RevealCancel or guided rule.</summary>
    Elementwise,

    /// <summary>Max pooling: DeepLIFT's completeness-preserving rule.</summary>
    MaxPool,

    /// <summary>A product of two inputs (gates): the Shapley product rule.</summary>
    Product,

    /// <summary>Softmax / log-softmax: attribute to the logits.</summary>
    Softmax,

    /// <summary>Any other nonlinear op: only the gradient rule is defined; the completeness audit flags it.</summary>
    Other,
}
