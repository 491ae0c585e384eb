namespace SeqLens.Graphs.Ops;

/// <summary>
/// Log-softmax <c>y_k = x_k − max − ln Σ_j e^(x_j − max)</c> along the axis (default −1, the last); numerically stable, as <c>torch.log_softmax</c>.
/// Shape handling, backward and attribution are in <see cref="SoftmaxFamilyOp"/>.
/// </summary>
public sealed class LogSoftmaxOp : SoftmaxFamilyOp
{
    /// <summary>A logsoftmax over <paramref name="axis"/>.</summary>
    public LogSoftmaxOp(int axis = -1)
        : base(axis)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "LogSoftmax";

    /// <inheritdoc/>
    protected override bool IsLog => true;

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>axis</c>, default −1).</summary>
    internal static LogSoftmaxOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Int("axis", -1));
}
