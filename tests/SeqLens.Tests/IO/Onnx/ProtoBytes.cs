using System.Text;

namespace SeqLens.Tests.IO.Onnx;

/// <summary>Builds protobuf wire-format bytes by hand for malformed-input tests.</summary>
internal static class ProtoBytes
{
    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }

    public static byte[] Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    public static byte[] VarintField(int field, long value) => [.. Tag(field, 0), .. Varint(unchecked((ulong)value))];

    public static byte[] BytesField(int field, byte[] payload) => [.. Tag(field, 2), .. Varint((ulong)payload.Length), .. payload];

    public static byte[] StringField(int field, string value) => BytesField(field, Encoding.UTF8.GetBytes(value));

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A model whose graph holds one initializer given as TensorProto body bytes.</summary>
    public static byte[] ModelWithInitializer(byte[] tensorBody)
        => Concat(VarintField(1, 7), BytesField(7, Concat(StringField(2, "g"), BytesField(5, tensorBody))), BytesField(8, VarintField(2, 13)));
}
