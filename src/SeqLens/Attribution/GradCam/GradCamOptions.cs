namespace SeqLens.Attribution.GradCam;

/// <summary>Options of <see cref="GradCamExplainer"/>.</summary>
public sealed record GradCamOptions
{
    /// <summary>Use Grad-CAM++ channel weights instead of the mean gradient (default false).</summary>
    public bool PlusPlus { get; init; }

    /// <summary>Apply a ReLU to the cam (default true, as Selvaraju et al.: only evidence for the target).</summary>
    public bool Relu { get; init; } = true;

    /// <summary>Also compute guided Grad-CAM: nucleotide cam × gradient × input, per channel (default false).</summary>
    public bool Guided { get; init; }

    /// <summary>
    /// How positions of a QRNN node map to nucleotides (default <see cref="RecurrentField.Local"/>: each step stands for
    /// its own input window; <see cref="RecurrentField.Prefix"/> is the exact, unbounded field, which blurs the map).
    /// </summary>
    public RecurrentField Recurrence { get; init; } = RecurrentField.Local;

    /// <summary>Mean (default) or max of the covering node positions for each nucleotide.</summary>
    public NucleotideAggregation Aggregation { get; init; } = NucleotideAggregation.Mean;
}
