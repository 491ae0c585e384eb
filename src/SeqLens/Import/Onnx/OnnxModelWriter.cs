using System.Runtime.InteropServices;
using System.Text;

namespace SeqLens.Import.Onnx;

/// <summary>
/// Writes a minimal ONNX <c>ModelProto</c> (graph inputs, outputs, float/int64 initializers and nodes with attributes)
/// with field numbers from onnx.proto. Used by tests and the import benchmark to build models in C#, including the
/// full-size DeepSEA (~200 MB), without Python. Large initializers are written from their arrays without copies.
/// </summary>
internal sealed class OnnxModelWriter
{
    private readonly long _opset;
    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private readonly List<(byte[] Header, ReadOnlyMemory<byte> Raw)> _initializers = [];

    /// <summary>A model importing the default-domain <paramref name="opset"/>.</summary>
    public OnnxModelWriter(long opset) => _opset = opset;

    /// <summary>A tensor value of an attribute (<c>Constant</c>'s <c>value</c>).</summary>
    public sealed record TensorValue(float[]? Floats, long[]? Ints, long[] Dims);

    /// <summary>Adds a float graph input; each dimension is a <see cref="long"/> (fixed) or a <see cref="string"/> (dim_param).</summary>
    public void Input(string name, params object[] dims) => _inputs.Add(ValueInfo(name, dims));

    /// <summary>Adds a float graph output.</summary>
    public void Output(string name, params object[] dims) => _outputs.Add(ValueInfo(name, dims));

    /// <summary>Adds a float32 initializer.</summary>
    public void Initializer(string name, float[] values, params long[] dims)
        => _initializers.Add((TensorHeader(name, 1, dims), MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));

    /// <summary>Adds an int64 initializer.</summary>
    public void Initializer(string name, long[] values, params long[] dims)
        => _initializers.Add((TensorHeader(name, 7, dims), MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));

    /// <summary>Adds a node; attribute values are long, float, string, long[], float[] or <see cref="TensorValue"/>.</summary>
    public void Node(string opType, string[] inputs, string[] outputs, string name, params (string Name, object Value)[] attributes)
        => NodeInDomain(string.Empty, opType, inputs, outputs, name, attributes);

    /// <summary>Adds a node of operator set <paramref name="domain"/> (empty: the default ONNX domain).</summary>
    public void NodeInDomain(string domain, string opType, string[] inputs, string[] outputs, string name, params (string Name, object Value)[] attributes)
    {
        var n = new Buffer();
        foreach (string i in inputs)
        {
            n.String(1, i);
        }

        foreach (string o in outputs)
        {
            n.String(2, o);
        }

        n.String(3, name);
        n.String(4, opType);
        foreach ((string an, object value) in attributes)
        {
            n.Message(5, Attribute(an, value));
        }

        if (domain.Length > 0)
        {
            n.String(7, domain);
        }

        _nodes.Add(n.ToArray());
    }

    /// <summary>The serialised model.</summary>
    public byte[] ToArray()
    {
        using var ms = new MemoryStream();
        Write(ms);
        return ms.ToArray();
    }

    /// <summary>Writes the serialised model to <paramref name="stream"/>.</summary>
    public void Write(Stream stream)
    {
        var head = new Buffer();
        head.Varint(1, 8); // ir_version
        head.String(2, "SeqLens.OnnxModelWriter");
        var opset = new Buffer();
        opset.String(1, string.Empty);
        opset.Varint(2, (ulong)_opset);
        head.Message(8, opset.ToArray());

        var graphHead = new Buffer();
        foreach (byte[] n in _nodes)
        {
            graphHead.Message(1, n);
        }

        graphHead.String(2, "graph");
        var tail = new Buffer();
        foreach (byte[] i in _inputs)
        {
            tail.Message(11, i);
        }

        foreach (byte[] o in _outputs)
        {
            tail.Message(12, o);
        }

        long graphLength = graphHead.Length + tail.Length;
        var initHeads = new List<byte[]>();
        foreach ((byte[] header, ReadOnlyMemory<byte> raw) in _initializers)
        {
            var h = new Buffer();
            h.Raw(header);
            h.Tag(9, 2);
            h.RawVarint((ulong)raw.Length);
            byte[] prefix = h.ToArray();
            var outer = new Buffer();
            outer.Tag(5, 2);
            outer.RawVarint((ulong)(prefix.Length + raw.Length));
            outer.Raw(prefix);
            byte[] p = outer.ToArray();
            initHeads.Add(p);
            graphLength += p.Length + raw.Length;
        }

        head.Tag(7, 2);
        head.RawVarint((ulong)graphLength);
        stream.Write(head.ToArray());
        stream.Write(graphHead.ToArray());
        for (int i = 0; i < _initializers.Count; i++)
        {
            stream.Write(initHeads[i]);
            stream.Write(_initializers[i].Raw.Span);
        }

        stream.Write(tail.ToArray());
    }

    private static byte[] TensorHeader(string name, int dataType, long[] dims)
    {
        var t = new Buffer();
        foreach (long d in dims)
        {
            t.Varint(1, (ulong)d);
        }

        t.Varint(2, (ulong)dataType);
        t.String(8, name);
        return t.ToArray();
    }

    private static byte[] ValueInfo(string name, object[] dims)
    {
        var shape = new Buffer();
        foreach (object d in dims)
        {
            var dim = new Buffer();
            if (d is string p)
            {
                dim.String(2, p);
            }
            else
            {
                dim.Varint(1, (ulong)Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture));
            }

            shape.Message(1, dim.ToArray());
        }

        var tensor = new Buffer();
        tensor.Varint(1, 1); // float
        tensor.Message(2, shape.ToArray());
        var type = new Buffer();
        type.Message(1, tensor.ToArray());
        var info = new Buffer();
        info.String(1, name);
        info.Message(2, type.ToArray());
        return info.ToArray();
    }

    private static byte[] Attribute(string name, object value)
    {
        var a = new Buffer();
        a.String(1, name);
        switch (value)
        {
            case float f:
                a.Tag(2, 5);
                a.Raw(BitConverter.GetBytes(f));
                a.Varint(20, 1);
                break;
            case long or int:
                a.Varint(3, unchecked((ulong)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
                a.Varint(20, 2);
                break;
            case string s:
                a.String(4, s);
                a.Varint(20, 3);
                break;
            case TensorValue t:
                var tb = new Buffer();
                tb.Raw(TensorHeader(string.Empty, t.Floats is null ? 7 : 1, t.Dims));
                tb.Bytes(9, t.Floats is not null ? MemoryMarshal.AsBytes(t.Floats.AsSpan()).ToArray() : MemoryMarshal.AsBytes(t.Ints!.AsSpan()).ToArray());
                a.Message(5, tb.ToArray());
                a.Varint(20, 4);
                break;
            case float[] fs:
                foreach (float f in fs)
                {
                    a.Tag(7, 5);
                    a.Raw(BitConverter.GetBytes(f));
                }

                a.Varint(20, 6);
                break;
            case long[] ls:
                foreach (long l in ls)
                {
                    a.Varint(8, unchecked((ulong)l));
                }

                a.Varint(20, 7);
                break;
            default:
                throw new ArgumentException($"Attribute '{name}' has an unsupported value type {value.GetType().Name}.", nameof(value));
        }

        return a.ToArray();
    }

    /// <summary>A growable protobuf encoder.</summary>
    private sealed class Buffer
    {
        private readonly List<byte> _bytes = [];

        public long Length => _bytes.Count;

        public void Tag(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

        public void RawVarint(ulong v)
        {
            while (v >= 0x80)
            {
                _bytes.Add((byte)(v | 0x80));
                v >>= 7;
            }

            _bytes.Add((byte)v);
        }

        public void Varint(int field, ulong v)
        {
            Tag(field, 0);
            RawVarint(v);
        }

        public void Bytes(int field, ReadOnlySpan<byte> bytes)
        {
            Tag(field, 2);
            RawVarint((ulong)bytes.Length);
            _bytes.AddRange(bytes);
        }

        public void String(int field, string s) => Bytes(field, Encoding.UTF8.GetBytes(s));

        public void Message(int field, byte[] message) => Bytes(field, message);

        public void Raw(ReadOnlySpan<byte> bytes) => _bytes.AddRange(bytes);

        public byte[] ToArray() => [.. _bytes];
    }
}
