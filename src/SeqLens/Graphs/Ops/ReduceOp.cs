using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Base of <see cref="SumOp"/> and <see cref="MeanOp"/>: a scaled sum over <see cref="Axes"/> (batch = axis 0, which
/// cannot be reduced; negative axes count from the end). With <see cref="KeepDims"/> reduced axes stay with size 1.
/// Attribution: linear.
/// </summary>
public abstract class ReduceOp : Op
{
    /// <summary>A reduction over <paramref name="axes"/>.</summary>
    protected ReduceOp(int[] axes, bool keepDims)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length == 0)
        {
            throw new ArgumentException("A reduction needs at least one axis.", nameof(axes));
        }

        Axes = (int[])axes.Clone();
        KeepDims = keepDims;
    }

    /// <summary>The reduced axes as given.</summary>
    public int[] Axes { get; }

    /// <summary>Keep reduced axes with size 1 (default false).</summary>
    public bool KeepDims { get; }

    /// <summary>The factor applied to the sum for <paramref name="count"/> reduced elements (1 for a sum, 1/count for a mean).</summary>
    protected abstract float Scale(int count);

    private bool[] Reduced(int[] shape)
    {
        var reduced = new bool[shape.Length];
        foreach (int a in Axes)
        {
            int axis = OpShapes.SampleAxis(Kind, a, shape);
            if (reduced[axis])
            {
                throw new ArgumentException($"{Kind} expects distinct axes; got {Tensor.FormatShape(Axes)} for input {Tensor.FormatShape(shape)}.");
            }

            reduced[axis] = true;
        }

        return reduced;
    }

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        int[] s = inputShapes[0];
        bool[] reduced = Reduced(s);
        var result = new List<int>(s.Length);
        for (int d = 0; d < s.Length; d++)
        {
            if (!reduced[d])
            {
                result.Add(s[d]);
            }
            else if (KeepDims)
            {
                result.Add(1);
            }
        }

        return [.. result];
    }

    /// <summary>The input shape, the output stride of each input axis (0 where reduced), a counter and the scale.</summary>
    public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        int[] s = inputShapes[0];
        bool[] reduced = Reduced(s);
        var outStrides = new int[s.Length];
        int stride = 1;
        int count = 1;
        for (int d = s.Length - 1; d >= 0; d--)
        {
            if (reduced[d])
            {
                count *= s[d];
            }
            else
            {
                outStrides[d] = stride;
                stride *= s[d];
            }
        }

        return new Walk((int[])s.Clone(), outStrides, new int[s.Length], Scale(count));
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var w = (Walk)context.Workspace!;
        Span<float> y = context.Output.Data;
        y.Clear();
        Run(w, context.Input.Data, y, backward: false);
        if (w.Scale != 1f)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(y, w.Scale, y);
        }
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

    /// <summary>Visits the input in row-major order with the matching output offset: accumulate forward, scatter backward.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(Walk w, Span<float> input, Span<float> output, bool backward)
    {
        int n = w.Shape[^1];
        int stride = w.OutStrides[^1];
        float scale = w.Scale;
        var rows = new StridedRows(w.Shape, w.OutStrides, w.Index);
        for (int i = 0; i < input.Length; i += n, rows.Next())
        {
            int outOffset = rows.Offset;
            if (backward)
            {
                for (int j = 0; j < n; j++)
                {
                    input[i + j] += output[outOffset + (j * stride)] * scale;
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    output[outOffset + (j * stride)] += input[i + j];
                }
            }
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["axes"] = new JsonArray(Axes.Select(a => (JsonNode)a).ToArray());
        attributes["keepdims"] = KeepDims;
    }

    private sealed record Walk(int[] Shape, int[] OutStrides, int[] Index, float Scale);
}
