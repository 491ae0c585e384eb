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
    public override bool SupportsRule(BackwardRule rule) => rule is BackwardRule.Gradient or BackwardRule.Rescale or BackwardRule.RevealCancel;

    /// <summary>
    /// Gradient, or for DeepLIFT rules the Shapley product rule (exact for two factors):
    /// <c>Δz = ((b + b0)/2)·Δa + ((a + a0)/2)·Δb</c>, i.e. <c>m_a = m·(b + b0)/2</c>, <c>m_b = m·(a + a0)/2</c>.
    /// </summary>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Rule != BackwardRule.Gradient)
        {
            ShapleyBackward(context);
            return;
        }

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

    private static void ShapleyBackward(BackwardContext context)
    {
        RowPairs pairs = context.Pairs!;
        int rowLength = context.Output.Length / pairs.BatchSize;
        float[] m = context.OutputGrad.Data;
        for (int side = 0; side < 2; side++)
        {
            if (context.InputGrad(side) is not Tensor g)
            {
                continue;
            }

            float[] other = context.Inputs[1 - side].Data;
            for (int r = 0; r < pairs.BatchSize; r++)
            {
                if (!pairs.HasPair(r))
                {
                    continue;
                }

                int o = r * rowLength;
                int a = pairs.InputRow[r] * rowLength;
                int b = pairs.ReferenceRow[r] * rowLength;
                for (int k = 0; k < rowLength; k++)
                {
                    g.Data[o + k] += m[o + k] * 0.5f * (other[a + k] + other[b + k]);
                }
            }
        }
    }
}
