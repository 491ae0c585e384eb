using System.Text.Json.Nodes;
using SeqLens.Graphs;

namespace SeqLens.IO.Models;

/// <summary>A model read from disk.</summary>
/// <param name="Graph">The graph, with weights from <c>model.safetensors</c> or freshly initialised.</param>
/// <param name="Metadata">The spec's free <c>metadata</c> object (training settings, provenance).</param>
/// <param name="HasWeights">True when the weights came from a file.</param>
/// <param name="SpecPath">The <c>model.json</c> that was read.</param>
public sealed record LoadedModel(Graph Graph, JsonObject Metadata, bool HasWeights, string SpecPath);
