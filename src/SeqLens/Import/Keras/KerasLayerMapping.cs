namespace SeqLens.Import.Keras;

/// <summary>How one Keras layer (one call of it) became graph nodes.</summary>
/// <param name="LayerName">The Keras layer name (with <c>#n</c> appended for the n-th call of a shared layer).</param>
/// <param name="ClassName">The Keras class, e.g. <c>Conv1D</c> or <c>Convolution2D</c>.</param>
/// <param name="Nodes">Graph nodes created for it, in order (layout transposes included); empty for a relabelling.</param>
/// <param name="OutputNode">The node holding the layer's output.</param>
/// <param name="Note">What was converted, e.g. kernel layout, flip, a removed final activation.</param>
public sealed record KerasLayerMapping(string LayerName, string ClassName, IReadOnlyList<string> Nodes, string OutputNode, string Note);
