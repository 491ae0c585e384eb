using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Permutes axes: output axis k is input axis <c>perm[k]</c>. <see cref="Permutation"/> covers every axis including
/// the batch (as PyTorch's <c>permute</c> and ONNX's <c>Transpose</c>), and must keep the batch first
/// (<c>perm[0] = 0</c>); e.g. <c>[0, 2, 1]</c> turns <c>(B, C, L)</c> into <c>(B, L, C)</c>. Attribution: linear.
/// </summary>
public sealed class TransposeOp : Op
{
    /// <summary>A transpose by <paramref name="permutation"/> of all axes (batch included, kept first).</summary>
    public TransposeOp(params int[] permutation)
    {
        ArgumentNullException.ThrowIfNull(permutation);
        if (permutation.Length < 1 || permutation[0] != 0 || !permutation.Order().SequenceEqual(Enumerable.Range(0, permutation.Length)))
        {
            throw new ArgumentException($"Transpose needs a permutation of 0..rank-1 that keeps the batch axis first; got {Tensor.FormatShape(permutation)}.", nameof(permutation));
        }

        Permutation = (int[])permutation.Clone();
    }

    /// <summary>Output axis k is input axis <c>Permutation[k]</c>.</summary>
    public int[] Permutation { get; }

    /// <inheritdoc/>
    public override string Kind => "Transpose";

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        ExpectRank(inputShapes[0], Permutation.Length, $"a tensor of rank {Permutation.Length} for permutation {Tensor.FormatShape(Permutation)}");
        return Permutation.Select(p => inputShapes[0][p]).ToArray();
    }

    /// <summary>Output shape, the input stride of each output axis, and an odometer counter.</summary>
    public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        int[] inStrides = OpShapes.Strides(inputShapes[0]);
        return new Walk((int[])outputShape.Clone(), Permutation.Select(p => inStrides[p]).ToArray(), new int[outputShape.Length]);
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Run((Walk)context.Workspace!, context.Input.Data, context.Output.Data, backward: false);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is Tensor dx)
        {
            Run((Walk)context.Workspace!, dx.Data, context.OutputGrad.Data, backward: true);
        }
    }

    /// <summary>Visits the output in row-major order with the matching input offset: copy forward, add backward.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(Walk w, Span<float> input, Span<float> output, bool backward)
    {
        int n = w.Shape[^1];
        int stride = w.InStrides[^1];
        var rows = new StridedRows(w.Shape, w.InStrides, w.Index);
        for (int o = 0; o < output.Length; o += n, rows.Next())
        {
            int inOffset = rows.Offset;
            if (backward)
            {
                for (int j = 0; j < n; j++)
                {
                    input[inOffset + (j * stride)] += output[o + j];
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    output[o + j] = input[inOffset + (j * stride)];
                }
            }
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["perm"] = new JsonArray(Permutation.Select(p => (JsonNode)p).ToArray());
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>perm</c>, over all axes with the batch first).</summary>
    internal static TransposeOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Ints("perm"));

    private sealed record Walk(int[] Shape, int[] InStrides, int[] Index);
}
