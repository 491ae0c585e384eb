using System.Globalization;

namespace SeqLens.IO.Onnx;

/// <summary>
/// An ONNX model file (<c>ModelProto</c>) decoded into plain objects: IR version, producer, operator-set imports,
/// metadata and the main <see cref="Graph"/>. Nothing is executed and no code is generated.
/// </summary>
/// <remarks>
/// Decoded with SeqLens' own bounds-checked protobuf wire-format reader against the field numbers of onnx.proto
/// (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto). Unknown fields are skipped. Bad input (a truncated
/// file, a length past the end of its message, a bad varint, nesting deeper than 64 messages, tensor data that
/// does not match the dimensions) is a <see cref="ParseException"/> naming the file, byte offset, message and
/// field. Tensors stored in external data files and sparse initializers are rejected with a clear message.
/// Files must be under 2 GiB (the protobuf limit).
/// </remarks>
public sealed class OnnxModel
{
    internal OnnxModel(
        string path,
        long irVersion,
        string producerName,
        string producerVersion,
        string domain,
        long modelVersion,
        string docString,
        IReadOnlyList<OnnxOpsetImport> opsetImports,
        IReadOnlyDictionary<string, string> metadata,
        OnnxGraph graph)
    {
        SourcePath = path;
        IrVersion = irVersion;
        ProducerName = producerName;
        ProducerVersion = producerVersion;
        Domain = domain;
        ModelVersion = modelVersion;
        DocString = docString;
        OpsetImports = opsetImports;
        Metadata = metadata;
        Graph = graph;
    }

    /// <summary>The file (or stream name) the model was read from.</summary>
    public string SourcePath { get; }

    /// <summary>The ONNX IR version (e.g. 7 for opset 13 exports of torch 1.13).</summary>
    public long IrVersion { get; }

    /// <summary>The producing tool, e.g. <c>pytorch</c>.</summary>
    public string ProducerName { get; }

    /// <summary>The producing tool's version.</summary>
    public string ProducerVersion { get; }

    /// <summary>The model's domain (reverse-DNS name), often empty.</summary>
    public string Domain { get; }

    /// <summary>The model version.</summary>
    public long ModelVersion { get; }

    /// <summary>The model's documentation string.</summary>
    public string DocString { get; }

    /// <summary>The operator sets the model uses.</summary>
    public IReadOnlyList<OnnxOpsetImport> OpsetImports { get; }

    /// <summary>The <c>metadata_props</c> key-value pairs.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The main graph.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>The opset version imported for <paramref name="domain"/> (empty or <c>ai.onnx</c>: the default ONNX operators), or null.</summary>
    public long? OpsetVersion(string domain = "")
    {
        ArgumentNullException.ThrowIfNull(domain);
        bool isDefault = domain.Length == 0 || domain == "ai.onnx";
        foreach (OnnxOpsetImport o in OpsetImports)
        {
            if (o.Domain == domain || (isDefault && (o.Domain.Length == 0 || o.Domain == "ai.onnx")))
            {
                return o.Version;
            }
        }

        return null;
    }

    /// <summary>Reads an <c>.onnx</c> file.</summary>
    public static OnnxModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads a model from <paramref name="stream"/>; <paramref name="sourceName"/> names it in messages.</summary>
    public static OnnxModel Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        byte[] bytes;
        if (stream.CanSeek)
        {
            long length = stream.Length - stream.Position;
            if (length > Array.MaxLength)
            {
                throw new ParseException(sourceName, 0, 0, string.Format(CultureInfo.InvariantCulture,
                    "{0} bytes is more than a protobuf message can hold (2 GiB); large ONNX models keep weights in external data, which is not supported", length));
            }

            bytes = new byte[length];
            stream.ReadExactly(bytes);
        }
        else
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }

        return Parse(bytes, sourceName);
    }

    /// <summary>Decodes the bytes of a model file.</summary>
    public static OnnxModel Parse(byte[] bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(sourceName);
        return OnnxDecoder.DecodeModel(new ProtoReader(bytes, 0, bytes.Length, sourceName, "ModelProto"));
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"ONNX model from {ProducerName} {ProducerVersion}, IR {IrVersion.ToString(CultureInfo.InvariantCulture)}, {Graph}";
}
