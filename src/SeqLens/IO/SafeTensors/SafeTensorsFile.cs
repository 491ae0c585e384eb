using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace SeqLens.IO.SafeTensors;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length <c>N</c>, a UTF-8
/// JSON header of <c>N</c> bytes mapping each name to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets
/// relative to the data block, which the tensors cover without gaps or overlaps) plus an optional
/// <c>"__metadata__"</c> string map, then the little-endian data.
/// </summary>
/// <remarks>
/// Writing: F32 only, names in ordinal order (data in the same order), header padded with spaces so the data starts
/// at a multiple of 8 bytes; the file is written atomically. Reading accepts F32, F16, BF16 and F64 and converts to
/// float32; any malformed header, offset or size is a <see cref="ParseException"/> naming the file and the tensor.
/// Spec: https://github.com/huggingface/safetensors (format section).
/// </remarks>
public static class SafeTensorsFile
{
    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> as F32 to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        KeyValuePair<string, Tensor>[] items = tensors.ToArray();
        AtomicFile.Write(path, stream => Write(stream, items, metadata));
    }

    /// <summary>Writes <paramref name="tensors"/> as F32 to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        KeyValuePair<string, Tensor>[] items = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
        for (int i = 0; i < items.Length; i++)
        {
            if (string.IsNullOrEmpty(items[i].Key) || items[i].Key == MetadataKey)
            {
                throw new ArgumentException($"Invalid tensor name '{items[i].Key}'.", nameof(tensors));
            }

            if (i > 0 && items[i].Key == items[i - 1].Key)
            {
                throw new ArgumentException($"Duplicate tensor name '{items[i].Key}'.", nameof(tensors));
            }
        }

        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (KeyValuePair<string, string> kv in metadata.OrderBy(k => k.Key, StringComparer.Ordinal))
                {
                    json.WriteString(kv.Key, kv.Value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (KeyValuePair<string, Tensor> item in items)
            {
                long size = (long)item.Value.Length * sizeof(float);
                json.WriteStartObject(item.Key);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in item.Value.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }

            json.WriteEndObject();
        }

        int padding = (int)((8 - (header.Length % 8)) % 8);
        for (int i = 0; i < padding; i++)
        {
            header.WriteByte((byte)' ');
        }

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        header.Position = 0;
        header.CopyTo(stream);
        byte[] buffer = [];
        foreach (KeyValuePair<string, Tensor> item in items)
        {
            float[] data = item.Value.Data;
            if (buffer.Length < data.Length * sizeof(float))
            {
                buffer = new byte[data.Length * sizeof(float)];
            }

            for (int i = 0; i < data.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * sizeof(float)), data[i]);
            }

            stream.Write(buffer, 0, data.Length * sizeof(float));
        }
    }

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static SafeTensorsContent Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads a whole safetensors stream; <paramref name="name"/> is used in error messages.</summary>
    public static SafeTensorsContent Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        byte[] bytes;
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }

        if (bytes.Length < 8)
        {
            throw Error(name, $"the file has {bytes.Length} bytes; a safetensors file starts with an 8-byte header length.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
        {
            throw Error(name, $"header length {headerLength} exceeds the {bytes.Length - 8} bytes after the length field (truncated or not a safetensors file).");
        }

        if (headerLength < 2)
        {
            throw Error(name, $"header length {headerLength} is too small for a JSON object.");
        }

        ReadOnlyMemory<byte> headerBytes = bytes.AsMemory(8, (int)headerLength);
        int dataStart = 8 + (int)headerLength;
        long dataLength = bytes.Length - dataStart;
        JsonDocument document;
        try
        {
            // NOTE: decode strictly first: JsonDocument defers UTF-8 validation of names until they are read.
            string headerText = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes.Span);
            document = JsonDocument.Parse(headerText, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (DecoderFallbackException ex)
        {
            throw Error(name, "the header is not valid UTF-8.", ex);
        }
        catch (JsonException ex)
        {
            throw Error(name, $"the header is not valid JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Error(name, $"the header must be a JSON object; got {document.RootElement.ValueKind}.");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Error(name, $"the header lists '{property.Name}' twice.");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(name, property.Value, metadata);
                    continue;
                }

                entries.Add(ReadEntry(name, property, dataLength));
            }

            CheckCoverage(name, entries, dataLength);
            var tensors = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
            var dtypes = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (Entry e in entries)
            {
                tensors[e.Name] = Convert(e, bytes.AsSpan(dataStart + (int)e.Begin, (int)(e.End - e.Begin)));
                dtypes[e.Name] = e.DType;
            }

            return new SafeTensorsContent(tensors, dtypes, metadata);
        }
    }

    private static void ReadMetadata(string file, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(file, $"'{MetadataKey}' must be an object of strings; got {value.ValueKind}.");
        }

        foreach (JsonProperty kv in value.EnumerateObject())
        {
            if (kv.Value.ValueKind != JsonValueKind.String)
            {
                throw Error(file, $"'{MetadataKey}' entry '{kv.Name}' must be a string; got {kv.Value.ValueKind}.");
            }

            metadata[kv.Name] = kv.Value.GetString()!;
        }
    }

    private static Entry ReadEntry(string file, JsonProperty property, long dataLength)
    {
        string tensor = property.Name;
        JsonElement v = property.Value;
        if (v.ValueKind != JsonValueKind.Object)
        {
            throw Error(file, $"tensor '{tensor}': expected an object with dtype, shape and data_offsets; got {v.ValueKind}.");
        }

        if (!v.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw Error(file, $"tensor '{tensor}': missing or non-string 'dtype'.");
        }

        string dtype = dtypeElement.GetString()!;
        int elementSize = dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            "F64" => 8,
            _ => throw Error(file, $"tensor '{tensor}': dtype '{dtype}' is not supported; expected F32, F16, BF16 or F64."),
        };

        if (!v.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw Error(file, $"tensor '{tensor}': missing or non-array 'shape'.");
        }

        var shape = new int[shapeElement.GetArrayLength()];
        long count = 1;
        int k = 0;
        foreach (JsonElement d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int dim) || dim < 0)
            {
                throw Error(file, $"tensor '{tensor}': shape entries must be non-negative integers; got {d.GetRawText()}.");
            }

            shape[k++] = dim;
            count *= dim;
            if (count > Array.MaxLength)
            {
                throw Error(file, $"tensor '{tensor}': shape {Tensor.FormatShape(shape.AsSpan(0, k))} is too large.");
            }
        }

        if (!v.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || offsets[0].ValueKind != JsonValueKind.Number || offsets[1].ValueKind != JsonValueKind.Number
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end))
        {
            throw Error(file, $"tensor '{tensor}': 'data_offsets' must be [begin, end] integers.");
        }

        if (begin < 0 || end < begin || end > dataLength)
        {
            throw Error(file, $"tensor '{tensor}': data_offsets [{begin}, {end}] fall outside the {dataLength}-byte data block (truncated file?).");
        }

        if (end - begin != count * elementSize)
        {
            throw Error(file, $"tensor '{tensor}': {dtype} shape {Tensor.FormatShape(shape)} needs {count * elementSize} bytes; data_offsets give {end - begin}.");
        }

        return new Entry(tensor, dtype, shape, begin, end);
    }

    private static void CheckCoverage(string file, List<Entry> entries, long dataLength)
    {
        long position = 0;
        foreach (Entry e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin != position)
            {
                throw Error(file, e.Begin < position
                    ? $"tensor '{e.Name}' overlaps the previous tensor's bytes (offset {e.Begin} < {position})."
                    : $"bytes {position}..{e.Begin} of the data block belong to no tensor (before '{e.Name}').");
            }

            position = e.End;
        }

        if (position != dataLength)
        {
            throw Error(file, $"the data block has {dataLength} bytes but the tensors cover {position}.");
        }
    }

    private static Tensor Convert(Entry e, ReadOnlySpan<byte> raw)
    {
        var t = new Tensor(e.Shape);
        float[] data = t.Data;
        switch (e.DType)
        {
            case "F32":
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
                }

                break;
            case "F16":
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(i * 2)..]);
                }

                break;
            case "BF16":
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(i * 2)..]) << 16);
                }

                break;
            default:
                for (int i = 0; i < data.Length; i++)
                {
                    data[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]);
                }

                break;
        }

        return t;
    }

    private static ParseException Error(string file, string message, Exception? inner = null)
        => new(file, 0, 0, "safetensors: " + message, inner);

    private sealed record Entry(string Name, string DType, int[] Shape, long Begin, long End);
}
