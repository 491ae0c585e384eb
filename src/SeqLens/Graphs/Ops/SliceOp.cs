using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Takes <c>x[..., start:end:step, ...]</c> along one axis with Python's rules: negative <c>start</c>/<c>end</c> count
/// from the end, both are clamped to the axis, <c>end</c> null means the end, <c>step ≥ 1</c>. <see cref="Axis"/> counts
/// the batch as axis 0 (as PyTorch and ONNX) and may not be the batch; negative axes count from the end.
/// An empty selection is an error. Attribution: linear.
/// </summary>
public sealed class SliceOp : Op
{
    /// <summary>Slices <paramref name="axis"/> by <c>start:end:step</c>.</summary>
    public SliceOp(int axis, int start, int? end = null, int step = 1)
    {
        if (step < 1)
        {
            throw new ArgumentException($"Slice needs step ≥ 1; got {step}.", nameof(step));
        }

        Axis = axis;
        Start = start;
        End = end;
        Step = step;
    }

    /// <summary>The sliced axis (batch = 0; negative from the end).</summary>
    public int Axis { get; }

    /// <summary>First index (negative counts from the end).</summary>
    public int Start { get; }

    /// <summary>End index, exclusive (negative counts from the end; null = to the end).</summary>
    public int? End { get; }

    /// <summary>Stride, at least 1.</summary>
    public int Step { get; }

    /// <inheritdoc/>
    public override string Kind => "Slice";

    /// <summary>The resolved first index and count along an axis of size <paramref name="size"/>.</summary>
    public (int First, int Count) Resolve(int size)
    {
        static int Clamp(int i, int n) => Math.Clamp(i < 0 ? i + n : i, 0, n);
        int first = Clamp(Start, size);
        int end = End is int e ? Clamp(e, size) : size;
        int count = end > first ? ((end - first + Step - 1) / Step) : 0;
        return (first, count);
    }

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        int[] s = inputShapes[0];
        int axis = OpShapes.SampleAxis(Kind, Axis, s);
        (_, int count) = Resolve(s[axis]);
        if (count == 0)
        {
            throw new ArgumentException($"Slice [{Start}:{End?.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{Step}] of axis {axis} selects nothing from {Tensor.FormatShape(s)}.");
        }

        int[] result = (int[])s.Clone();
        result[axis] = count;
        return result;
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        (int outer, int size, int inner, int first, int count) = Geometry(context.Input.Shape);
        float[] x = context.Input.Data;
        float[] y = context.Output.Data;
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < count; k++)
            {
                x.AsSpan((((o * size) + first + (k * Step)) * inner), inner).CopyTo(y.AsSpan(((o * count) + k) * inner, inner));
            }
        }
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is not Tensor dx)
        {
            return;
        }

        (int outer, int size, int inner, int first, int count) = Geometry(context.Input.Shape);
        float[] dy = context.OutputGrad.Data;
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < count; k++)
            {
                Span<float> d = dx.Data.AsSpan(((o * size) + first + (k * Step)) * inner, inner);
                System.Numerics.Tensors.TensorPrimitives.Add(d, dy.AsSpan(((o * count) + k) * inner, inner), d);
            }
        }
    }

    private (int Outer, int Size, int Inner, int First, int Count) Geometry(int[] shape)
    {
        int axis = Axis < 0 ? Axis + shape.Length : Axis;
        (int first, int count) = Resolve(shape[axis]);
        return (OpShapes.Product(shape, 0, axis), shape[axis], OpShapes.Product(shape, axis + 1, shape.Length), first, count);
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["axis"] = Axis;
        attributes["start"] = Start;
        if (End is int e)
        {
            attributes["end"] = e;
        }

        attributes["step"] = Step;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>axis</c>; <c>start</c> 0; <c>end</c> absent = to the end; <c>step</c> 1).</summary>
    internal static SliceOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Int("axis"), a.Int("start", 0), a.Has("end") ? a.Int("end") : null, a.Int("step", 1));
}
