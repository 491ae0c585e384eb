using System.Globalization;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// A dataset: an n-dimensional array of one <see cref="Hdf5DataType"/>, e.g. Keras'
/// <c>model_weights/conv1d_1/conv1d_1/kernel:0</c> of shape (11, 4, 50). Values are read row-major (C order), in
/// full, when a <c>Read*</c> method is called.
/// </summary>
public sealed partial class Hdf5Dataset : Hdf5Object
{
    private readonly Lazy<Dataspace> _space;
    private readonly Lazy<Hdf5DataType> _type;
    private readonly Lazy<DataLayout> _layout;
    private readonly Lazy<FilterPipeline> _filters;

    internal Hdf5Dataset(Hdf5File file, string path, long address)
        : base(file, path, address)
    {
        _space = new Lazy<Dataspace>(() => Dataspace.Parse(Required(HeaderMessage.Dataspace, "dataspace")));
        _type = new Lazy<Hdf5DataType>(() => Hdf5DataType.Parse(Required(HeaderMessage.Datatype, "datatype")));
        _layout = new Lazy<DataLayout>(() => DataLayout.Parse(Required(HeaderMessage.Layout, "data layout"), _space.Value.Dims.Length));
        _filters = new Lazy<FilterPipeline>(() =>
        {
            var m = Header.Find(HeaderMessage.FilterPipeline);
            return m is null ? FilterPipeline.Empty : FilterPipeline.Parse(File.Body(m));
        });
    }

    /// <summary>Dimensions (row-major); empty for scalar and null datasets.</summary>
    public long[] Shape => (long[])_space.Value.Dims.Clone();

    /// <summary>Maximum dimensions, -1 for unlimited; equal to <see cref="Shape"/> when the file does not store them.</summary>
    public long[] MaxShape => (long[])(_space.Value.MaxDims ?? _space.Value.Dims).Clone();

    /// <summary>True for a scalar dataset (one value, no dimensions).</summary>
    public bool IsScalar => _space.Value.IsScalar;

    /// <summary>True for a null dataspace (no values, as h5py's <c>Empty</c>).</summary>
    public bool IsNull => _space.Value.IsNull;

    /// <summary>Number of values (1 for scalar, 0 for null or empty).</summary>
    public long ElementCount => _space.Value.ElementCount;

    /// <summary>The element type in the file.</summary>
    public Hdf5DataType DataType => _type.Value;

    /// <summary>How the raw data is stored.</summary>
    public Hdf5Layout Layout => _layout.Value.Class;

    /// <summary>The chunk index of a chunked dataset; <see cref="Hdf5ChunkIndex.None"/> otherwise.</summary>
    public Hdf5ChunkIndex ChunkIndex => _layout.Value.Class == Hdf5Layout.Chunked ? _layout.Value.Index : Hdf5ChunkIndex.None;

    /// <summary>Chunk dimensions of a chunked dataset; null otherwise.</summary>
    public long[]? ChunkShape => _layout.Value.Class == Hdf5Layout.Chunked ? (long[])_layout.Value.ChunkDims.Clone() : null;

    /// <summary>Filter ids of the pipeline in application order (1 deflate, 2 shuffle, 3 fletcher32, ...).</summary>
    public IReadOnlyList<int> FilterIds => _filters.Value.Filters.Select(f => f.Id).ToArray();

    /// <summary>Values as float32 (converted from float16/float64 and integers), row-major.</summary>
    public float[] ReadFloat32()
    {
        Hdf5Values.CheckNumeric(DataType, Describe());
        return ElementConverter.ToSingle(ReadRaw(), DataType, ElementCount, Describe());
    }

    /// <summary>
    /// The dataset as a float32 <see cref="Tensor"/> of the same shape (row-major, converted as by
    /// <see cref="ReadFloat32"/>); a scalar becomes a rank-0 tensor.
    /// </summary>
    /// <exception cref="InvalidOperationException">A dimension exceeds <see cref="int.MaxValue"/>, or the data are not numbers.</exception>
    public Tensor ReadTensor()
    {
        var shape = Shape;
        var dims = new int[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            dims[i] = shape[i] <= int.MaxValue ? (int)shape[i]
                : throw new InvalidOperationException($"{Describe()} has a dimension of {shape[i]}, too large for a Tensor.");
        }

        return new Tensor(ReadFloat32(), dims);
    }

    /// <summary>Values as float64 (converted from float16/float32 and integers), row-major.</summary>
    public double[] ReadFloat64()
    {
        Hdf5Values.CheckNumeric(DataType, Describe());
        return ElementConverter.ToDouble(ReadRaw(), DataType, ElementCount, Describe());
    }

    /// <summary>Integer values (any width, signedness and byte order; enumerations as their base integers).</summary>
    /// <exception cref="InvalidOperationException">The dataset does not hold integers.</exception>
    /// <exception cref="OverflowException">An unsigned 64-bit value exceeds <see cref="long.MaxValue"/>.</exception>
    public long[] ReadInt64()
    {
        Hdf5Values.CheckNumeric(DataType, Describe());
        return ElementConverter.ToInt64(ReadRaw(), DataType, ElementCount, Describe());
    }

    /// <summary>String values: fixed-length without their padding, or variable-length from the global heap.</summary>
    public string[] ReadStrings()
    {
        if (!DataType.IsString)
        {
            throw new InvalidOperationException($"{Describe()} holds {DataType}, not strings.");
        }

        return Hdf5Values.Strings(File, ReadRaw(), DataType, ElementCount, Describe(), Address);
    }

    /// <summary>The raw bytes of all elements in the file's type and byte order, row-major.</summary>
    public byte[] ReadBytes() => ReadRaw();

    /// <summary>The parsed data layout message (tests use it to locate raw data).</summary>
    internal DataLayout Storage => _layout.Value;

    private string Describe() => "dataset " + Path;

    private Hdf5Cursor Required(int type, string name)
    {
        var m = Header.Find(type) ?? throw File.Reader.Error(Address, "object header of " + Path,
            string.Create(CultureInfo.InvariantCulture, $"dataset has no {name} message"));
        return File.Body(m);
    }
}
