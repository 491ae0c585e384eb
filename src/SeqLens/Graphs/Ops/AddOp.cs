using System.Numerics.Tensors;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Element-wise sum of one or more inputs (residual connections, Keras' <c>Add</c>, ONNX's <c>Sum</c>). Every input has
/// the output's shape, except that for a <c>(B, C, L)</c> output an input may be a per-channel vector <c>(B, C)</c> or
/// <c>(B, C, 1)</c>, broadcast along the length. Attribution: linear.
/// </summary>
public sealed class AddOp : Op
{
    /// <inheritdoc/>
    public override string Kind => "Add";

    /// <inheritdoc/>
    public override int InputCount => -1;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count == 0)
        {
            throw new ArgumentException("Add expects at least one input; got 0.");
        }

        int[] full = inputShapes.MaxBy(s => OpShapes.Product(s, 0, s.Length) * (long)(s.Length + 1))!;
        foreach (int[] s in inputShapes)
        {
            if (!OpShapes.Same(s, full) && !IsPerChannel(s, full))
            {
                string alternatives = full.Length == 3 ? $", ({full[0]}, {full[1]}) or ({full[0]}, {full[1]}, 1)" : string.Empty;
                throw new ArgumentException($"Add expects inputs of shape {Tensor.FormatShape(full)}{alternatives}; got {string.Join(" and ", inputShapes.Select(x => Tensor.FormatShape(x)))}.");
            }
        }

        return (int[])full.Clone();
    }

    private static bool IsPerChannel(int[] s, int[] full)
        => full.Length == 3 && s[0] == full[0] && s[1] == full[1] && (s.Length == 2 || (s.Length == 3 && s[2] == 1));

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Span<float> y = context.Output.Data;
        y.Clear();
        for (int i = 0; i < context.Inputs.Count; i++)
        {
            float[] x = context.Inputs[i].Data;
            if (x.Length == y.Length)
            {
                TensorPrimitives.Add(y, x, y);
                continue;
            }

            int length = context.Output.Shape[2];
            for (int r = 0; r < x.Length; r++)
            {
                Span<float> row = y.Slice(r * length, length);
                TensorPrimitives.Add(row, x[r], row);
            }
        }
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        float[] dy = context.OutputGrad.Data;
        for (int i = 0; i < context.Inputs.Count; i++)
        {
            if (context.InputGrad(i) is not Tensor dx)
            {
                continue;
            }

            if (dx.Length == dy.Length)
            {
                TensorPrimitives.Add(dx.Data, dy, dx.Data);
                continue;
            }

            int length = context.Output.Shape[2];
            for (int r = 0; r < dx.Length; r++)
            {
                dx.Data[r] += TensorPrimitives.Sum(dy.AsSpan(r * length, length));
            }
        }
    }
}
