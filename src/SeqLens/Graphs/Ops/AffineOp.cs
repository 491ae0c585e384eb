using System.Numerics.Tensors;
using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// A constant element-wise affine map <c>y = x·scale + shift</c>, where <c>scale</c> and <c>shift</c> are fixed tensors
/// broadcast against each sample (NumPy rules, aligned on the right; batch excluded), e.g. <c>()</c>, <c>(L)</c>,
/// <c>(C, 1)</c> or <c>(C, L)</c> for a <c>(B, C, L)</c> input. It carries an imported model's arithmetic with a constant
/// operand (ONNX <c>Mul</c>, <c>Add</c>, <c>Sub</c>, <c>Div</c> by a constant) when it cannot be folded into a neighbour.
/// </summary>
/// <remarks>
/// Parameters <c>scale</c> and <c>shift</c> are stored, not trained. Gradient <c>dx = dy·scale</c>.
/// Attribution: linear (affine; DeepLIFT's multiplier is the scale, the constant shift cancels in Δy).
/// </remarks>
public sealed class AffineOp : Op
{
    private readonly Parameter[] _parameters;

    /// <summary>An affine map with the given per-sample <paramref name="scale"/> and <paramref name="shift"/> (copied).</summary>
    public AffineOp(Tensor scale, Tensor shift)
    {
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(shift);
        if (scale.Data.Any(v => !float.IsFinite(v)) || shift.Data.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException("Affine needs finite scale and shift values.");
        }

        Scale = new Parameter("scale", scale.Clone(), trainable: false);
        Shift = new Parameter("shift", shift.Clone(), trainable: false);
        _parameters = [Scale, Shift];
    }

    /// <summary>The multiplier, broadcast against each sample.</summary>
    public Parameter Scale { get; }

    /// <summary>The added constant, broadcast against each sample.</summary>
    public Parameter Shift { get; }

    /// <inheritdoc/>
    public override string Kind => "Affine";

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        int[] s = inputShapes[0];
        if (s.Length < 2)
        {
            throw new ArgumentException($"Affine expects (batch, ...); got {Tensor.FormatShape(s)}.");
        }

        foreach (Parameter p in _parameters)
        {
            if (!Broadcasts(p.Value.Shape, s))
            {
                throw new ArgumentException($"Affine {p.LocalName} of shape {Tensor.FormatShape(p.Value.Shape)} does not broadcast to samples of shape {Tensor.FormatShape(s.AsSpan(1))} (input {Tensor.FormatShape(s)}).");
            }
        }

        return (int[])s.Clone();
    }

    /// <summary>True when <paramref name="shape"/> broadcasts (right-aligned, sizes 1 or equal) to the samples of <paramref name="input"/>.</summary>
    public static bool Broadcasts(ReadOnlySpan<int> shape, ReadOnlySpan<int> input)
    {
        int sampleRank = input.Length - 1;
        if (shape.Length > sampleRank)
        {
            return false;
        }

        for (int i = 1; i <= shape.Length; i++)
        {
            if (shape[^i] != 1 && shape[^i] != input[^i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The scale and shift expanded to one sample.</summary>
    public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape)
    {
        ArgumentNullException.ThrowIfNull(outputShape);
        return new Expanded(Expand(Scale.Value, outputShape), Expand(Shift.Value, outputShape));
    }

    private static float[] Expand(Tensor t, int[] shape)
    {
        int[] sample = shape[1..];
        int size = OpShapes.Product(sample, 0, sample.Length);
        var result = new float[size];
        int[] strides = OpShapes.Strides(sample);
        int[] tStrides = OpShapes.Strides(t.Shape);
        int offset = sample.Length - t.Rank;
        for (int i = 0; i < size; i++)
        {
            int src = 0;
            for (int d = 0; d < t.Rank; d++)
            {
                int coord = i / strides[d + offset] % sample[d + offset];
                src += t.Shape[d] == 1 ? 0 : coord * tStrides[d];
            }

            result[i] = t.Data[src];
        }

        return result;
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var w = (Expanded)context.Workspace!;
        int size = w.Scale.Length;
        float[] x = context.Input.Data;
        float[] y = context.Output.Data;
        for (int r = 0; r + size <= x.Length; r += size)
        {
            TensorPrimitives.FusedMultiplyAdd(x.AsSpan(r, size), w.Scale, w.Shift, y.AsSpan(r, size));
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

        var w = (Expanded)context.Workspace!;
        int size = w.Scale.Length;
        float[] dy = context.OutputGrad.Data;
        for (int r = 0; r + size <= dy.Length; r += size)
        {
            Span<float> row = dx.Data.AsSpan(r, size);
            TensorPrimitives.FusedMultiplyAdd(dy.AsSpan(r, size), w.Scale, row, row);
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["scale_shape"] = new JsonArray(Scale.Value.Shape.Select(d => (JsonNode)d).ToArray());
        attributes["shift_shape"] = new JsonArray(Shift.Value.Shape.Select(d => (JsonNode)d).ToArray());
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>scale_shape</c>, <c>shift_shape</c>: scale 1, shift 0 until the weights load).</summary>
    internal static AffineOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
    {
        int[] scaleShape = a.Ints("scale_shape");
        int[] shiftShape = a.Ints("shift_shape");
        return new AffineOp(Initializers.Constant(1f, scaleShape), new Tensor(shiftShape));
    }

    private sealed record Expanded(float[] Scale, float[] Shift);
}
