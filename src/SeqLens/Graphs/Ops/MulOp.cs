using System.Numerics.Tensors;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Element-wise product <c>a·b</c> of two inputs of the same shape (gates). Gradient <c>(dy·b, dy·a)</c>.
/// Attribution: <see cref="AttributionClass.Product"/> (DeepLIFT's Shapley product rule, DESIGN.md §3).
/// </summary>
public sealed class MulOp : Op
{
    /// <inheritdoc/>
    public override string Kind => "Mul";

    /// <inheritdoc/>
    public override int InputCount => 2;

    /// <inheritdoc/>
    public override AttributionClass Attribution => AttributionClass.Product;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 2);
        if (!OpShapes.Same(inputShapes[0], inputShapes[1]))
        {
            throw new ArgumentException($"Mul expects two inputs of the same shape; got {Tensor.FormatShape(inputShapes[0])} and {Tensor.FormatShape(inputShapes[1])}.");
        }

        return (int[])inputShapes[0].Clone();
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        TensorPrimitives.Multiply(context.Inputs[0].Data, context.Inputs[1].Data, context.Output.Data);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        float[] dy = context.OutputGrad.Data;
        if (context.InputGrad(0) is Tensor da)
        {
            TensorPrimitives.MultiplyAdd(dy, context.Inputs[1].Data, da.Data, da.Data);
        }

        if (context.InputGrad(1) is Tensor db)
        {
            TensorPrimitives.MultiplyAdd(dy, context.Inputs[0].Data, db.Data, db.Data);
        }
    }
}
