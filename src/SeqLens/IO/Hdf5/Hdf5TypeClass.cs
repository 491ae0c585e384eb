namespace SeqLens.IO.Hdf5;

/// <summary>The class of an HDF5 datatype (datatype message, class field; HDF5 file format spec §IV.A.2.d).</summary>
public enum Hdf5TypeClass
{
    /// <summary>Integers of any width, signed or unsigned, either byte order.</summary>
    FixedPoint = 0,

    /// <summary>IEEE floating point (16, 32 or 64 bits), either byte order.</summary>
    FloatingPoint = 1,

    Time = 2,

    /// <summary>Fixed-length strings.</summary>
    String = 3,

    BitField = 4,

    Opaque = 5,

    Compound = 6,

    Reference = 7,

    /// <summary>Enumerations (read as their base integer type; h5py stores booleans this way).</summary>
    Enumerated = 8,

    /// <summary>Variable-length sequences and strings (data in the global heap).</summary>
    VariableLength = 9,

    Array = 10,
}
