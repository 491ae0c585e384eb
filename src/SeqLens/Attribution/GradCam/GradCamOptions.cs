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

    /// <summary>Mean (default) or max of the covering node positions for each nucleotide.</summary>
    public NucleotideAggregation Aggregation { get; init; } = NucleotideAggregation.Mean;
}
