namespace SeqLens.IO.Npy;

/// <summary>
/// A dense C-ordered array as stored in a numpy <c>.npy</c> file: element type, shape and a flat typed array
/// (<c>float[]</c>, <c>double[]</c>, <c>int[]</c>, <c>long[]</c>, <c>byte[]</c>, <c>bool[]</c> or <c>string[]</c>).
/// </summary>
public sealed class NpyArray
{
    private NpyArray(NpyDType dtype, long[] shape, Array data, int unicodeWidth)
    {
        long n = 1;
        foreach (long d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d);
            n *= d;
        }

        if (n != data.LongLength)
        {
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {n} elements; data has {data.LongLength}");
        }

        DType = dtype;
        Shape = shape;
        Data = data;
        UnicodeWidth = unicodeWidth;
    }

    public NpyDType DType { get; }

    /// <summary>Dimensions (empty for a scalar).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The flat data in C order.</summary>
    public Array Data { get; }

    /// <summary>Characters per element for <see cref="NpyDType.Unicode"/> (at least the longest string, minimum 1).</summary>
    public int UnicodeWidth { get; }

    /// <summary>Number of elements.</summary>
    public long Count => Data.LongLength;

    public static NpyArray FromSingle(float[] data, params long[] shape) => new(NpyDType.Float32, ShapeOf(data, shape), data, 0);

    public static NpyArray FromDouble(double[] data, params long[] shape) => new(NpyDType.Float64, ShapeOf(data, shape), data, 0);

    public static NpyArray FromInt32(int[] data, params long[] shape) => new(NpyDType.Int32, ShapeOf(data, shape), data, 0);

    public static NpyArray FromInt64(long[] data, params long[] shape) => new(NpyDType.Int64, ShapeOf(data, shape), data, 0);

    public static NpyArray FromUInt8(byte[] data, params long[] shape) => new(NpyDType.UInt8, ShapeOf(data, shape), data, 0);

    public static NpyArray FromBool(bool[] data, params long[] shape) => new(NpyDType.Bool, ShapeOf(data, shape), data, 0);

    /// <summary>A unicode array; <paramref name="width"/> defaults to the longest string in code points (minimum 1).</summary>
    public static NpyArray FromStrings(string[] data, long[]? shape = null, int? width = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        int longest = 1;
        foreach (string s in data)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(data));
            longest = Math.Max(longest, s.EnumerateRunes().Count());
        }

        int w = width ?? longest;
        if (w < longest)
        {
            throw new ArgumentException($"unicode width {w} is shorter than the longest string ({longest} code points)", nameof(width));
        }

        return new NpyArray(NpyDType.Unicode, shape ?? [data.Length], data, w);
    }

    /// <summary>A float32 array with the tensor's shape and data (copied).</summary>
    public static NpyArray FromTensor(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return FromSingle((float[])tensor.Data.Clone(), tensor.Shape.Select(d => (long)d).ToArray());
    }

    /// <summary>The float32 array as a <see cref="Tensor"/> (data copied).</summary>
    public Tensor ToTensor() => new((float[])AsSingle().Clone(), Shape.Select(d => checked((int)d)).ToArray());

    internal static NpyArray Create(NpyDType dtype, long[] shape, Array data, int width) => new(dtype, shape, data, width);

    public float[] AsSingle() => As<float>(NpyDType.Float32);

    public double[] AsDouble() => As<double>(NpyDType.Float64);

    public int[] AsInt32() => As<int>(NpyDType.Int32);

    public long[] AsInt64() => As<long>(NpyDType.Int64);

    public byte[] AsUInt8() => As<byte>(NpyDType.UInt8);

    public bool[] AsBool() => As<bool>(NpyDType.Bool);

    public string[] AsStrings() => As<string>(NpyDType.Unicode);

    /// <summary>The numpy <c>descr</c> string, e.g. '&lt;f4'.</summary>
    public string Descr => DType switch
    {
        NpyDType.Float32 => "<f4",
        NpyDType.Float64 => "<f8",
        NpyDType.Int32 => "<i4",
        NpyDType.Int64 => "<i8",
        NpyDType.UInt8 => "|u1",
        NpyDType.Bool => "|b1",
        _ => "<U" + UnicodeWidth.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private T[] As<T>(NpyDType expected)
        => DType == expected ? (T[])Data : throw new InvalidOperationException($"array holds {DType} ({Descr}), not {expected}");

    private static long[] ShapeOf(Array data, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return shape is { Length: > 0 } ? shape : [data.LongLength];
    }
}
