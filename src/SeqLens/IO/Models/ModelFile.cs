using System.Text.Json.Nodes;
using SeqLens.Graphs;
using SeqLens.IO.SafeTensors;

namespace SeqLens.IO.Models;

/// <summary>
/// Native model files (DESIGN.md §5): a directory holding <c>model.json</c> (<see cref="ModelSpec"/>) and
/// <c>model.safetensors</c> (every parameter, keyed by <see cref="Parameter.Name"/>, F32).
/// </summary>
public static class ModelFile
{
    /// <summary>File name of the spec.</summary>
    public const string SpecFileName = "model.json";

    /// <summary>File name of the weights.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>Writes <c>model.json</c> and <c>model.safetensors</c> into <paramref name="directory"/> (created when missing), each atomically.</summary>
    public static void Save(Graph graph, string directory, JsonObject? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        SafeTensorsFile.Write(
            Path.Combine(directory, WeightsFileName),
            graph.Parameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Value)),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "seqlens" });
        AtomicFile.WriteAllText(Path.Combine(directory, SpecFileName), ModelSpec.Serialize(ModelSpec.ToJson(graph, metadata)));
    }

    /// <summary>
    /// Loads a trained model: <paramref name="path"/> is its directory or its <c>model.json</c>; the weights must be
    /// beside it. Missing, extra or wrong-shaped tensors are a <see cref="ParseException"/> naming them.
    /// </summary>
    public static LoadedModel Load(string path)
    {
        (string specPath, JsonObject spec) = ReadSpec(path);
        string weights = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(specPath)) ?? ".", WeightsFileName);
        if (!File.Exists(weights))
        {
            throw new FileNotFoundException($"{specPath}: no {WeightsFileName} beside it; a spec without weights can be trained with 'seqlens train --spec'.", weights);
        }

        Graph graph = ModelSpec.Build(spec, specPath);
        LoadWeights(graph, weights);
        return new LoadedModel(graph, Metadata(spec), true, specPath);
    }

    /// <summary>
    /// Builds a fresh model from a spec (file or directory), parameters initialised from <paramref name="seed"/>; any
    /// weights file beside it is ignored. <paramref name="defaultTaskNames"/> names the tasks when the spec does not.
    /// </summary>
    public static LoadedModel LoadSpec(string path, long seed, IReadOnlyList<string>? defaultTaskNames = null)
    {
        (string specPath, JsonObject spec) = ReadSpec(path);
        return new LoadedModel(ModelSpec.Build(spec, specPath, seed, defaultTaskNames), Metadata(spec), false, specPath);
    }

    /// <summary>Fills <paramref name="graph"/>'s parameters from a safetensors file, checking that names and shapes match exactly.</summary>
    public static void LoadWeights(Graph graph, string safetensorsPath)
    {
        ArgumentNullException.ThrowIfNull(graph);
        SafeTensorsContent content = SafeTensorsFile.Read(safetensorsPath);
        var problems = new List<string>();
        string[] missing = graph.Parameters.Where(p => !content.Tensors.ContainsKey(p.Name)).Select(p => p.Name).ToArray();
        if (missing.Length > 0)
        {
            problems.Add("missing tensors " + string.Join(", ", missing));
        }

        var known = graph.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        string[] extra = content.Tensors.Keys.Where(k => !known.Contains(k)).ToArray();
        if (extra.Length > 0)
        {
            problems.Add("unexpected tensors " + string.Join(", ", extra));
        }

        foreach (Parameter p in graph.Parameters)
        {
            if (content.Tensors.TryGetValue(p.Name, out Tensor? t) && !t.SameShape(p.Value))
            {
                problems.Add($"'{p.Name}' has shape {Tensor.FormatShape(t.Shape)}; the model needs {Tensor.FormatShape(p.Value.Shape)}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ParseException(safetensorsPath, 0, 0, "weights do not match the model: " + string.Join("; ", problems) + ".");
        }

        foreach (Parameter p in graph.Parameters)
        {
            content.Tensors[p.Name].Data.CopyTo(p.Value.Data, 0);
        }
    }

    private static (string Path, JsonObject Spec) ReadSpec(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string specPath = Directory.Exists(path) ? Path.Combine(path, SpecFileName) : path;
        if (!File.Exists(specPath))
        {
            throw new FileNotFoundException($"Model spec '{specPath}' does not exist.", specPath);
        }

        return (specPath, ModelSpec.Parse(File.ReadAllText(specPath), specPath));
    }

    private static JsonObject Metadata(JsonObject spec) => spec["metadata"] as JsonObject is JsonObject m ? (JsonObject)m.DeepClone() : [];
}
