using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SeqLens.Tests.IO.Torch;

/// <summary>Builds torch.save-style zip archives and pickles by hand for malformed-input tests.</summary>
internal static class TorchFiles
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Torch", name);

    public static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] bytes) in entries)
            {
                using Stream s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                s.Write(bytes);
            }
        }

        return memory.ToArray();
    }

    /// <summary>The entries of a fixture archive, in order.</summary>
    public static List<(string Name, byte[] Bytes)> Entries(string fixture)
    {
        using var zip = ZipFile.OpenRead(Fixture(fixture));
        var list = new List<(string, byte[])>();
        foreach (ZipArchiveEntry e in zip.Entries)
        {
            using var s = new MemoryStream();
            using (Stream open = e.Open())
            {
                open.CopyTo(s);
            }

            list.Add((e.FullName, s.ToArray()));
        }

        return list;
    }

    public static byte[] Unicode(string s)
    {
        byte[] b = Encoding.UTF8.GetBytes(s);
        var len = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, b.Length);
        return [(byte)'X', .. len, .. b];
    }

    public static byte[] Global(string module, string name) => [(byte)'c', .. Encoding.ASCII.GetBytes(module + "\n" + name + "\n")];

    public static byte[] Int(int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        return [(byte)'J', .. b];
    }

    public static byte[] IntTuple(params int[] values) => [(byte)'(', .. values.SelectMany(Int), (byte)'t'];

    /// <summary>A pickle of {"w": tensor} with the given storage and view, as torch 1.13 writes it.</summary>
    public static byte[] TensorPickle(string storageType, int numel, int offset, int[] size, int[] stride, string key = "0")
        =>
        [
            0x80, 0x02, (byte)'}', (byte)'(', .. Unicode("w"),
            .. Global("torch._utils", "_rebuild_tensor_v2"), (byte)'(',
            (byte)'(', .. Unicode("storage"), .. Global("torch", storageType), .. Unicode(key), .. Unicode("cpu"), .. Int(numel), (byte)'t', (byte)'Q',
            .. Int(offset), .. IntTuple(size), .. IntTuple(stride), 0x89,
            .. Global("collections", "OrderedDict"), (byte)')', (byte)'R',
            (byte)'t', (byte)'R', (byte)'u', (byte)'.',
        ];

    /// <summary>A float32 storage of 0, 1, 2, ... as little-endian bytes.</summary>
    public static byte[] FloatStorage(int count)
    {
        var b = new byte[count * 4];
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(i * 4), i);
        }

        return b;
    }

    public static byte[] Archive(byte[] pickle, params (string Key, byte[] Bytes)[] storages)
        => Zip([("archive/data.pkl", pickle), .. storages.Select(s => ("archive/data/" + s.Key, s.Bytes)), ("archive/version", "3\n"u8.ToArray())]);
}
