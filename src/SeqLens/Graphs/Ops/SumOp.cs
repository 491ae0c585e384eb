namespace SeqLens.Graphs.Ops;

/// <summary>Sum over an axis list (batch = axis 0, not reducible), optionally keeping reduced axes (<c>torch.sum(x, dims, keepdim)</c>). Attribution: linear.</summary>
public sealed class SumOp : ReduceOp
{
    /// <summary>A sum over <paramref name="axes"/>.</summary>
    public SumOp(int[] axes, bool keepDims = false)
        : base(axes, keepDims)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "Sum";

    /// <inheritdoc/>
    protected override float Scale(int count) => 1f;

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>axes</c>, required; <c>keepdims</c> false).</summary>
    internal static SumOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Ints("axes"), a.Bool("keepdims", false));
}
