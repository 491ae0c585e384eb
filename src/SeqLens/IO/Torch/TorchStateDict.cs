using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SeqLens.IO.Torch;

/// <summary>
/// A PyTorch <c>state_dict</c> (or a checkpoint dict holding one) read from a <c>.pt</c>/<c>.pth</c> file written by
/// <c>torch.save</c>: an ordered map from dotted names (<c>conv.weight</c>, <c>model.fc.bias</c>) to tensors,
/// plus the whole unpickled object as <see cref="Root"/>.
/// </summary>
/// <remarks>
/// <para>Format: the zip archive of PyTorch 1.6 and later (<c>&lt;name&gt;/data.pkl</c>,
/// <c>&lt;name&gt;/data/&lt;key&gt;</c> storages, <c>&lt;name&gt;/version</c>, optional <c>byteorder</c>). The legacy
/// pre-1.6 stream format, legacy tar files and TorchScript archives are rejected with a message saying so.</para>
/// <para>Safety: <c>data.pkl</c> is interpreted by a restricted unpickler that knows only the opcodes torch writes
/// and only the globals <c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor_v2</c>,
/// <c>torch._utils._rebuild_parameter</c> and <c>torch.{Float,Double,Half,BFloat16,Long,Int,Short,Char,Byte,Bool}Storage</c>.
/// Any other global (<c>os.system</c>, <c>builtins.eval</c>, <c>torch.storage._load_from_bytes</c>, ...) is a
/// <see cref="ParseException"/> naming it; the reader builds only its own records and never executes anything.</para>
/// <para>Flattening: nested dicts, lists and tuples are walked depth-first in file order; keys are joined with
/// <c>.</c> (integer keys and list indices as decimal), so <c>{"model": {"fc.weight": t}}</c> gives
/// <c>model.fc.weight</c>. Non-tensor leaves (epoch numbers, hyper-parameters) stay in <see cref="Root"/> only.
/// <see cref="Sub"/> strips a prefix, e.g. <c>checkpoint.Sub("model")</c>. A bare tensor file gives one entry named "".</para>
/// </remarks>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix",
    Justification = "\"state dict\" is PyTorch's own name for this object; TorchStateDictionary would hide it.")]
public sealed class TorchStateDict : IReadOnlyDictionary<string, TorchTensor>
{
    /// <summary>Deepest container nesting accepted when flattening (also stops self-referencing containers).</summary>
    public const int MaxDepth = 64;

    private readonly List<string> _keys;
    private readonly Dictionary<string, TorchTensor> _tensors;

    private TorchStateDict(string path, object? root, List<string> keys, Dictionary<string, TorchTensor> tensors)
    {
        SourcePath = path;
        Root = root;
        _keys = keys;
        _tensors = tensors;
    }

    /// <summary>The file (or stream name) that was read.</summary>
    public string SourcePath { get; }

    /// <summary>
    /// The unpickled object: a <see cref="TorchDictionary"/> (dict or OrderedDict), an <see cref="IReadOnlyList{T}"/>
    /// of values (list or tuple), a <see cref="TorchTensor"/>, <see cref="string"/>, <see cref="long"/>,
    /// <see cref="double"/>, <see cref="bool"/> or null, nested.
    /// </summary>
    public object? Root { get; }

    /// <inheritdoc/>
    public int Count => _keys.Count;

    /// <summary>The dotted names in file order.</summary>
    public IEnumerable<string> Keys => _keys;

    /// <summary>The tensors in file order.</summary>
    public IEnumerable<TorchTensor> Values => _keys.Select(k => _tensors[k]);

    /// <summary>The tensor called <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The name lists a few available names.</exception>
    public TorchTensor this[string key] => _tensors.TryGetValue(key, out TorchTensor? t) ? t
        : throw new KeyNotFoundException($"{SourcePath} has no tensor '{key}'; it has {string.Join(", ", _keys.Take(8))}{(_keys.Count > 8 ? ", ..." : "")}.");

    /// <summary>Reads a <c>torch.save</c> file.</summary>
    public static TorchStateDict Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads a <c>torch.save</c> archive from <paramref name="stream"/>; <paramref name="sourceName"/> names it in messages.</summary>
    public static TorchStateDict Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        object? root = TorchArchive.ReadRoot(stream, sourceName);
        var keys = new List<string>();
        var tensors = new Dictionary<string, TorchTensor>(StringComparer.Ordinal);
        Flatten(sourceName, root, "", 0, keys, tensors);
        return new TorchStateDict(sourceName, root, keys, tensors);
    }

    /// <summary>The entries under <paramref name="prefix"/> (e.g. <c>model</c> or <c>state_dict</c>) with <c>prefix.</c> removed.</summary>
    public TorchStateDict Sub(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        string start = prefix.Length == 0 ? "" : prefix + ".";
        var keys = new List<string>();
        var tensors = new Dictionary<string, TorchTensor>(StringComparer.Ordinal);
        foreach (string key in _keys)
        {
            if (key.StartsWith(start, StringComparison.Ordinal))
            {
                keys.Add(key[start.Length..]);
                tensors[key[start.Length..]] = _tensors[key];
            }
        }

        object? root = Root;
        foreach (string part in prefix.Length == 0 ? [] : prefix.Split('.'))
        {
            root = root is TorchDictionary d && d.TryGetValue(part, out object? v) ? v : null;
        }

        return new TorchStateDict(SourcePath, root, keys, tensors);
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TorchTensor value) => _tensors.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, TorchTensor>> GetEnumerator()
    {
        foreach (string key in _keys)
        {
            yield return new KeyValuePair<string, TorchTensor>(key, _tensors[key]);
        }
    }

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static void Flatten(string path, object? value, string prefix, int depth, List<string> keys, Dictionary<string, TorchTensor> tensors)
    {
        if (depth > MaxDepth)
        {
            throw new ParseException(path, 0, 0, $"containers nest deeper than {MaxDepth.ToString(CultureInfo.InvariantCulture)} levels at '{prefix}' (or refer to themselves)");
        }

        switch (value)
        {
            case TorchTensor t:
                if (!tensors.TryAdd(prefix, t))
                {
                    throw new ParseException(path, 0, 0, $"two tensors flatten to the same name '{prefix}'");
                }

                keys.Add(prefix);
                break;
            case TorchDictionary d:
                foreach (KeyValuePair<object, object?> kv in d)
                {
                    string name = Convert.ToString(kv.Key, CultureInfo.InvariantCulture)!;
                    Flatten(path, kv.Value, prefix.Length == 0 ? name : prefix + "." + name, depth + 1, keys, tensors);
                }

                break;
            case IReadOnlyList<object?> list:
                for (int i = 0; i < list.Count; i++)
                {
                    string name = i.ToString(CultureInfo.InvariantCulture);
                    Flatten(path, list[i], prefix.Length == 0 ? name : prefix + "." + name, depth + 1, keys, tensors);
                }

                break;
            default:
                break;
        }
    }
}
