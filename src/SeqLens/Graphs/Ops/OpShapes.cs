namespace SeqLens.Graphs.Ops;

/// <summary>Shape arithmetic shared by the shape-manipulating ops (axes, strides, products).</summary>
internal static class OpShapes
{
    /// <summary>
    /// Resolves <paramref name="axis"/> of a tensor of shape <paramref name="shape"/> (batch is axis 0; negative axes count
    /// from the end, as in PyTorch, ONNX and Keras). The batch axis is rejected: ops work per sample.
    /// </summary>
    public static int SampleAxis(string kind, int axis, int[] shape)
    {
        int rank = shape.Length;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 1 || a >= rank)
        {
            throw new ArgumentException($"{kind} expects a tensor with a non-batch axis {axis} (batch is axis 0); got {Tensor.FormatShape(shape)}.");
        }

        return a;
    }

    /// <summary>The product of <paramref name="shape"/>[from..to).</summary>
    public static int Product(ReadOnlySpan<int> shape, int from, int to)
    {
        int p = 1;
        for (int i = from; i < to; i++)
        {
            p *= shape[i];
        }

        return p;
    }

    /// <summary>Row-major strides of <paramref name="shape"/>.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var s = new int[shape.Length];
        int p = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i] = p;
            p *= shape[i];
        }

        return s;
    }

    /// <summary>True when both shapes are equal.</summary>
    public static bool Same(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
