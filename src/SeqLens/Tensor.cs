using System.Globalization;
using System.Text;

namespace SeqLens;

/// <summary>
/// A dense, row-major float32 tensor: the one array type every layer of SeqLens passes around.
/// </summary>
/// <remarks>
/// DNA batches are <c>(batch, 4, length)</c> with channels A, C, G, T (DESIGN.md section 4).
/// <see cref="Shape"/> is exposed as an array for speed; treat it as read-only. <see cref="Reshape"/>
/// shares storage with the original.
/// </remarks>
public sealed class Tensor
{
    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    public Tensor(params int[] shape)
        : this(new float[CheckedSize(shape)], shape)
    {
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) with the given shape.</summary>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long size = CheckedSize(shape);
        if (size != data.Length)
        {
            throw new ArgumentException(
                $"Tensor data has {data.Length} elements; shape {FormatShape(shape)} needs {size}.", nameof(data));
        }

        Data = data;
        Shape = (int[])shape.Clone();
    }

    /// <summary>The dimensions, outermost first. Do not mutate.</summary>
    public int[] Shape { get; }

    /// <summary>The elements in row-major order.</summary>
    public float[] Data { get; }

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>The elements as a span.</summary>
    public Span<float> Span => Data;

    /// <summary>Size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => Shape[axis < 0 ? Shape.Length + axis : axis];

    /// <summary>Element access by full index.</summary>
    public float this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(shape);

    /// <summary>A tensor whose elements are copied from <paramref name="values"/>.</summary>
    public static Tensor FromValues(ReadOnlySpan<float> values, params int[] shape)
        => new(values.ToArray(), shape);

    /// <summary>A view with another shape over the same storage (one dimension may be -1).</summary>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var resolved = (int[])shape.Clone();
        int infer = Array.IndexOf(resolved, -1);
        if (infer >= 0)
        {
            long known = 1;
            for (int i = 0; i < resolved.Length; i++)
            {
                if (i != infer)
                {
                    known *= resolved[i];
                }
            }

            if (known == 0 || Length % known != 0)
            {
                throw new ArgumentException($"Cannot reshape {FormatShape(Shape)} to {FormatShape(shape)}.", nameof(shape));
            }

            resolved[infer] = (int)(Length / known);
        }

        if (CheckedSize(resolved) != Length)
        {
            throw new ArgumentException($"Cannot reshape {FormatShape(Shape)} to {FormatShape(shape)}.", nameof(shape));
        }

        return new Tensor(Data, resolved);
    }

    /// <summary>A deep copy.</summary>
    public Tensor Clone() => new((float[])Data.Clone(), Shape);

    /// <summary>True when both tensors have the same shape.</summary>
    public bool SameShape(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Shape.AsSpan().SequenceEqual(other.Shape);
    }

    /// <summary>Formats a shape as <c>(2, 4, 100)</c> for messages.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }

        return sb.Append(')').ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Tensor{FormatShape(Shape)}";

    private int Offset(int[] index)
    {
        if (index.Length != Shape.Length)
        {
            throw new ArgumentException($"Index of rank {index.Length} for a tensor of shape {FormatShape(Shape)}.");
        }

        int offset = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)Shape[i])
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"Index {index[i]} out of range for axis {i} of {FormatShape(Shape)}.");
            }

            offset = (offset * Shape[i]) + index[i];
        }

        return offset;
    }

    private static int CheckedSize(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long size = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Negative dimension in shape {FormatShape(shape)}.", nameof(shape));
            }

            size *= d;
            if (size > Array.MaxLength)
            {
                throw new ArgumentException($"Shape {FormatShape(shape)} is too large for one tensor.", nameof(shape));
            }
        }

        return (int)size;
    }
}
