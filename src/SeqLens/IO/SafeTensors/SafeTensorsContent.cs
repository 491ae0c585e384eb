namespace SeqLens.IO.SafeTensors;

/// <summary>The tensors of a safetensors file, converted to float32, with each one's stored dtype and the free metadata.</summary>
/// <param name="Tensors">Tensors by name (ordinal order of names).</param>
/// <param name="DataTypes">The dtype each tensor had on disk (<c>F32</c>, <c>F16</c>, <c>BF16</c>, <c>F64</c>).</param>
/// <param name="Metadata">The <c>__metadata__</c> string map (empty when absent).</param>
public sealed record SafeTensorsContent(
    IReadOnlyDictionary<string, Tensor> Tensors,
    IReadOnlyDictionary<string, string> DataTypes,
    IReadOnlyDictionary<string, string> Metadata);
