using System.Numerics.Tensors;
using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Reshapes each sample to <see cref="TargetShape"/> (per-sample, batch excluded; one entry may be −1 and is inferred),
/// keeping row-major element order: <c>(B, …) → (B, target…)</c>. Attribution: linear.
/// </summary>
public sealed class ReshapeOp : Op
{
    /// <summary>A reshape to per-sample <paramref name="targetShape"/>.</summary>
    public ReshapeOp(params int[] targetShape)
    {
        ArgumentNullException.ThrowIfNull(targetShape);
        if (targetShape.Length == 0 || targetShape.Count(d => d == -1) > 1 || targetShape.Any(d => d == 0 || d < -1))
        {
            throw new ArgumentException($"Reshape needs a per-sample shape of positive sizes with at most one -1; got {Tensor.FormatShape(targetShape)}.", nameof(targetShape));
        }

        TargetShape = (int[])targetShape.Clone();
    }

    /// <summary>The per-sample target shape as given (may hold one −1).</summary>
    public int[] TargetShape { get; }

    /// <inheritdoc/>
    public override string Kind => "Reshape";

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        int[] s = inputShapes[0];
        if (s.Length < 2)
        {
            throw new ArgumentException($"Reshape expects (batch, ...); got {Tensor.FormatShape(s)}.");
        }

        int size = OpShapes.Product(s, 1, s.Length);
        int known = 1;
        int infer = -1;
        for (int i = 0; i < TargetShape.Length; i++)
        {
            if (TargetShape[i] == -1)
            {
                infer = i;
            }
            else
            {
                known *= TargetShape[i];
            }
        }

        var result = new int[TargetShape.Length + 1];
        result[0] = s[0];
        TargetShape.CopyTo(result, 1);
        if (infer >= 0 && size % known == 0)
        {
            result[infer + 1] = size / known;
        }

        if (OpShapes.Product(result, 1, result.Length) != size || result.Skip(1).Any(d => d <= 0))
        {
            throw new ArgumentException($"Reshape expects samples of {known}{(infer >= 0 ? "·k" : string.Empty)} elements for target {Tensor.FormatShape(TargetShape)}; got {Tensor.FormatShape(s)}.");
        }

        return result;
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Input.Data.CopyTo(context.Output.Data, 0);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is Tensor dx)
        {
            TensorPrimitives.Add(dx.Data, context.OutputGrad.Data, dx.Data);
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["shape"] = new JsonArray(TargetShape.Select(d => (JsonNode)d).ToArray());
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>shape</c>: per-sample target, required).</summary>
    internal static ReshapeOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Ints("shape"));
}
