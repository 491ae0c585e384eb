using System.Text.RegularExpressions;
using SeqLens.IO;
using SeqLens.IO.Hdf5;

namespace SeqLens.Import.Keras;

/// <summary>
/// The weights of a Keras HDF5 file (a <c>save_weights</c> file, or the <c>model_weights</c> group of a full model):
/// group <c>&lt;layer&gt;</c> lists its datasets in the <c>weight_names</c> attribute, read in that order.
/// </summary>
/// <remarks>
/// Layers without weights store <c>weight_names</c> as an empty float64 array. Weight roles come from the names:
/// Keras 2 <c>layer/kernel:0</c>, <c>bias</c>, <c>gamma</c>, <c>beta</c>, <c>moving_mean</c>, <c>moving_variance</c>;
/// Keras 1 <c>layer_W</c>, <c>_b</c>, <c>_gamma</c>, <c>_beta</c>, <c>_running_mean</c>, <c>_running_std</c> (which
/// holds the variance).
/// </remarks>
internal sealed partial class KerasWeights : IDisposable
{
    private readonly Hdf5File _file;
    private readonly Hdf5Group _root;

    private KerasWeights(Hdf5File file)
    {
        _file = file;
        _root = file.Root.TryGet("model_weights") as Hdf5Group ?? file.Root;
        KerasVersion = _root.StringAttribute("keras_version") ?? file.Root.StringAttribute("keras_version");
        Backend = _root.StringAttribute("backend") ?? file.Root.StringAttribute("backend");
    }

    /// <summary>The HDF5 file's path.</summary>
    public string Path => _file.Path;

    public string? KerasVersion { get; }

    public string? Backend { get; }

    /// <summary>The root group's <c>model_config</c> attribute (full-model files), or null.</summary>
    public string? ModelConfig => _file.Root.StringAttribute("model_config");

    /// <summary>Opens <paramref name="path"/>; an unreadable file is reported as <see cref="ParseException"/>.</summary>
    public static KerasWeights Open(string path)
    {
        Hdf5File file = Hdf5File.Open(path);
        return new KerasWeights(file);
    }

    /// <summary>
    /// The weights of <paramref name="layer"/> by role (<c>kernel</c>, <c>bias</c>, <c>gamma</c>, <c>beta</c>,
    /// <c>moving_mean</c>, <c>moving_variance</c>), with the dataset names for messages.
    /// </summary>
    public IReadOnlyDictionary<string, (string Name, Tensor Value)> Layer(string layer)
    {
        if (_root.TryGet(layer) is not Hdf5Group group)
        {
            string known = string.Join(", ", _root.Links.Select(l => l.Name));
            throw new ParseException(Path, 0, 0, $"no weights for layer '{layer}' (expected group '{_root.Path.TrimEnd('/')}/{layer}'; groups present: {known}).");
        }

        var result = new Dictionary<string, (string, Tensor)>(StringComparer.Ordinal);
        if (!group.Attributes.TryGetValue("weight_names", out Hdf5Attribute? names) || names.ElementCount == 0)
        {
            return result;
        }

        if (!names.DataType.IsString)
        {
            throw new ParseException(Path, 0, 0, $"attribute 'weight_names' of group '{group.Path}' is not a list of strings.");
        }

        foreach (string name in names.ReadStrings())
        {
            if (group.TryGet(name) is not Hdf5Dataset dataset)
            {
                throw new ParseException(Path, 0, 0, $"weight '{name}' listed in '{group.Path}' weight_names is missing (expected dataset '{group.Path}/{name}').");
            }

            string role = Role(name, layer);
            if (!result.TryAdd(role, (name, dataset.ReadTensor())))
            {
                throw new ParseException(Path, 0, 0, $"layer '{layer}' has two weights with role '{role}'.");
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();

    private static string Role(string name, string layer)
    {
        string stem = name[(name.LastIndexOf('/') + 1)..];
        stem = SuffixPattern().Replace(stem, string.Empty);
        if (stem.StartsWith(layer + "_", StringComparison.Ordinal))
        {
            stem = stem[(layer.Length + 1)..];
        }

        return stem switch
        {
            "W" or "kernel" => "kernel",
            "b" or "bias" => "bias",
            "running_mean" or "moving_mean" => "moving_mean",
            "running_std" or "moving_variance" => "moving_variance",
            _ => stem,
        };
    }

    [GeneratedRegex(@":\d+$")]
    private static partial Regex SuffixPattern();
}
