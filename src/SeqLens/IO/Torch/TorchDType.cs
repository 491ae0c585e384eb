namespace SeqLens.IO.Torch;

/// <summary>
/// Element types of PyTorch tensors in a state-dict file, named after <c>torch.dtype</c>; each comes from the
/// storage class the pickle names (<c>torch.FloatStorage</c> is <see cref="Float32"/>, ...).
/// </summary>
public enum TorchDType
{
    /// <summary><c>torch.float32</c> (<c>FloatStorage</c>), 4 bytes.</summary>
    Float32,

    /// <summary><c>torch.float64</c> (<c>DoubleStorage</c>), 8 bytes.</summary>
    Float64,

    /// <summary><c>torch.float16</c> (<c>HalfStorage</c>), 2 bytes.</summary>
    Float16,

    /// <summary><c>torch.bfloat16</c> (<c>BFloat16Storage</c>), 2 bytes.</summary>
    BFloat16,

    /// <summary><c>torch.int64</c> (<c>LongStorage</c>), 8 bytes; e.g. <c>num_batches_tracked</c>.</summary>
    Int64,

    /// <summary><c>torch.int32</c> (<c>IntStorage</c>), 4 bytes.</summary>
    Int32,

    /// <summary><c>torch.int16</c> (<c>ShortStorage</c>), 2 bytes.</summary>
    Int16,

    /// <summary><c>torch.int8</c> (<c>CharStorage</c>), 1 byte.</summary>
    Int8,

    /// <summary><c>torch.uint8</c> (<c>ByteStorage</c>), 1 byte.</summary>
    UInt8,

    /// <summary><c>torch.bool</c> (<c>BoolStorage</c>), 1 byte.</summary>
    Bool,
}
