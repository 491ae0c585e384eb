using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Inverted dropout (Srivastava et al. 2014): in training each element is zeroed with probability <c>p</c> and the
/// survivors are scaled by <c>1/(1 − p)</c>, so evaluation is the identity. The mask comes from
/// <see cref="ForwardContext.Random"/> (seed, step, node), so a training run is reproducible. Shape-preserving.
/// </summary>
/// <remarks>Attribution: linear (the identity in evaluation, where attribution runs).</remarks>
public sealed class DropoutOp : Op
{
    /// <summary>A dropout layer with drop probability <paramref name="p"/> in [0, 1).</summary>
    public DropoutOp(float p = 0.5f)
    {
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentException($"Dropout probability must be in [0, 1); got {p}.", nameof(p));
        }

        P = p;
    }

    /// <summary>Drop probability.</summary>
    public float P { get; }

    /// <inheritdoc/>
    public override string Kind => "Dropout";

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        return (int[])inputShapes[0].Clone();
    }

    /// <summary>The mask of the last training forward pass: 0 or 1/(1 − p) per element.</summary>
    public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape)
    {
        ArgumentNullException.ThrowIfNull(outputShape);
        return new float[OpShapes.Product(outputShape, 0, outputShape.Length)];
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        float[] x = context.Input.Data;
        float[] y = context.Output.Data;
        if (!context.Training || P == 0f)
        {
            x.CopyTo(y, 0);
            return;
        }

        var mask = (float[])context.Workspace!;
        Rng random = context.Random;
        float keep = 1f / (1f - P);
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = random.NextSingle() < P ? 0f : keep;
        }

        TensorPrimitives.Multiply(x, mask, y);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is not Tensor dx)
        {
            return;
        }

        if (!context.Training || P == 0f)
        {
            TensorPrimitives.Add(dx.Data, context.OutputGrad.Data, dx.Data);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(context.OutputGrad.Data, (float[])context.Workspace!, dx.Data, dx.Data);
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["p"] = P;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>p</c>, default 0.5).</summary>
    internal static DropoutOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Float("p", 0.5f));
}
