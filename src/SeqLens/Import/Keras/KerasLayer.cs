using System.Text.Json.Nodes;

namespace SeqLens.Import.Keras;

/// <summary>One layer of a Keras model config: class, name, its config object, and the inputs of each call.</summary>
internal sealed record KerasLayer(string ClassName, string Name, JsonObject Config, IReadOnlyList<IReadOnlyList<KerasTensorRef>> Calls);
