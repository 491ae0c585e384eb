using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace SeqLens.IO.Torch;

/// <summary>
/// A tensor read from a PyTorch state-dict file: its dtype, shape and values, materialised contiguous (row-major)
/// from the storage, offset, size and stride that the pickle recorded, as little-endian bytes of the dtype.
/// </summary>
/// <remarks>
/// Views (transposes, slices with a storage offset, expanded tensors with stride 0) are copied element by element
/// into their own row-major layout, so <see cref="RawData"/> never aliases another tensor.
/// <see cref="ToFloat32"/> converts every dtype (float16/bfloat16 exactly, float64/int64 rounded to nearest);
/// <see cref="ToInt64"/> gives integer and boolean tensors exactly.
/// </remarks>
public sealed class TorchTensor
{
    private readonly byte[] _data;
    private readonly int[] _shape;

    internal TorchTensor(TorchDType dtype, int[] shape, byte[] data, bool requiresGrad, bool isParameter)
    {
        DType = dtype;
        _shape = shape;
        _data = data;
        RequiresGrad = requiresGrad;
        IsParameter = isParameter;
        ElementCount = data.Length / ElementSize(dtype);
    }

    /// <summary>The element type of the storage.</summary>
    public TorchDType DType { get; }

    /// <summary>The dimensions, outermost first; empty for a 0-d tensor.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public int ElementCount { get; }

    /// <summary>The <c>requires_grad</c> flag recorded in the file.</summary>
    public bool RequiresGrad { get; }

    /// <summary>True when the file pickled an <c>nn.Parameter</c> (<c>torch._utils._rebuild_parameter</c>).</summary>
    public bool IsParameter { get; }

    /// <summary>The values, row-major, as little-endian bytes of <see cref="DType"/>.</summary>
    public ReadOnlyMemory<byte> RawData => _data;

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int ElementSize(TorchDType dtype) => dtype switch
    {
        TorchDType.Float64 or TorchDType.Int64 => 8,
        TorchDType.Float32 or TorchDType.Int32 => 4,
        TorchDType.Float16 or TorchDType.BFloat16 or TorchDType.Int16 => 2,
        _ => 1,
    };

    /// <summary>The values converted to float32, row-major.</summary>
    public float[] ToFloat32()
    {
        var result = new float[ElementCount];
        ReadOnlySpan<byte> d = _data;
        if (DType == TorchDType.Float32 && BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(d).CopyTo(result);
            return result;
        }

        for (int i = 0; i < result.Length; i++)
        {
            result[i] = DType switch
            {
                TorchDType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(d[(i * 4)..]),
                TorchDType.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(d[(i * 8)..]),
                TorchDType.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(d[(i * 2)..]),
                TorchDType.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(d[(i * 2)..]) << 16),
                TorchDType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(d[(i * 8)..]),
                TorchDType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(d[(i * 4)..]),
                TorchDType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(d[(i * 2)..]),
                TorchDType.Int8 => (sbyte)d[i],
                TorchDType.UInt8 => d[i],
                _ => d[i] != 0 ? 1f : 0f,
            };
        }

        return result;
    }

    /// <summary>The values of an integer or boolean tensor as int64.</summary>
    /// <exception cref="NotSupportedException">For floating-point dtypes.</exception>
    public long[] ToInt64()
    {
        if (DType is TorchDType.Float32 or TorchDType.Float64 or TorchDType.Float16 or TorchDType.BFloat16)
        {
            throw new NotSupportedException($"A {DType} tensor has no exact int64 values; use ToFloat32.");
        }

        var result = new long[ElementCount];
        ReadOnlySpan<byte> d = _data;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = DType switch
            {
                TorchDType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(d[(i * 8)..]),
                TorchDType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(d[(i * 4)..]),
                TorchDType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(d[(i * 2)..]),
                TorchDType.Int8 => (sbyte)d[i],
                TorchDType.UInt8 => d[i],
                _ => d[i] != 0 ? 1 : 0,
            };
        }

        return result;
    }

    /// <summary>A float32 <see cref="SeqLens.Tensor"/> of the same shape (a 0-d tensor becomes rank 0).</summary>
    public Tensor ToTensor() => new(ToFloat32(), _shape);

    /// <summary>The same values marked as an <c>nn.Parameter</c> (shares the data).</summary>
    internal TorchTensor AsParameter(bool requiresGrad) => new(DType, _shape, _data, requiresGrad, isParameter: true);

    /// <inheritdoc/>
    public override string ToString()
        => $"{DType}({string.Join(", ", _shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))})";

    /// <summary>
    /// Copies the view (<paramref name="offset"/>, <paramref name="shape"/>, <paramref name="stride"/>, all in
    /// elements) out of <paramref name="storage"/> into row-major bytes. The caller has checked that every index
    /// stays inside the storage.
    /// </summary>
    internal static byte[] Gather(ReadOnlySpan<byte> storage, int elementSize, long offset, int[] shape, long[] stride, int count)
    {
        var result = new byte[(long)count * elementSize];
        if (count == 0)
        {
            return result;
        }

        int rank = shape.Length;
        bool contiguous = true;
        long expected = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && stride[i] != expected)
            {
                contiguous = false;
                break;
            }

            expected *= shape[i];
        }

        if (contiguous)
        {
            storage.Slice(checked((int)(offset * elementSize)), result.Length).CopyTo(result);
            return result;
        }

        switch (elementSize)
        {
            case 1: GatherTyped<byte>(storage, offset, shape, stride, result); break;
            case 2: GatherTyped<ushort>(storage, offset, shape, stride, result); break;
            case 4: GatherTyped<uint>(storage, offset, shape, stride, result); break;
            default: GatherTyped<ulong>(storage, offset, shape, stride, result); break;
        }

        return result;
    }

    private static void GatherTyped<T>(ReadOnlySpan<byte> storageBytes, long offset, int[] shape, long[] stride, byte[] resultBytes)
        where T : unmanaged
    {
        // The storage holds exactly numel * sizeof(T) bytes (checked when it was read), so the casts cover whole elements.
        ReadOnlySpan<T> storage = MemoryMarshal.Cast<byte, T>(storageBytes);
        Span<T> result = MemoryMarshal.Cast<byte, T>(resultBytes.AsSpan());
        int rank = shape.Length;
        int inner = rank == 0 ? 1 : shape[rank - 1];
        long innerStride = rank == 0 ? 0 : stride[rank - 1];
        var index = new int[Math.Max(rank - 1, 0)];
        long source = offset;
        for (int n = 0; n < result.Length; n += inner)
        {
            // Innermost axis: a strided run.
            long s = source;
            for (int k = 0; k < inner; k++, s += innerStride)
            {
                result[n + k] = storage[(int)s];
            }

            // Odometer over the outer axes.
            for (int axis = rank - 2; axis >= 0; axis--)
            {
                source += stride[axis];
                if (++index[axis] < shape[axis])
                {
                    break;
                }

                source -= stride[axis] * shape[axis];
                index[axis] = 0;
            }
        }
    }
}
