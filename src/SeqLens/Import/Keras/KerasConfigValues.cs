using System.Text.Json.Nodes;

namespace SeqLens.Import.Keras;

/// <summary>Typed reads of a layer's config values; Keras 1 and 2 spell many keys differently, so each read takes several keys.</summary>
internal static class KerasConfigValues
{
    /// <summary>The first key present (and not null), or null.</summary>
    public static JsonNode? Find(JsonObject config, params string[] keys)
    {
        foreach (string key in keys)
        {
            if (config[key] is JsonNode node)
            {
                return node;
            }
        }

        return null;
    }

    public static string? String(JsonObject config, params string[] keys)
        => Find(config, keys) is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public static bool? Bool(JsonObject config, params string[] keys)
        => Find(config, keys) is JsonValue v && v.TryGetValue(out bool b) ? b : null;

    public static double? Number(JsonObject config, params string[] keys)
        => Find(config, keys) is JsonValue v && v.TryGetValue(out double d) ? d : null;

    public static int? Int(JsonObject config, params string[] keys) => Find(config, keys) switch
    {
        JsonValue v when v.TryGetValue(out int i) => i,
        JsonValue v when v.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (int)d,
        JsonArray { Count: 1 } a when a[0] is JsonValue v && v.TryGetValue(out int i) => i,
        _ => null,
    };

    /// <summary>An integer list (a single integer counts as a list of one); null entries become -1.</summary>
    public static int[]? Ints(JsonObject config, params string[] keys) => Find(config, keys) switch
    {
        JsonValue v when v.TryGetValue(out int i) => [i],
        JsonArray a => a.Select(e => e is JsonValue ev && ev.TryGetValue(out int i) ? i : e is null ? -1 : throw new FormatException($"expected an integer; got {e.ToJsonString()}")).ToArray(),
        _ => null,
    };
}
