using System.Text.Json.Nodes;
using SeqLens.Graphs;
using SeqLens.Import.Keras;
using SeqLens.Import.Onnx;
using SeqLens.Import.Torch;
using SeqLens.IO;
using SeqLens.IO.Models;

namespace SeqLens.Import;

/// <summary>
/// Loads a model from whatever a user has, so every command's <c>--model</c> accepts it (DESIGN.md §5):
/// a SeqLens folder or <c>model.json</c> (weights beside it, or a PyTorch state dict given as weights), an ONNX file,
/// a Keras full-model <c>.h5</c>, or a Keras model JSON with its HDF5 weights.
/// </summary>
public static class ModelLoader
{
    /// <summary>
    /// Loads <paramref name="model"/>; <paramref name="weights"/> is needed for a Keras JSON (<c>.h5</c> weights) and
    /// optional for a SeqLens spec (a <c>.pt</c>/<c>.pth</c> state dict, or a <c>.safetensors</c> file).
    /// </summary>
    /// <remarks>Keras imports flip Theano kernels when the file says Theano; <paramref name="theanoFlip"/> overrides that.</remarks>
    public static LoadedModel Load(string model, string? weights = null, bool? theanoFlip = null, int? inputLength = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        string ext = Path.GetExtension(model).ToLowerInvariant();
        if (Directory.Exists(model) || (ext == ".json" && IsSeqLensSpec(model)))
        {
            if (weights is null)
            {
                return ModelFile.Load(model);
            }

            LoadedModel spec = ModelFile.LoadSpec(model, seed: 0);
            string wext = Path.GetExtension(weights).ToLowerInvariant();
            if (wext is ".pt" or ".pth" or ".bin")
            {
                TorchImporter.Load(spec.Graph, weights);
            }
            else if (wext == ".safetensors")
            {
                ModelFile.LoadWeights(spec.Graph, weights);
            }
            else
            {
                throw new NotSupportedException($"{weights}: weights for a SeqLens spec must be a PyTorch state dict (.pt, .pth) or a .safetensors file.");
            }

            return spec with { HasWeights = true, Metadata = Provenance(spec.Metadata, "seqlens-spec+" + wext.TrimStart('.'), weights) };
        }

        if (!File.Exists(model))
        {
            throw new FileNotFoundException($"{model}: no such model file or folder.", model);
        }

        switch (ext)
        {
            case ".onnx":
                return Imported(OnnxImporter.Import(model, new OnnxImportOptions { Length = inputLength }), "onnx", model);
            case ".h5" or ".hdf5" or ".keras":
                return Imported(KerasImporter.ImportFullModel(model, KerasOptions(theanoFlip, inputLength)), "keras", model);
            case ".json":
                if (weights is null)
                {
                    throw new ArgumentException($"{model} is a Keras model JSON: give its HDF5 weights with --weights.");
                }

                return Imported(KerasImporter.Import(model, weights, KerasOptions(theanoFlip, inputLength)), "keras", model);
            case ".pt" or ".pth":
                throw new ArgumentException($"{model} is a PyTorch state dict, which holds weights but no graph: give the SeqLens spec as --model and the state dict as --weights.");
            default:
                throw new NotSupportedException($"{model}: unknown model kind; expected a SeqLens model folder or model.json, .onnx, a Keras .h5, or a Keras .json with --weights.");
        }
    }

    private static KerasImportOptions KerasOptions(bool? theanoFlip, int? inputLength) => new() { TheanoKernelFlip = theanoFlip, InputLength = inputLength };

    private static LoadedModel Imported(Graph graph, string kind, string source)
        => new(graph, Provenance([], kind, source), true, source);

    private static JsonObject Provenance(JsonObject metadata, string kind, string source)
    {
        var copy = (JsonObject)metadata.DeepClone();
        copy["imported_from"] = new JsonObject { ["kind"] = kind, ["file"] = Path.GetFileName(source) };
        return copy;
    }

    private static bool IsSeqLensSpec(string path)
    {
        JsonObject json = ModelSpec.Parse(File.ReadAllText(path), path);
        if (json.ContainsKey("format"))
        {
            return true;
        }

        if (json.ContainsKey("class_name") || json.ContainsKey("config"))
        {
            return false;
        }

        throw new ParseException(path, 1, 1, "neither a SeqLens model spec (no \"format\") nor a Keras model JSON (no \"class_name\").");
    }
}
