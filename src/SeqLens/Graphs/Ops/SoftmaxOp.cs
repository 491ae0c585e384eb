namespace SeqLens.Graphs.Ops;

/// <summary>
/// Softmax <c>y_k = e^(x_k − max) / Σ_j e^(x_j − max)</c> along the axis (default −1, the last); numerically stable, as <c>torch.softmax</c>.
/// Shape handling, backward and attribution are in <see cref="SoftmaxFamilyOp"/>.
/// </summary>
public sealed class SoftmaxOp : SoftmaxFamilyOp
{
    /// <summary>A softmax over <paramref name="axis"/>.</summary>
    public SoftmaxOp(int axis = -1)
        : base(axis)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "Softmax";

    /// <inheritdoc/>
    protected override bool IsLog => false;

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>axis</c>, default −1).</summary>
    internal static SoftmaxOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Int("axis", -1));
}
