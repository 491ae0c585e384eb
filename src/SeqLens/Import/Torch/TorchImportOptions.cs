namespace SeqLens.Import.Torch;

/// <summary>Options of <see cref="TorchImporter"/>.</summary>
public sealed class TorchImportOptions
{
    /// <summary>
    /// PyTorch module path for SeqLens node names that differ, e.g. <c>{ ["conv1"] = "features.0" }</c>: parameter
    /// <c>conv1.weight</c> is then read from key <c>features.0.weight</c>. Nodes not listed use their own name. Null: none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ModulePaths { get; init; }

    /// <summary>
    /// When false (default), a state-dict tensor that no parameter reads is an error (a model that does not match the
    /// graph); when true such keys are ignored. <c>num_batches_tracked</c> of batch norms is always ignored.
    /// </summary>
    public bool IgnoreUnexpected { get; init; }
}
