using System.Numerics.Tensors;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Flattens each sample: <c>(B, d1, …, dk) → (B, d1·…·dk)</c> in row-major order (PyTorch's <c>nn.Flatten()</c>,
/// channel-major for <c>(B, C, L)</c>; Keras flattens <c>(B, L, C)</c>, so importers transpose first). Attribution: linear.
/// </summary>
public sealed class FlattenOp : Op
{
    /// <inheritdoc/>
    public override string Kind => "Flatten";

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        int[] s = inputShapes[0];
        if (s.Length < 2)
        {
            throw new ArgumentException($"Flatten expects (batch, ...); got {Tensor.FormatShape(s)}.");
        }

        return [s[0], OpShapes.Product(s, 1, s.Length)];
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
}
