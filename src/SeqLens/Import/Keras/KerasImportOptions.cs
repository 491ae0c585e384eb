namespace SeqLens.Import.Keras;

/// <summary>Choices for <see cref="KerasImporter"/>; every property has a default that suits the file as saved.</summary>
public sealed class KerasImportOptions
{
    /// <summary>
    /// Reverse every convolution kernel along its width (Theano performs true convolution, our engine and TensorFlow
    /// cross-correlation). Null (default) detects it: true when the file's backend is <c>theano</c>, or when no backend
    /// is recorded and a layer uses Theano dim ordering (<c>dim_ordering: "th"</c>, Keras 1); false otherwise.
    /// </summary>
    public bool? TheanoKernelFlip { get; init; }

    /// <summary>Length of the sequence axis when the model's input leaves it open (<c>null</c> in the input shape).</summary>
    public int? InputLength { get; init; }

    /// <summary>Task names of the (single) output; default <c>task0..</c>.</summary>
    public IReadOnlyList<string>? TaskNames { get; init; }

    /// <summary>
    /// Keep a final sigmoid/softmax as an op inside the graph (output activation <c>None</c>). Default false: the graph
    /// ends at logits and the activation is recorded as the output's <see cref="Graphs.OutputActivation"/>.
    /// </summary>
    public bool KeepOutputActivation { get; init; }
}
