using SeqLens.Graphs;
using SeqLens.IO.Onnx;

namespace SeqLens.Import.Onnx;

/// <summary>
/// Imports an ONNX model (opset ≥ 11) of a 1-D genomic CNN onto a SeqLens <see cref="Graph"/>.
/// </summary>
/// <remarks>
/// <para>Mapping: <c>Conv</c> on <c>(N, C, L)</c> (or <c>(N, C, 1, L)</c> with <c>1×k</c> kernels) → Conv1d;
/// <c>Gemm</c> (transB, alpha, beta) and <c>MatMul</c> with a constant weight → Dense (a following <c>Add</c> of a
/// constant vector becomes its bias); <c>Add</c>/<c>Sub</c>/<c>Mul</c>/<c>Div</c> with a constant operand are folded into
/// the bias (and weights) of the Conv1d/Dense that computes the other operand when the constant is per channel and
/// nothing else reads that layer, and otherwise become Affine (<c>x·scale + shift</c>, broadcast constants); between two
/// computed tensors → Add, Sub, Mul; <c>BatchNormalization</c> → BatchNorm1d
/// (PyTorch momentum = 1 − ONNX momentum); pools, activations, <c>Softmax</c>/<c>LogSoftmax</c>, layout ops
/// (<c>Flatten</c>, <c>Reshape</c>, <c>Transpose</c>, <c>Squeeze</c>, <c>Unsqueeze</c>, <c>Concat</c>, <c>Pad</c> on the last
/// axis, <c>Slice</c>) and <c>ReduceMean</c>/<c>ReduceSum</c> to the op of the same meaning; <c>Identity</c> and
/// <c>Dropout</c> vanish. Shape subgraphs (<c>Shape</c>, <c>Gather</c>, <c>Unsqueeze</c>, <c>Squeeze</c>, <c>Concat</c>,
/// <c>Constant</c>, <c>ConstantOfShape</c>, <c>Cast</c>, <c>Slice</c>, <c>Reshape</c>, arithmetic) are evaluated at
/// import on the known shapes, with the batch size kept symbolic.</para>
/// <para>The first axis of every input is the batch (a <c>dim_param</c> or any fixed size); other symbolic dimensions
/// are refused unless <see cref="OnnxImportOptions.Length"/> gives the length. A final <c>Softmax</c>/<c>Sigmoid</c>
/// becomes the output's activation (see <see cref="OnnxImportOptions.FinalActivationAsOutput"/>).</para>
/// <para>Node names: a node whose weight initializer is called <c>prefix.weight</c> (PyTorch's export) is named
/// <c>prefix</c>, so its parameters are <c>prefix.weight</c>, <c>prefix.bias</c> as in the state dict; other nodes keep
/// their ONNX names (or <c>kind_N</c> when unnamed).</para>
/// <para>Errors: malformed content → <see cref="SeqLens.IO.ParseException"/> naming the file and node; valid ONNX that
/// cannot be mapped (an op outside <see cref="SupportedOps"/>, an attribute value we do not implement, a symbolic
/// length) → <see cref="NotSupportedException"/> naming the file, node and op type.</para>
/// </remarks>
public static class OnnxImporter
{
    /// <summary>The oldest default-domain opset accepted.</summary>
    public const long MinimumOpset = 11;

    /// <summary>The ONNX op types the importer maps.</summary>
    public static IReadOnlyCollection<string> SupportedOps => OnnxGraphImporter.SupportedOps;

    /// <summary>Reads and imports the ONNX file at <paramref name="path"/>.</summary>
    public static Graph Import(string path, OnnxImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Import(OnnxModel.Load(path), options);
    }

    /// <summary>Imports an ONNX model already read.</summary>
    public static Graph Import(OnnxModel model, OnnxImportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new OnnxGraphImporter(model, options ?? new OnnxImportOptions()).Run();
    }
}
