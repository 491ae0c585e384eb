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

    /// <summary>Split pass: <c>Δ⁺out = Δ⁺a − Δ⁻b</c>, <c>Δ⁻out = Δ⁻a − Δ⁺b</c>.</summary>
    public override void PropagateDeltas(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        TensorPrimitives.Subtract(context.InputDeltaPos(0).Data, context.InputDeltaNeg(1).Data, context.OutputDeltaPos.Data);
        TensorPrimitives.Subtract(context.InputDeltaNeg(0).Data, context.InputDeltaPos(1).Data, context.OutputDeltaNeg.Data);
    }

    /// <summary>Split pass: <c>m⁺a += m⁺</c>, <c>m⁻a += m⁻</c>, <c>m⁺b −= m⁻</c>, <c>m⁻b −= m⁺</c>.</summary>
    public override void BackwardSplit(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        float[] mp = context.OutputGrad.Data;
        float[] mn = context.OutputGradNeg.Data;
        if (context.InputGrad(0) is Tensor ap)
        {
            TensorPrimitives.Add(ap.Data, mp, ap.Data);
        }

        if (context.InputGradNeg(0) is Tensor an)
        {
            TensorPrimitives.Add(an.Data, mn, an.Data);
        }

        if (context.InputGrad(1) is Tensor bp)
        {
            TensorPrimitives.Subtract(bp.Data, mn, bp.Data);
        }

        if (context.InputGradNeg(1) is Tensor bn)
        {
            TensorPrimitives.Subtract(bn.Data, mp, bn.Data);
        }
    }
}
