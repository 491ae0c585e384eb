using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Softmax along <see cref="Axis"/> (default −1, the last): <c>y_k = e^(x_k − max) / Σ_j e^(x_j − max)</c>.
/// Numerically stable (as <c>torch.softmax</c>); batch = axis 0, which cannot be used; negative axes count from the end.
/// Attribution: <see cref="AttributionClass.Softmax"/> (attribute to the logits).
/// </summary>
public sealed class SoftmaxOp : Op
{
    /// <summary>A softmax over <paramref name="axis"/>.</summary>
    public SoftmaxOp(int axis = -1) => Axis = axis;

    /// <summary>The normalised axis (batch = 0; negative from the end).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override string Kind => "Softmax";

    /// <inheritdoc/>
    public override AttributionClass Attribution => AttributionClass.Softmax;

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
        SoftmaxKernel.Forward(context.Input.Data, context.Output.Data, outer, n, inner, log: false);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is Tensor dx)
        {
            (int outer, int n, int inner) = Geometry(context.Input.Shape);
            SoftmaxKernel.Backward(context.Output.Data, context.OutputGrad.Data, dx.Data, outer, n, inner, log: false);
        }
    }

    private (int Outer, int N, int Inner) Geometry(int[] shape)
    {
        int axis = Axis < 0 ? Axis + shape.Length : Axis;
        return (OpShapes.Product(shape, 0, axis), shape[axis], OpShapes.Product(shape, axis + 1, shape.Length));
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["axis"] = Axis;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>axis</c>, default −1).</summary>
    internal static SoftmaxOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Int("axis", -1));
}
