namespace SeqLens.Import.Onnx;

/// <summary>Options of <see cref="OnnxImporter"/>.</summary>
public sealed class OnnxImportOptions
{
    /// <summary>
    /// The sequence length to use when the model's input has a symbolic length (a <c>dim_param</c> on its last axis).
    /// Null (default): such a model is refused, naming the dimension. A fixed length in the model is never overridden.
    /// </summary>
    public int? Length { get; init; }

    /// <summary>
    /// When true (default), a <c>Softmax</c> over the last axis or a <c>Sigmoid</c> that produces a graph output is not
    /// imported as a node: the output becomes its input (the logits) with <see cref="Graphs.OutputActivation.Softmax"/>
    /// or <see cref="Graphs.OutputActivation.Sigmoid"/>, so attribution targets logits (DESIGN.md §3). When false, every
    /// output is taken as it is with <see cref="Graphs.OutputActivation.None"/>.
    /// </summary>
    public bool FinalActivationAsOutput { get; init; } = true;
}
