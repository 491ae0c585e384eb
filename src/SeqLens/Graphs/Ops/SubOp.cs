using System.Numerics.Tensors;

namespace SeqLens.Graphs.Ops;

/// <summary>Element-wise difference <c>a − b</c> of two inputs of the same shape. Attribution: linear.</summary>
public sealed class SubOp : Op
{
    /// <inheritdoc/>
    public override string Kind => "Sub";

    /// <inheritdoc/>
    public override int InputCount => 2;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 2);
        if (!OpShapes.Same(inputShapes[0], inputShapes[1]))
        {
            throw new ArgumentException($"Sub expects two inputs of the same shape; got {Tensor.FormatShape(inputShapes[0])} and {Tensor.FormatShape(inputShapes[1])}.");
        }

        return (int[])inputShapes[0].Clone();
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        TensorPrimitives.Subtract(context.Inputs[0].Data, context.Inputs[1].Data, context.Output.Data);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        float[] dy = context.OutputGrad.Data;
        if (context.InputGrad(0) is Tensor da)
        {
            TensorPrimitives.Add(da.Data, dy, da.Data);
        }

        if (context.InputGrad(1) is Tensor db)
        {
            TensorPrimitives.Subtract(db.Data, dy, db.Data);
        }
    }
}
