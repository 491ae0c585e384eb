using SeqLens.Graphs;

namespace SeqLens.Import.Keras;

/// <summary>An imported model and the report of how its layers were mapped.</summary>
/// <param name="Graph">The graph: DNA input <c>(batch, 4, length)</c>, outputs at logits.</param>
/// <param name="Report">Versions, kernel flip and the layer-to-node mapping.</param>
public sealed record KerasImportResult(Graph Graph, KerasImportReport Report);
