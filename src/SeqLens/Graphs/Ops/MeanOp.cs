namespace SeqLens.Graphs.Ops;

/// <summary>Mean over an axis list (batch = axis 0, not reducible), optionally keeping reduced axes (<c>torch.mean(x, dims, keepdim)</c>). Attribution: linear.</summary>
public sealed class MeanOp : ReduceOp
{
    /// <summary>A mean over <paramref name="axes"/>.</summary>
    public MeanOp(int[] axes, bool keepDims = false)
        : base(axes, keepDims)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "Mean";

    /// <inheritdoc/>
    protected override float Scale(int count) => 1f / count;

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>axes</c>, required; <c>keepdims</c> false).</summary>
    internal static MeanOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Ints("axes"), a.Bool("keepdims", false));
}
