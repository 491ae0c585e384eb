namespace SeqLens.IO.Npy;

/// <summary>Element types that <see cref="NpyArray"/> reads and writes (numpy <c>descr</c> in brackets).</summary>
public enum NpyDType
{
    /// <summary>float32 ('&lt;f4'), data as <c>float[]</c>.</summary>
    Float32,

    /// <summary>float64 ('&lt;f8'), data as <c>double[]</c>.</summary>
    Float64,

    /// <summary>int32 ('&lt;i4'), data as <c>int[]</c>.</summary>
    Int32,

    /// <summary>int64 ('&lt;i8'), data as <c>long[]</c>.</summary>
    Int64,

    /// <summary>uint8 ('|u1'), data as <c>byte[]</c>.</summary>
    UInt8,

    /// <summary>bool ('|b1'), data as <c>bool[]</c>.</summary>
    Bool,

    /// <summary>Fixed-width unicode ('&lt;U<i>n</i>', UTF-32LE, zero-padded), data as <c>string[]</c>.</summary>
    Unicode,
}
