using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SeqLens.IO;

namespace SeqLens.Import.Keras;

/// <summary>
/// A parsed Keras model config (the JSON of <c>model.to_json()</c> or the <c>model_config</c> attribute), normalised to
/// the functional form: a Sequential model becomes a chain fed by a synthetic input layer.
/// </summary>
/// <remarks>
/// Accepts Keras 1 and 2 (<c>Sequential</c> with a list or <c>{"layers": [...]}</c>; <c>Model</c>/<c>Functional</c> with
/// <c>inbound_nodes</c> as <c>[[[name, node, tensor(, kwargs)]...]...]</c>).
/// </remarks>
internal sealed class KerasModelConfig
{
    private KerasModelConfig(string source, string text, string? kerasVersion, string? backend, IReadOnlyList<KerasLayer> layers, IReadOnlyList<KerasTensorRef> inputs, IReadOnlyList<KerasTensorRef> outputs)
    {
        Source = source;
        Text = text;
        KerasVersion = kerasVersion;
        Backend = backend;
        Layers = layers;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>Where the config came from (file path, or <c>file.h5:model_config</c>).</summary>
    public string Source { get; }

    /// <summary>The JSON text (for locating layers by line).</summary>
    public string Text { get; }

    public string? KerasVersion { get; }

    public string? Backend { get; }

    public IReadOnlyList<KerasLayer> Layers { get; }

    public IReadOnlyList<KerasTensorRef> Inputs { get; }

    public IReadOnlyList<KerasTensorRef> Outputs { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="ParseException"/> naming <paramref name="source"/>.</summary>
    public static KerasModelConfig Parse(string text, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            throw new ParseException(source, (ex.LineNumber ?? -1) + 1, (int)(ex.BytePositionInLine ?? -1) + 1, "not valid JSON: " + ex.Message, ex);
        }

        if (root is not JsonObject model)
        {
            throw new ParseException(source, 0, 0, "expected a Keras model config: a JSON object with \"class_name\" and \"config\".");
        }

        string className = Str(model, "class_name") ?? throw new ParseException(source, 0, 0, "the model config has no \"class_name\" (expected \"Sequential\", \"Model\" or \"Functional\").");
        string? version = Str(model, "keras_version");
        string? backend = Str(model, "backend");
        JsonNode? config = model["config"];
        return className switch
        {
            "Sequential" => ParseSequential(config, source, text, version, backend),
            "Model" or "Functional" => ParseFunctional(config, source, text, version, backend),
            _ => throw new ParseException(source, 0, 0, $"unsupported model class \"{className}\"; expected \"Sequential\", \"Model\" or \"Functional\"."),
        };
    }

    private static KerasModelConfig ParseSequential(JsonNode? config, string source, string text, string? version, string? backend)
    {
        JsonArray layerArray = config switch
        {
            JsonArray a => a,
            JsonObject o when o["layers"] is JsonArray a => a,
            _ => throw new ParseException(source, 0, 0, "a Sequential config must be a list of layers or an object with \"layers\"."),
        };
        var raw = layerArray.Select((l, i) => ReadLayer(l, i, source)).ToList();
        if (raw.Count == 0)
        {
            throw new ParseException(source, 0, 0, "the Sequential model has no layers.");
        }

        var layers = new List<KerasLayer>();
        string previous;
        int start = 0;
        if (raw[0].ClassName == "InputLayer")
        {
            layers.Add(raw[0] with { Calls = [[]] });
            previous = raw[0].Name;
            start = 1;
        }
        else
        {
            // Keras names the implicit input "<first layer>_input"; the first layer's config holds its shape.
            var inputConfig = new JsonObject { ["name"] = raw[0].Name + "_input" };
            foreach (string key in new[] { "batch_input_shape", "batch_shape", "input_shape", "input_dim", "input_length", "dim_ordering", "data_format" })
            {
                if (raw[0].Config[key] is JsonNode value)
                {
                    inputConfig[key] = value.DeepClone();
                }
            }

            previous = raw[0].Name + "_input";
            layers.Add(new KerasLayer("InputLayer", previous, inputConfig, [[]]));
        }

        for (int i = start; i < raw.Count; i++)
        {
            layers.Add(raw[i] with { Calls = [[new KerasTensorRef(previous, 0, 0)]] });
            previous = raw[i].Name;
        }

        CheckUniqueNames(layers, source);
        return new KerasModelConfig(source, text, version, backend, layers, [new KerasTensorRef(layers[0].Name, 0, 0)], [new KerasTensorRef(previous, 0, 0)]);
    }

    private static KerasModelConfig ParseFunctional(JsonNode? config, string source, string text, string? version, string? backend)
    {
        if (config is not JsonObject o || o["layers"] is not JsonArray layerArray)
        {
            throw new ParseException(source, 0, 0, "a functional model config must be an object with \"layers\", \"input_layers\" and \"output_layers\".");
        }

        var layers = new List<KerasLayer>();
        for (int i = 0; i < layerArray.Count; i++)
        {
            KerasLayer layer = ReadLayer(layerArray[i], i, source);
            var calls = new List<IReadOnlyList<KerasTensorRef>>();
            JsonNode? inbound = (layerArray[i] as JsonObject)!["inbound_nodes"];
            if (inbound is JsonArray nodes)
            {
                foreach (JsonNode? call in nodes)
                {
                    if (call is not JsonArray refs)
                    {
                        throw new ParseException(source, 0, 0, $"layer '{layer.Name}': each inbound node must be a list of [layer, node, tensor] references (Keras 3 configs are not supported).");
                    }

                    calls.Add(refs.Select(r => ReadRef(r, source, $"layer '{layer.Name}' inbound_nodes")).ToArray());
                }
            }
            else if (inbound is not null)
            {
                throw new ParseException(source, 0, 0, $"layer '{layer.Name}': \"inbound_nodes\" must be a list.");
            }

            if (layer.ClassName == "InputLayer" && calls.Count == 0)
            {
                calls.Add([]);
            }

            layers.Add(layer with { Calls = calls });
        }

        CheckUniqueNames(layers, source);
        return new KerasModelConfig(source, text, version, backend, layers, ReadRefList(o["input_layers"], source, "input_layers"), ReadRefList(o["output_layers"], source, "output_layers"));
    }

    private static KerasLayer ReadLayer(JsonNode? node, int index, string source)
    {
        string where = "layer " + index.ToString(CultureInfo.InvariantCulture);
        if (node is not JsonObject layer)
        {
            throw new ParseException(source, 0, 0, $"{where}: expected an object with \"class_name\" and \"config\".");
        }

        string className = Str(layer, "class_name") ?? throw new ParseException(source, 0, 0, $"{where}: missing \"class_name\".");
        if (layer["config"] is not JsonObject config)
        {
            throw new ParseException(source, 0, 0, $"{where} ({className}): missing \"config\" object.");
        }

        string name = Str(config, "name") ?? Str(layer, "name") ?? throw new ParseException(source, 0, 0, $"{where} ({className}): missing \"name\".");
        return new KerasLayer(className, name, config, []);
    }

    private static KerasTensorRef[] ReadRefList(JsonNode? node, string source, string what)
    {
        if (node is not JsonArray a || a.Count == 0)
        {
            throw new ParseException(source, 0, 0, $"\"{what}\" must be a non-empty list of [layer, node, tensor].");
        }

        // A single reference may be written flat: ["input_1", 0, 0].
        return a[0] is JsonValue ? [ReadRef(a, source, what)] : a.Select(r => ReadRef(r, source, what)).ToArray();
    }

    private static KerasTensorRef ReadRef(JsonNode? node, string source, string what)
    {
        if (node is JsonArray { Count: >= 3 } r && r[0] is JsonValue nameValue && nameValue.TryGetValue(out string? name)
            && r[1] is JsonValue n && n.TryGetValue(out int nodeIndex) && r[2] is JsonValue t && t.TryGetValue(out int tensorIndex))
        {
            return new KerasTensorRef(name, nodeIndex, tensorIndex);
        }

        throw new ParseException(source, 0, 0, $"{what}: expected [layer name, node index, tensor index]; got {node?.ToJsonString() ?? "null"}.");
    }

    private static void CheckUniqueNames(List<KerasLayer> layers, string source)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (KerasLayer layer in layers)
        {
            if (!seen.Add(layer.Name))
            {
                throw new ParseException(source, 0, 0, $"two layers are named '{layer.Name}'.");
            }
        }
    }

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
