namespace SeqLens.IO.Onnx;

/// <summary>Decodes the messages of onnx.proto (field numbers as in onnx 1.12) from a <see cref="ProtoReader"/>.</summary>
internal static partial class OnnxDecoder
{
    public static OnnxModel DecodeModel(ProtoReader r)
    {
        long irVersion = 0, modelVersion = 0;
        string producerName = "", producerVersion = "", domain = "", doc = "";
        OnnxGraph? graph = null;
        var opsets = new List<OnnxOpsetImport>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: irVersion = r.ReadInt64(); break;
                case 2: producerName = r.ReadString(); break;
                case 3: producerVersion = r.ReadString(); break;
                case 4: domain = r.ReadString(); break;
                case 5: modelVersion = r.ReadInt64(); break;
                case 6: doc = r.ReadString(); break;
                case 7: graph = DecodeGraph(r.ReadMessage("GraphProto")); break;
                case 8: opsets.Add(DecodeOpset(r.ReadMessage("OperatorSetIdProto"))); break;
                case 14:
                    (string key, string value) = DecodeEntry(r.ReadMessage("StringStringEntryProto"));
                    metadata[key] = value;
                    break;
                default: r.Skip(); break;
            }
        }

        if (graph is null)
        {
            throw r.FailMessage("ModelProto has no graph (field 7); is this an ONNX model file?");
        }

        return new OnnxModel(r.Path, irVersion, producerName, producerVersion, domain, modelVersion, doc, opsets, metadata, graph);
    }

    private static OnnxOpsetImport DecodeOpset(ProtoReader r)
    {
        string domain = "";
        long version = 0;
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: domain = r.ReadString(); break;
                case 2: version = r.ReadInt64(); break;
                default: r.Skip(); break;
            }
        }

        return new OnnxOpsetImport(domain, version);
    }

    private static (string Key, string Value) DecodeEntry(ProtoReader r)
    {
        string key = "", value = "";
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: key = r.ReadString(); break;
                case 2: value = r.ReadString(); break;
                default: r.Skip(); break;
            }
        }

        return (key, value);
    }

    private static OnnxGraph DecodeGraph(ProtoReader r)
    {
        string name = "";
        var nodes = new List<OnnxNode>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        var valueInfo = new List<OnnxValueInfo>();
        var initializers = new List<OnnxTensor>();
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: nodes.Add(DecodeNode(r.ReadMessage("NodeProto"))); break;
                case 2: name = r.ReadString(); break;
                case 5: initializers.Add(DecodeTensor(r.ReadMessage("TensorProto"))); break;
                case 11: inputs.Add(DecodeValueInfo(r.ReadMessage("ValueInfoProto"))); break;
                case 12: outputs.Add(DecodeValueInfo(r.ReadMessage("ValueInfoProto"))); break;
                case 13: valueInfo.Add(DecodeValueInfo(r.ReadMessage("ValueInfoProto"))); break;
                case 15:
                    throw r.Fail("sparse initializers are not supported; densify them before export");
                default: r.Skip(); break;
            }
        }

        return new OnnxGraph(name, nodes, inputs, outputs, valueInfo, initializers);
    }

    private static OnnxNode DecodeNode(ProtoReader r)
    {
        string name = "", opType = "", domain = "";
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<OnnxAttribute>();
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: inputs.Add(r.ReadString()); break;
                case 2: outputs.Add(r.ReadString()); break;
                case 3: name = r.ReadString(); break;
                case 4: opType = r.ReadString(); break;
                case 5: attributes.Add(DecodeAttribute(r.ReadMessage("AttributeProto"))); break;
                case 7: domain = r.ReadString(); break;
                default: r.Skip(); break;
            }
        }

        if (opType.Length == 0)
        {
            throw r.FailMessage($"node '{name}' has no op_type (field 4)");
        }

        return new OnnxNode(r.Path, name, opType, domain, inputs, outputs, attributes);
    }

    private static OnnxAttribute DecodeAttribute(ProtoReader r)
    {
        string name = "";
        var type = OnnxAttributeType.Undefined;
        float f = 0;
        long i = 0;
        byte[] s = [];
        OnnxTensor? t = null;
        OnnxGraph? g = null;
        var floats = new List<float>();
        var ints = new List<long>();
        var strings = new List<byte[]>();
        var tensors = new List<OnnxTensor>();
        var graphs = new List<OnnxGraph>();
        bool hasF = false, hasI = false, hasS = false;
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: name = r.ReadString(); break;
                case 2: f = r.ReadFloat(); hasF = true; break;
                case 3: i = r.ReadInt64(); hasI = true; break;
                case 4: s = r.ReadBytes().ToArray(); hasS = true; break;
                case 5: t = DecodeTensor(r.ReadMessage("TensorProto")); break;
                case 6: g = DecodeGraph(r.ReadMessage("GraphProto")); break;
                case 7: r.ReadFloats(floats); break;
                case 8: r.ReadInt64s(ints); break;
                case 9: strings.Add(r.ReadBytes().ToArray()); break;
                case 10: tensors.Add(DecodeTensor(r.ReadMessage("TensorProto"))); break;
                case 11: graphs.Add(DecodeGraph(r.ReadMessage("GraphProto"))); break;
                case 20:
                    int raw = r.ReadInt32();
                    if (raw is < 0 or > (int)OnnxAttributeType.TypeProtos)
                    {
                        throw r.Fail($"attribute '{name}' has unknown type {raw}");
                    }

                    type = (OnnxAttributeType)raw;
                    break;
                default: r.Skip(); break;
            }
        }

        if (type == OnnxAttributeType.Undefined)
        {
            // NOTE: IR version < 2 files have no type field; infer it the way onnx's helper.get_attribute_value does.
            type = hasF ? OnnxAttributeType.Float
                : hasI ? OnnxAttributeType.Int
                : hasS ? OnnxAttributeType.String
                : t is not null ? OnnxAttributeType.Tensor
                : g is not null ? OnnxAttributeType.Graph
                : floats.Count > 0 ? OnnxAttributeType.Floats
                : ints.Count > 0 ? OnnxAttributeType.Ints
                : strings.Count > 0 ? OnnxAttributeType.Strings
                : tensors.Count > 0 ? OnnxAttributeType.Tensors
                : graphs.Count > 0 ? OnnxAttributeType.Graphs
                : OnnxAttributeType.Undefined;
        }

        if (type == OnnxAttributeType.Tensor && t is null)
        {
            throw r.FailMessage($"attribute '{name}' is of type TENSOR but holds no tensor");
        }

        if (type == OnnxAttributeType.Graph && g is null)
        {
            throw r.FailMessage($"attribute '{name}' is of type GRAPH but holds no graph");
        }

        return new OnnxAttribute(name, type, f, i, s, t, g, floats, ints, strings, tensors, graphs);
    }

    private static OnnxValueInfo DecodeValueInfo(ProtoReader r)
    {
        string name = "";
        bool isTensor = false;
        var elem = OnnxDataType.Undefined;
        List<OnnxDimension>? shape = null;
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: name = r.ReadString(); break;
                case 2:
                    ProtoReader type = r.ReadMessage("TypeProto");
                    while (type.Next())
                    {
                        if (type.Field == 1)
                        {
                            isTensor = true;
                            (elem, shape) = DecodeTensorType(type.ReadMessage("TypeProto.Tensor"));
                        }
                        else
                        {
                            type.Skip();
                        }
                    }

                    break;
                default: r.Skip(); break;
            }
        }

        return new OnnxValueInfo(name, isTensor, elem, shape);
    }

    private static (OnnxDataType Element, List<OnnxDimension>? Shape) DecodeTensorType(ProtoReader r)
    {
        var elem = OnnxDataType.Undefined;
        List<OnnxDimension>? shape = null;
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: elem = (OnnxDataType)r.ReadInt32(); break;
                case 2:
                    shape = [];
                    ProtoReader s = r.ReadMessage("TensorShapeProto");
                    while (s.Next())
                    {
                        if (s.Field == 1)
                        {
                            shape.Add(DecodeDimension(s.ReadMessage("TensorShapeProto.Dimension")));
                        }
                        else
                        {
                            s.Skip();
                        }
                    }

                    break;
                default: r.Skip(); break;
            }
        }

        return (elem, shape);
    }

    private static OnnxDimension DecodeDimension(ProtoReader r)
    {
        long? value = null;
        string? param = null;
        while (r.Next())
        {
            switch (r.Field)
            {
                case 1: value = r.ReadInt64(); param = null; break;
                case 2: param = r.ReadString(); value = null; break;
                default: r.Skip(); break;
            }
        }

        return new OnnxDimension(value, param);
    }
}
