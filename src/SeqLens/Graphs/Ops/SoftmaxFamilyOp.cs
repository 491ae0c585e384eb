using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Shared body of <see cref="SoftmaxOp"/> and <see cref="LogSoftmaxOp"/>: a normalisation along <see cref="Axis"/>
/// (default −1, the last), numerically stable (max subtracted), computed by <see cref="SoftmaxKernel"/>; batch = axis 0,
/// which cannot be used; negative axes count from the end. Attribution: <see cref="AttributionClass.Softmax"/>
/// (attribute to the logits).
/// </summary>
public abstract class SoftmaxFamilyOp : Op
{
    /// <summary>A normalisation over <paramref name="axis"/>.</summary>
    protected SoftmaxFamilyOp(int axis) => Axis = axis;

    /// <summary>The normalised axis (batch = 0; negative from the end).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override AttributionClass Attribution => AttributionClass.Softmax;

    /// <summary>True for log-softmax, false for softmax.</summary>
    protected abstract bool IsLog { get; }

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        OpShapes.SampleAxis(Kind, Axis, inputShapes[0]);
        return (int[])inputShapes[0].Clone();
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        (int outer, int n, int inner) = Geometry(context.Input.Shape);
        SoftmaxKernel.Forward(context.Input.Data, context.Output.Data, outer, n, inner, log: IsLog);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is Tensor dx)
        {
            (int outer, int n, int inner) = Geometry(context.Input.Shape);
            SoftmaxKernel.Backward(context.Output.Data, context.OutputGrad.Data, dx.Data, outer, n, inner, log: IsLog);
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["axis"] = Axis;
    }

    private (int Outer, int N, int Inner) Geometry(int[] shape)
    {
        int axis = Axis < 0 ? Axis + shape.Length : Axis;
        return (OpShapes.Product(shape, 0, axis), shape[axis], OpShapes.Product(shape, axis + 1, shape.Length));
    }
}
