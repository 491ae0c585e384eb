using System.Text.Json.Nodes;

namespace SeqLens.Graphs;

/// <summary>Typed, checked access to an op's attributes in <c>model.json</c>; errors name the node and attribute.</summary>
public sealed class OpAttributes
{
    private readonly JsonObject _json;

    /// <summary>Wraps the attributes of node <paramref name="nodeName"/>.</summary>
    public OpAttributes(string nodeName, JsonObject? json)
    {
        NodeName = nodeName;
        _json = json ?? [];
    }

    /// <summary>The node the attributes belong to (for messages).</summary>
    public string NodeName { get; }

    /// <summary>The raw JSON.</summary>
    public JsonObject Json => _json;

    /// <summary>True when the attribute is present.</summary>
    public bool Has(string name) => _json.ContainsKey(name);

    /// <summary>An integer attribute, or <paramref name="fallback"/> when absent (required when fallback is null).</summary>
    public int Int(string name, int? fallback = null) => Get(name, fallback, n => n.GetValue<int>(), "an integer");

    /// <summary>A number attribute.</summary>
    public float Float(string name, float? fallback = null) => Get(name, fallback, n => n.GetValue<float>(), "a number");

    /// <summary>A boolean attribute.</summary>
    public bool Bool(string name, bool? fallback = null) => Get(name, fallback, n => n.GetValue<bool>(), "true or false");

    /// <summary>A string attribute.</summary>
    public string String(string name, string? fallback = null)
        => _json[name] is JsonNode n ? Convert(name, n, x => x.GetValue<string>(), "a string") : fallback ?? throw Missing(name);

    /// <summary>An integer-array attribute.</summary>
    public int[] Ints(string name, int[]? fallback = null)
        => _json[name] is JsonArray a ? Convert(name, a, x => x.AsArray().Select(e => e!.GetValue<int>()).ToArray(), "an array of integers") : fallback ?? throw Missing(name);

    /// <summary>The raw node of an attribute, or null.</summary>
    public JsonNode? Node(string name) => _json[name];

    private T Get<T>(string name, T? fallback, Func<JsonNode, T> read, string expected)
        where T : struct
        => _json[name] is JsonNode n ? Convert(name, n, read, expected) : fallback ?? throw Missing(name);

    private T Convert<T>(string name, JsonNode node, Func<JsonNode, T> read, string expected)
    {
        try
        {
            return read(node);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or NullReferenceException)
        {
            throw new FormatException($"Node '{NodeName}': attribute '{name}' must be {expected}; got {node.ToJsonString()}.", ex);
        }
    }

    private FormatException Missing(string name) => new($"Node '{NodeName}': required attribute '{name}' is missing.");
}
