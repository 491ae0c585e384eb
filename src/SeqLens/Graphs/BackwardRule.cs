namespace SeqLens.Graphs;

/// <summary>
/// The rule a backward pass applies at nonlinear nodes (DESIGN.md section 3). Linear ops always use the gradient.
/// </summary>
public enum BackwardRule
{
    /// <summary>The ordinary gradient (training, saliency, gradient × input, integrated gradients, Grad-CAM).</summary>
    Gradient,

    /// <summary>DeepLIFT Rescale: multiplier Δy/Δx against the paired reference row (gradient where |Δx| &lt; 1e-6).</summary>
    Rescale,

    /// <summary>DeepLIFT RevealCancel: positive and negative parts of Δx treated separately.</summary>
    RevealCancel,

    /// <summary>Guided backpropagation: only positive gradients pass through ReLU-like nodes.</summary>
    GuidedBackprop,
}
