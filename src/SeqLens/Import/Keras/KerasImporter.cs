using SeqLens.Graphs;
using SeqLens.IO;

namespace SeqLens.Import.Keras;

/// <summary>
/// Imports Keras models (Keras 1.x and 2.x; Sequential and functional) into a <see cref="Graph"/>: a model JSON plus an
/// HDF5 weights file, or a full-model <c>.h5</c> whose root holds the <c>model_config</c> attribute.
/// </summary>
/// <remarks>
/// <para>Layout: the graph takes DNA as <c>(batch, 4, length)</c> whatever the Keras input was: channels-last
/// <c>(length, 4)</c>, channels-first <c>(4, length)</c>, Theano-ordered <c>(4, 1, length)</c> or TensorFlow-ordered
/// <c>(1, length, 4)</c>. Kernels are converted to ours (Conv1D <c>(k, in, out)</c>, Keras 1 Conv2D
/// <c>(out, in, 1, k)</c> or <c>(1, k, in, out)</c> → <c>(out, in, k)</c>; Dense <c>(in, out)</c> → <c>(out, in)</c>);
/// where Keras' row-major element order matters (Flatten, Reshape, Dense on rank &gt; 1, outputs) a Transpose is
/// inserted, so a channels-last Flatten still feeds the next Dense in Keras' position-major order.</para>
/// <para>Theano performs true convolution: for Theano-trained models each kernel is reversed along its width
/// (detected from the recorded backend, or from Theano dim ordering when no backend is recorded; see
/// <see cref="KerasImportOptions.TheanoKernelFlip"/>).</para>
/// <para>A final sigmoid/softmax becomes the output's <see cref="OutputActivation"/> (the graph ends at logits); inner
/// activations become ops; Dropout becomes Dropout (the identity in evaluation). Layers: see
/// <see cref="SupportedLayers"/>; anything else fails at import with its class and layer name.</para>
/// </remarks>
public static class KerasImporter
{
    /// <summary>The Keras layer classes understood (Keras 1 and 2 spellings).</summary>
    public static IReadOnlyList<string> SupportedLayers => KerasGraphTranslator.SupportedLayers;

    /// <summary>Imports a model JSON (<c>model.to_json()</c>) with its HDF5 weights (<c>save_weights</c> or a full model file).</summary>
    /// <exception cref="ParseException">Bad JSON, an unsupported layer, missing weights or shapes that do not match.</exception>
    public static Graph Import(string jsonPath, string weightsPath, KerasImportOptions? options = null)
        => ImportWithReport(jsonPath, weightsPath, options).Graph;

    /// <summary>As <see cref="Import"/>, also returning the report of the layer mapping.</summary>
    public static KerasImportResult ImportWithReport(string jsonPath, string weightsPath, KerasImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(jsonPath);
        ArgumentNullException.ThrowIfNull(weightsPath);
        KerasModelConfig config = KerasModelConfig.Parse(File.ReadAllText(jsonPath), jsonPath);
        using KerasWeights weights = KerasWeights.Open(weightsPath);
        return new KerasGraphTranslator(config, weights, options).Translate();
    }

    /// <summary>Imports a full-model <c>.h5</c> (<c>model.save</c>): config from the <c>model_config</c> attribute, weights from <c>model_weights</c>.</summary>
    /// <exception cref="ParseException">No <c>model_config</c>, or any error of <see cref="Import"/>.</exception>
    public static Graph ImportFullModel(string h5Path, KerasImportOptions? options = null)
        => ImportFullModelWithReport(h5Path, options).Graph;

    /// <summary>As <see cref="ImportFullModel"/>, also returning the report of the layer mapping.</summary>
    public static KerasImportResult ImportFullModelWithReport(string h5Path, KerasImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(h5Path);
        using KerasWeights weights = KerasWeights.Open(h5Path);
        string text = weights.ModelConfig
            ?? throw new ParseException(h5Path, 0, 0, "no 'model_config' attribute at the root: this is a weights-only file; import it with its model JSON (KerasImporter.Import).");
        KerasModelConfig config = KerasModelConfig.Parse(text, h5Path + " (model_config)");
        return new KerasGraphTranslator(config, weights, options).Translate();
    }
}
