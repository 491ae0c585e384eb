using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Joins its inputs along <see cref="Axis"/> (batch = axis 0, which cannot be joined; negative counts from the end);
/// all other dimensions must agree. Variadic (one or more inputs). Attribution: linear.
/// </summary>
public sealed class ConcatOp : Op
{
    /// <summary>A concatenation along <paramref name="axis"/> (default 1, the channels of <c>(B, C, L)</c>).</summary>
    public ConcatOp(int axis = 1) => Axis = axis;

    /// <summary>The joined axis.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override string Kind => "Concat";

    /// <inheritdoc/>
    public override int InputCount => -1;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count == 0)
        {
            throw new ArgumentException("Concat expects at least one input; got 0.");
        }

        int[] first = inputShapes[0];
        int axis = OpShapes.SampleAxis(Kind, Axis, first);
        int total = 0;
        foreach (int[] s in inputShapes)
        {
            bool ok = s.Length == first.Length;
            for (int d = 0; ok && d < s.Length; d++)
            {
                ok = d == axis || s[d] == first[d];
            }

            if (!ok)
            {
                var expected = first.Select((v, d) => d == axis ? "*" : v.ToString(System.Globalization.CultureInfo.InvariantCulture));
                throw new ArgumentException($"Concat expects inputs of shape ({string.Join(", ", expected)}) along axis {axis}; got {string.Join(" and ", inputShapes.Select(x => Tensor.FormatShape(x)))}.");
            }

            total += s[axis];
        }

        int[] result = (int[])first.Clone();
        result[axis] = total;
        return result;
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int[] outShape = context.Output.Shape;
        int axis = Axis < 0 ? Axis + outShape.Length : Axis;
        int outer = OpShapes.Product(outShape, 0, axis);
        int inner = OpShapes.Product(outShape, axis + 1, outShape.Length);
        int outRow = outShape[axis] * inner;
        float[] y = context.Output.Data;
        int offset = 0;
        for (int i = 0; i < context.Inputs.Count; i++)
        {
            Tensor x = context.Inputs[i];
            int row = x.Shape[axis] * inner;
            for (int o = 0; o < outer; o++)
            {
                x.Data.AsSpan(o * row, row).CopyTo(y.AsSpan((o * outRow) + offset, row));
            }

            offset += row;
        }
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int[] outShape = context.Output.Shape;
        int axis = Axis < 0 ? Axis + outShape.Length : Axis;
        int outer = OpShapes.Product(outShape, 0, axis);
        int inner = OpShapes.Product(outShape, axis + 1, outShape.Length);
        int outRow = outShape[axis] * inner;
        float[] dy = context.OutputGrad.Data;
        int offset = 0;
        for (int i = 0; i < context.Inputs.Count; i++)
        {
            int row = context.Inputs[i].Shape[axis] * inner;
            if (context.InputGrad(i) is Tensor dx)
            {
                for (int o = 0; o < outer; o++)
                {
                    Span<float> d = dx.Data.AsSpan(o * row, row);
                    System.Numerics.Tensors.TensorPrimitives.Add(d, dy.AsSpan((o * outRow) + offset, row), d);
                }
            }

            offset += row;
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["axis"] = Axis;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>axis</c>, default 1).</summary>
    internal static ConcatOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Int("axis", 1));
}
