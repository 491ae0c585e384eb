using System.Globalization;
using System.Text.Json.Nodes;
using SeqLens.Kernels;

namespace SeqLens.Graphs;

/// <summary>Padding of a 1-D convolution or pooling: <c>same</c>, <c>valid</c>, or explicit (left, right).</summary>
public readonly record struct Padding(PaddingMode Mode, int Left = 0, int Right = 0)
{
    /// <summary>No padding.</summary>
    public static Padding Valid => new(PaddingMode.Valid);

    /// <summary>Output length ceil(L / stride) (TensorFlow's rule; the odd extra zero goes on the right).</summary>
    public static Padding Same => new(PaddingMode.Same);

    /// <summary>Explicit zeros on each side.</summary>
    public static Padding Explicit(int left, int right) => new(PaddingMode.Explicit, left, right);

    /// <summary>Symmetric explicit padding (PyTorch's <c>padding=p</c>).</summary>
    public static Padding Symmetric(int p) => new(PaddingMode.Explicit, p, p);

    /// <summary>Resolves to (left, right) for an input of <paramref name="length"/>.</summary>
    public (int Left, int Right) Resolve(int length, int kernelSize, int stride, int dilation) => Mode switch
    {
        PaddingMode.Valid => (0, 0),
        PaddingMode.Same => Conv1dGeometry.SamePadding(length, kernelSize, stride, dilation),
        _ => (Left, Right),
    };

    /// <summary>JSON form: <c>"same"</c>, <c>"valid"</c> or <c>[left, right]</c>.</summary>
    public JsonNode ToJson() => Mode switch
    {
        PaddingMode.Valid => JsonValue.Create("valid"),
        PaddingMode.Same => JsonValue.Create("same"),
        _ => new JsonArray(Left, Right),
    };

    /// <summary>Parses the JSON form (also a single integer for symmetric padding).</summary>
    public static Padding FromJson(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return Valid;
            case JsonArray { Count: 2 } a:
                return Explicit(a[0]!.GetValue<int>(), a[1]!.GetValue<int>());
            case JsonValue v when v.TryGetValue(out string? s):
                return s.ToLowerInvariant() switch
                {
                    "same" => Same,
                    "valid" => Valid,
                    _ => throw new FormatException($"Padding must be \"same\", \"valid\", an integer or [left, right]; got \"{s}\"."),
                };
            case JsonValue v when v.TryGetValue(out int p):
                return Symmetric(p);
            default:
                throw new FormatException($"Padding must be \"same\", \"valid\", an integer or [left, right]; got {node.ToJsonString()}.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Mode == PaddingMode.Explicit
        ? string.Create(CultureInfo.InvariantCulture, $"[{Left}, {Right}]")
        : Mode.ToString().ToLowerInvariant();
}

/// <summary>Kinds of <see cref="Padding"/>.</summary>
public enum PaddingMode
{
    /// <summary>No padding.</summary>
    Valid,

    /// <summary>TensorFlow-style same padding.</summary>
    Same,

    /// <summary>Explicit left and right padding.</summary>
    Explicit,
}
