using System.Globalization;
using System.Text;
using SeqLens.Graphs;

namespace SeqLens.Import.Keras;

/// <summary>What <see cref="KerasImporter"/> read and how it mapped the model: versions, kernel flip, layers, outputs.</summary>
public sealed class KerasImportReport
{
    internal KerasImportReport(string? kerasVersion, string? backend, bool kernelsFlipped, string flipReason, IReadOnlyList<KerasLayerMapping> layers, IReadOnlyList<OutputActivation> outputActivations)
    {
        KerasVersion = kerasVersion;
        Backend = backend;
        KernelsFlipped = kernelsFlipped;
        FlipReason = flipReason;
        Layers = layers;
        OutputActivations = outputActivations;
    }

    /// <summary>The <c>keras_version</c> recorded in the files, or null.</summary>
    public string? KerasVersion { get; }

    /// <summary>The <c>backend</c> recorded in the files (<c>tensorflow</c>, <c>theano</c>...), or null.</summary>
    public string? Backend { get; }

    /// <summary>True when convolution kernels were reversed along their width (Theano true convolution).</summary>
    public bool KernelsFlipped { get; }

    /// <summary>Why the kernels were (or were not) flipped.</summary>
    public string FlipReason { get; }

    /// <summary>One entry per Keras layer call, in translation order.</summary>
    public IReadOnlyList<KerasLayerMapping> Layers { get; }

    /// <summary>The activation recorded for each graph output.</summary>
    public IReadOnlyList<OutputActivation> OutputActivations { get; }

    /// <summary>A plain-text table: one line per layer, <c>name (class) -> nodes  note</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Keras {KerasVersion ?? "?"}, backend {Backend ?? "?"}; kernels flipped: {(KernelsFlipped ? "yes" : "no")} ({FlipReason})").Append('\n');
        foreach (KerasLayerMapping m in Layers)
        {
            string nodes = m.Nodes.Count == 0 ? "(no node)" : string.Join(", ", m.Nodes);
            sb.Append(CultureInfo.InvariantCulture, $"{m.LayerName} ({m.ClassName}) -> {nodes}");
            if (m.Note.Length > 0)
            {
                sb.Append("  ").Append(m.Note);
            }

            sb.Append('\n');
        }

        sb.Append("outputs: ").Append(string.Join(", ", OutputActivations)).Append('\n');
        return sb.ToString();
    }
}
