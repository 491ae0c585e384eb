using SeqLens.IO.Onnx;

namespace SeqLens.Import.Onnx;

/// <summary>
/// A value known at import time: an initializer, a <c>Constant</c>, or the result of folding a shape subgraph
/// (<c>Shape</c>, <c>Gather</c>, <c>Unsqueeze</c>, <c>Concat</c>, <c>Cast</c>...). Integer values may hold
/// <see cref="Batch"/>, the batch size, which is unknown until run time.
/// </summary>
internal sealed class OnnxConstant
{
    /// <summary>Stands for the batch size in folded shape vectors.</summary>
    public const long Batch = long.MinValue;

    private readonly OnnxTensor? _source;
    private float[]? _floats;
    private long[]? _ints;

    private OnnxConstant(int[] shape, bool isFloat, float[]? floats, long[]? ints, OnnxTensor? source)
    {
        Shape = shape;
        IsFloat = isFloat;
        _floats = floats;
        _ints = ints;
        _source = source;
    }

    /// <summary>The dimensions (rank 0 for a scalar).</summary>
    public int[] Shape { get; }

    /// <summary>True for floating-point values, false for integers and booleans.</summary>
    public bool IsFloat { get; }

    /// <summary>Number of elements.</summary>
    public int Count => Shape.Aggregate(1, (a, b) => checked(a * b));

    /// <summary>True when some element stands for the batch size.</summary>
    public bool HasBatch => !IsFloat && Ints.Contains(Batch);

    /// <summary>The values as float32 (integers converted; the batch size is not a number here).</summary>
    public float[] Floats
    {
        get
        {
            if (_floats is null && _source is not null)
            {
                _floats = _source.ToFloat32();
            }

            if (_floats is null)
            {
                long[] ints = _ints!;
                if (ints.Contains(Batch))
                {
                    throw new NotSupportedException("a value that depends on the batch size is used as a number");
                }

                _floats = ints.Select(v => (float)v).ToArray();
            }

            return _floats;
        }
    }

    /// <summary>The values as int64 (floats must be whole numbers).</summary>
    public long[] Ints
    {
        get
        {
            if (_ints is null && _source is not null && !IsFloat)
            {
                _ints = _source.ToInt64();
            }

            if (_ints is null)
            {
                float[] f = Floats;
                _ints = new long[f.Length];
                for (int i = 0; i < f.Length; i++)
                {
                    _ints[i] = (long)f[i];
                }
            }

            return _ints;
        }
    }

    /// <summary>Wraps an initializer or a <c>Constant</c>'s tensor; values are converted on first use.</summary>
    public static OnnxConstant FromTensor(OnnxTensor tensor)
    {
        int[] shape = tensor.Dims.Select(d => d is >= 0 and <= int.MaxValue
            ? (int)d
            : throw new NotSupportedException($"tensor '{tensor.Name}' has dimension {d}")).ToArray();
        bool isFloat = tensor.DataType is OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Float16 or OnnxDataType.BFloat16;
        if (!isFloat && tensor.DataType is not (OnnxDataType.Int64 or OnnxDataType.Int32 or OnnxDataType.Int16 or OnnxDataType.Int8
            or OnnxDataType.UInt8 or OnnxDataType.UInt16 or OnnxDataType.UInt32 or OnnxDataType.UInt64 or OnnxDataType.Bool))
        {
            throw new NotSupportedException($"tensor '{tensor.Name}' has data type {tensor.DataType}; expected a float or integer type");
        }

        return new OnnxConstant(shape, isFloat, null, null, tensor);
    }

    /// <summary>An integer constant.</summary>
    public static OnnxConstant FromInts(long[] values, params int[] shape) => new(shape, false, null, values, null);

    /// <summary>A float constant.</summary>
    public static OnnxConstant FromFloats(float[] values, params int[] shape) => new(shape, true, values, null, null);

    /// <summary>The same values with another shape.</summary>
    public OnnxConstant WithShape(int[] shape) => IsFloat ? FromFloats(Floats, shape) : FromInts(Ints, shape);

    /// <summary>A constant of the elements at <paramref name="indices"/> (flat, row-major) with <paramref name="shape"/>.</summary>
    public OnnxConstant Take(int[] indices, int[] shape)
    {
        if (IsFloat)
        {
            float[] f = Floats;
            return FromFloats(indices.Select(i => f[i]).ToArray(), shape);
        }

        long[] v = Ints;
        return FromInts(indices.Select(i => v[i]).ToArray(), shape);
    }

    /// <summary>A float32 tensor of the values.</summary>
    public Tensor ToTensor() => new(Floats, Shape);

    /// <summary>Row-major strides of <see cref="Shape"/>.</summary>
    public int[] Strides()
    {
        var s = new int[Shape.Length];
        int p = 1;
        for (int i = Shape.Length - 1; i >= 0; i--)
        {
            s[i] = p;
            p *= Shape[i];
        }

        return s;
    }
}
