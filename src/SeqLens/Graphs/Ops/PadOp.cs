using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Pads the last (length) axis with a constant: <c>(B, …, L) → (B, …, left + L + right)</c> (PyTorch's
/// <c>F.pad(x, (left, right), value=v)</c>, Keras' <c>ZeroPadding1D</c> after a transpose). Negative amounts are not
/// allowed (use <see cref="SliceOp"/> to crop). Attribution: linear (affine; the padding is constant).
/// </summary>
public sealed class PadOp : Op
{
    /// <summary>Pads <paramref name="left"/> and <paramref name="right"/> positions with <paramref name="value"/>.</summary>
    public PadOp(int left, int right, float value = 0f)
    {
        if (left < 0 || right < 0 || !float.IsFinite(value))
        {
            throw new ArgumentException($"Pad needs non-negative amounts and a finite value; got left {left}, right {right}, value {value}.");
        }

        Left = left;
        Right = right;
        Value = value;
    }

    /// <summary>Positions added before the start.</summary>
    public int Left { get; }

    /// <summary>Positions added after the end.</summary>
    public int Right { get; }

    /// <summary>The constant written into the padding.</summary>
    public float Value { get; }

    /// <inheritdoc/>
    public override string Kind => "Pad";

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        int[] s = inputShapes[0];
        if (s.Length < 2)
        {
            throw new ArgumentException($"Pad expects (batch, ..., length); got {Tensor.FormatShape(s)}.");
        }

        return [.. s[..^1], s[^1] + Left + Right];
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int length = context.Input.Shape[^1];
        int outLength = context.Output.Shape[^1];
        int rows = context.Input.Length / Math.Max(length, 1);
        float[] x = context.Input.Data;
        float[] y = context.Output.Data;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = y.AsSpan(r * outLength, outLength);
            row[..Left].Fill(Value);
            x.AsSpan(r * length, length).CopyTo(row[Left..]);
            row[(Left + length)..].Fill(Value);
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

        int length = context.Input.Shape[^1];
        int outLength = context.Output.Shape[^1];
        int rows = context.Input.Length / Math.Max(length, 1);
        float[] dy = context.OutputGrad.Data;
        for (int r = 0; r < rows; r++)
        {
            Span<float> d = dx.Data.AsSpan(r * length, length);
            System.Numerics.Tensors.TensorPrimitives.Add(d, dy.AsSpan((r * outLength) + Left, length), d);
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["left"] = Left;
        attributes["right"] = Right;
        attributes["value"] = Value;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>left</c>, <c>right</c> default 0; <c>value</c> 0).</summary>
    internal static PadOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Int("left", 0), a.Int("right", 0), a.Float("value", 0f));
}
