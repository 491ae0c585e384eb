using System.Text.Json;
using System.Text.Json.Nodes;
using SeqLens.Graphs;

namespace SeqLens.IO.Models;

/// <summary>
/// The <c>model.json</c> graph spec: converts a <see cref="Graph"/> to JSON and builds one back with
/// <see cref="OpRegistry"/> and <see cref="GraphBuilder.Add(Op, IReadOnlyList{Node}, string?)"/>.
/// </summary>
/// <remarks>
/// Layout (<c>format</c> "seqlens-model", <c>version</c> 1):
/// <code>
/// { "format": "seqlens-model", "version": 1,
///   "inputs":  [ { "name": "dna", "shape": [4, 200] } ],                       // per-sample shapes
///   "nodes":   [ { "name": "conv1", "op": "Conv1d", "inputs": ["dna"],
///                  "attributes": { "out_channels": 32, "kernel_size": 15 } } ], // in order; inputs listed first
///   "outputs": [ { "node": "logits", "tasks": ["bound"], "activation": "sigmoid" } ],
///   "metadata": { ... free ... } }
/// </code>
/// Attributes are each op's <see cref="Op.WriteAttributes"/>; in a hand-written spec the ones an op can infer from its
/// input (<c>in_channels</c>, <c>in_features</c>) may be omitted. Building a spec initialises the parameters from the
/// seed, one <see cref="GraphBuilder.NextInitRandom"/> stream per node in order, so the same spec and seed give the
/// same weights. <c>tasks</c> defaults to
/// <c>task0..</c>, <c>activation</c> to <c>sigmoid</c> (also <c>softmax</c>, <c>none</c>).
/// </remarks>
public static class ModelSpec
{
    /// <summary>The value of the <c>format</c> field.</summary>
    public const string Format = "seqlens-model";

    /// <summary>The spec version this code writes and reads.</summary>
    public const int Version = 1;

    /// <summary>The spec of <paramref name="graph"/>, with free <paramref name="metadata"/> (copied).</summary>
    public static JsonObject ToJson(Graph graph, JsonObject? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var inputs = new JsonArray();
        var nodes = new JsonArray();
        foreach (Node node in graph.Nodes)
        {
            if (node.IsInput)
            {
                inputs.Add(new JsonObject { ["name"] = node.Name, ["shape"] = Ints(node.SampleShape) });
                continue;
            }

            var attributes = new JsonObject();
            node.Op.WriteAttributes(attributes);
            nodes.Add(new JsonObject
            {
                ["name"] = node.Name,
                ["op"] = node.Op.Kind,
                ["inputs"] = new JsonArray(node.Inputs.Select(i => (JsonNode)JsonValue.Create(i.Name)!).ToArray()),
                ["attributes"] = attributes,
            });
        }

        var outputs = new JsonArray();
        foreach (GraphOutput o in graph.Outputs)
        {
            outputs.Add(new JsonObject
            {
                ["node"] = o.Node.Name,
                ["tasks"] = new JsonArray(o.TaskNames.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
                ["activation"] = o.Activation.ToString().ToLowerInvariant(),
            });
        }

        return new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["inputs"] = inputs,
            ["nodes"] = nodes,
            ["outputs"] = outputs,
            ["metadata"] = metadata?.DeepClone() ?? new JsonObject(),
        };
    }

    /// <summary>Serialises a spec as indented JSON with <c>\n</c> line ends.</summary>
    public static string Serialize(JsonObject spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true, NewLine = "\n" }) + "\n";
    }

    /// <summary>Parses the JSON text of <paramref name="path"/>; syntax errors become <see cref="ParseException"/> with line and column.</summary>
    public static JsonObject Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ParseException(path, (ex.LineNumber ?? -1) + 1, (int)(ex.BytePositionInLine ?? -1) + 1, "model spec is not valid JSON: " + ex.Message, ex);
        }

        return root as JsonObject ?? throw new ParseException(path, 1, 1, "model spec must be a JSON object.");
    }

    /// <summary>
    /// Builds the graph described by <paramref name="spec"/> (read from <paramref name="path"/>, named in errors), with
    /// parameters initialised from <paramref name="seed"/>. Every problem is a <see cref="ParseException"/> naming the node.
    /// <paramref name="defaultTaskNames"/> names the first output's tasks when the spec does not (e.g. from a label file).
    /// </summary>
    public static Graph Build(JsonObject spec, string path, long seed = 0, IReadOnlyList<string>? defaultTaskNames = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(path);
        string format = Text(spec["format"], "'format'", path);
        if (format != Format)
        {
            throw Error(path, $"'format' must be \"{Format}\"; got \"{format}\".");
        }

        int version = Integer(spec["version"], "'version'", path);
        if (version != Version)
        {
            throw Error(path, version > Version
                ? $"spec version {version} was written by a newer SeqLens; this one reads version {Version}."
                : $"unknown spec version {version}; expected {Version}.");
        }

        var builder = new GraphBuilder(seed);
        var byName = new Dictionary<string, Node>(StringComparer.Ordinal);
        JsonArray inputs = Array(spec["inputs"], "'inputs'", path);
        if (inputs.Count == 0)
        {
            throw Error(path, "'inputs' is empty; a model needs at least one input.");
        }

        foreach (JsonNode? item in inputs)
        {
            JsonObject input = Object(item, "each entry of 'inputs'", path);
            string name = Text(input["name"], "input 'name'", path);
            int[] shape = Array(input["shape"], $"input '{name}': 'shape'", path).Select(d => Integer(d, $"input '{name}': 'shape' entries", path)).ToArray();
            byName[name] = Wrap(path, $"input '{name}'", () => builder.Input(name, shape));
        }

        foreach (JsonNode? item in Array(spec["nodes"], "'nodes'", path))
        {
            JsonObject node = Object(item, "each entry of 'nodes'", path);
            string name = Text(node["name"], "node 'name'", path);
            string kind = Text(node["op"], $"node '{name}': 'op'", path);
            var args = new List<Node>();
            foreach (JsonNode? input in Array(node["inputs"], $"node '{name}': 'inputs'", path))
            {
                string inputName = Text(input, $"node '{name}': 'inputs' entries", path);
                if (!byName.TryGetValue(inputName, out Node? source))
                {
                    throw Error(path, $"node '{name}': unknown input '{inputName}' (an input must be a model input or a node listed earlier).");
                }

                args.Add(source);
            }

            JsonObject? attributes = node["attributes"] switch
            {
                null => null,
                JsonObject o => (JsonObject)o.DeepClone(),
                _ => throw Error(path, $"node '{name}': 'attributes' must be an object."),
            };

            byName[name] = Wrap(path, $"node '{name}'", () =>
            {
                Op op = OpRegistry.Create(kind, new OpAttributes(name, attributes), args.Select(a => (int[])[1, .. a.SampleShape]).ToArray(), builder.NextInitRandom());
                return builder.Add(op, args, name);
            });
        }

        var outputs = new List<GraphOutput>();
        foreach (JsonNode? item in Array(spec["outputs"], "'outputs'", path))
        {
            JsonObject output = Object(item, "each entry of 'outputs'", path);
            string name = Text(output["node"], "output 'node'", path);
            if (!byName.TryGetValue(name, out Node? node))
            {
                throw Error(path, $"output names unknown node '{name}'.");
            }

            IReadOnlyList<string>? tasks = output["tasks"] is null ? (outputs.Count == 0 ? defaultTaskNames : null) : Array(output["tasks"], $"output '{name}': 'tasks'", path).Select(t => Text(t, $"output '{name}': 'tasks' entries", path)).ToArray();
            string activationText = output["activation"] is null ? "sigmoid" : Text(output["activation"], $"output '{name}': 'activation'", path);
            OutputActivation activation = activationText.ToLowerInvariant() switch
            {
                "sigmoid" => OutputActivation.Sigmoid,
                "softmax" => OutputActivation.Softmax,
                "none" or "linear" => OutputActivation.None,
                _ => throw Error(path, $"output '{name}': activation must be sigmoid, softmax or none; got \"{activationText}\"."),
            };

            outputs.Add(Wrap(path, $"output '{name}'", () => GraphBuilder.MakeOutput(node, tasks, activation)));
        }

        return Wrap(path, "model", () => builder.Build(outputs));
    }

    private static T Wrap<T>(string path, string what, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or NotSupportedException or InvalidOperationException)
        {
            // Builder messages already start with "Node 'x':"; do not repeat the node.
            string message = ex.Message.StartsWith("Node '", StringComparison.Ordinal) ? ex.Message : $"{what}: {ex.Message}";
            throw Error(path, message, ex);
        }
    }

    private static JsonArray Ints(int[] values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static ParseException Error(string path, string message, Exception? inner = null) => new(path, 0, 0, message, inner);

    private static JsonObject Object(JsonNode? node, string what, string path)
        => node as JsonObject ?? throw Error(path, $"{what} must be a JSON object; got {Describe(node)}.");

    private static JsonArray Array(JsonNode? node, string what, string path)
        => node as JsonArray ?? throw Error(path, $"{what} must be a JSON array; got {Describe(node)}.");

    private static string Text(JsonNode? node, string what, string path)
        => node is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : throw Error(path, $"{what} must be a non-empty string; got {Describe(node)}.");

    private static int Integer(JsonNode? node, string what, string path)
        => node is JsonValue v && v.TryGetValue(out int i) ? i : throw Error(path, $"{what} must be an integer; got {Describe(node)}.");

    private static string Describe(JsonNode? node) => node is null ? "nothing" : node.ToJsonString().Length > 60 ? node.ToJsonString()[..60] + "..." : node.ToJsonString();
}
