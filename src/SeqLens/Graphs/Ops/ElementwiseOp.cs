namespace SeqLens.Graphs.Ops;

/// <summary>
/// Base of element-wise nonlinearities <c>y = f(x)</c>. Subclasses give <c>f</c> and <c>f'</c> over spans; this class
/// owns the backward rules: gradient, and (DESIGN.md §3) the DeepLIFT rules, which need only the saved input and
/// output of each row and of its paired reference row, so every element-wise op gets them for free.
/// </summary>
public abstract class ElementwiseOp : Op
{
    /// <inheritdoc/>
    public override AttributionClass Attribution => AttributionClass.Elementwise;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        return (int[])inputShapes[0].Clone();
    }

    /// <summary>Writes <c>f(x)</c> into <paramref name="y"/>.</summary>
    protected abstract void Apply(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>Adds <c>dy · f'(x)</c> into <paramref name="dx"/> (<paramref name="y"/> = f(x) is given for ops whose derivative uses it).</summary>
    protected abstract void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Apply(context.Input.Data, context.Output.Data);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is not Tensor dx)
        {
            return;
        }

        switch (context.Rule)
        {
            case BackwardRule.Gradient:
                AddGradient(context.Input.Data, context.Output.Data, context.OutputGrad.Data, dx.Data);
                break;
            default:
                // NOTE: the attribution issue implements Rescale / RevealCancel / guided rules here, once, for every element-wise op.
                throw new NotSupportedException($"{Kind}: the {context.Rule} rule is not implemented yet; use the gradient rule.");
        }
    }
}
