using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace SeqLens.IO.Torch;

/// <summary>
/// A Python <c>dict</c> or <c>collections.OrderedDict</c> from a PyTorch pickle, in insertion order.
/// </summary>
/// <remarks>
/// Keys are <see cref="string"/>, <see cref="long"/>, <see cref="double"/> or <see cref="bool"/> (optimizer state
/// uses integer keys). Values are what <see cref="TorchStateDict.Root"/> documents: <see cref="TorchTensor"/>,
/// <see cref="TorchDictionary"/>, <see cref="IReadOnlyList{T}"/> of values (lists and tuples), string, long,
/// double, bool or null.
/// </remarks>
public sealed class TorchDictionary : IReadOnlyDictionary<object, object?>
{
    private readonly List<object> _keys = [];
    private readonly Dictionary<object, object?> _values = [];

    /// <inheritdoc/>
    public int Count => _keys.Count;

    /// <inheritdoc/>
    public IEnumerable<object> Keys => _keys;

    /// <inheritdoc/>
    public IEnumerable<object?> Values => _keys.Select(k => _values[k]);

    /// <inheritdoc/>
    public object? this[object key] => _values[key];

    /// <inheritdoc/>
    public bool ContainsKey(object key) => _values.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(object key, [MaybeNullWhen(false)] out object? value) => _values.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<object, object?>> GetEnumerator()
    {
        foreach (object key in _keys)
        {
            yield return new KeyValuePair<object, object?>(key, _values[key]);
        }
    }

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Sets a key as Python does: a new key goes last, an existing key keeps its place.</summary>
    internal void Set(object key, object? value)
    {
        if (!_values.ContainsKey(key))
        {
            _keys.Add(key);
        }

        _values[key] = value;
    }
}
