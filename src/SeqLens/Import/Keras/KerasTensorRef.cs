namespace SeqLens.Import.Keras;

/// <summary>A reference to a Keras tensor: output <see cref="TensorIndex"/> of call <see cref="NodeIndex"/> of a layer.</summary>
internal readonly record struct KerasTensorRef(string Layer, int NodeIndex, int TensorIndex);
