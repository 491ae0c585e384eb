using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SeqLens.IO.Npy;

/// <summary>
/// Reads and writes the numpy <c>.npy</c> format (versions 1.0, 2.0 and 3.0 read; 1.0 written, or 2.0 when the
/// header exceeds 65535 bytes): magic <c>\x93NUMPY</c>, version, header length, a Python-literal header dict
/// (<c>descr</c>, <c>fortran_order</c>, <c>shape</c>) padded with spaces to a multiple of 64 bytes and ended by '\n',
/// then the raw little-endian data.
/// </summary>
/// <remarks>Source: numpy/lib/format.py (NEP 1). Fortran-ordered arrays are reordered to C order on reading;
/// big-endian and other dtypes are rejected with a <see cref="ParseException"/>.</remarks>
public static class NpyFormat
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteFile(string path, NpyArray array) => AtomicFile.Write(path, s => Write(s, array));

    /// <summary>Reads a <c>.npy</c> file.</summary>
    public static NpyArray ReadFile(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(fs, path);
    }

    /// <summary>Writes the array to a stream.</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        string shape = array.Shape.Count switch
        {
            0 => "()",
            1 => "(" + array.Shape[0].ToString(CultureInfo.InvariantCulture) + ",)",
            _ => "(" + string.Join(", ", array.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
        };
        string dict = "{'descr': '" + array.Descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int version = dict.Length + 1 + 10 > 65535 ? 2 : 1;
        int prefix = version == 1 ? 10 : 12;
        int total = prefix + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict + new string(' ', padded - total) + "\n";
        stream.Write(Magic);
        stream.WriteByte((byte)version);
        stream.WriteByte(0);
        Span<byte> len = stackalloc byte[4];
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
            stream.Write(len[..2]);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)header.Length);
            stream.Write(len);
        }

        stream.Write(Encoding.Latin1.GetBytes(header));
        WriteData(stream, array);
    }

    private static void WriteData(Stream stream, NpyArray a)
    {
        // NOTE: .NET runs little-endian on every supported platform, so primitive arrays are written as their bytes.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("npy writing needs a little-endian platform");
        }

        switch (a.DType)
        {
            case NpyDType.Float32:
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSingle().AsSpan()));
                break;
            case NpyDType.Float64:
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsDouble().AsSpan()));
                break;
            case NpyDType.Int32:
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsInt32().AsSpan()));
                break;
            case NpyDType.Int64:
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsInt64().AsSpan()));
                break;
            case NpyDType.UInt8:
                stream.Write(a.AsUInt8());
                break;
            case NpyDType.Bool:
                foreach (bool b in a.AsBool())
                {
                    stream.WriteByte(b ? (byte)1 : (byte)0);
                }

                break;
            default:
                var buf = new byte[a.UnicodeWidth * 4];
                foreach (string s in a.AsStrings())
                {
                    Array.Clear(buf);
                    int k = 0;
                    foreach (Rune r in s.EnumerateRunes())
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(k), r.Value);
                        k += 4;
                    }

                    stream.Write(buf);
                }

                break;
        }
    }

    /// <summary>Reads an array from a stream; <paramref name="source"/> names it in errors.</summary>
    public static NpyArray Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> pre = stackalloc byte[8];
        if (stream.ReadAtLeast(pre, 8, throwOnEndOfStream: false) < 8 || !pre[..6].SequenceEqual(Magic))
        {
            throw new ParseException(source, 0, 0, "not a .npy file: missing the \\x93NUMPY magic");
        }

        int major = pre[6];
        if (major is < 1 or > 3)
        {
            throw new ParseException(source, 0, 0, $"unsupported .npy version {major}.{pre[7]} (expected 1.0, 2.0 or 3.0)");
        }

        Span<byte> lenBytes = stackalloc byte[4];
        int lenSize = major == 1 ? 2 : 4;
        if (stream.ReadAtLeast(lenBytes[..lenSize], lenSize, throwOnEndOfStream: false) < lenSize)
        {
            throw new ParseException(source, 0, 0, "truncated .npy header length");
        }

        long headerLen = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lenBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lenBytes);
        if (headerLen > 1 << 24)
        {
            throw new ParseException(source, 0, 0, $".npy header length {headerLen} is implausible");
        }

        var headerBytes = new byte[headerLen];
        if (stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) < headerBytes.Length)
        {
            throw new ParseException(source, 0, 0, $"truncated .npy header: expected {headerLen} bytes");
        }

        string header = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        var (descr, fortran, shape) = ParseHeader(header, source);
        var (dtype, itemSize, width) = ParseDescr(descr, source);
        long count = 1;
        foreach (long d in shape)
        {
            count = checked(count * d);
        }

        long bytes = checked(count * itemSize);
        if (bytes > Array.MaxLength)
        {
            throw new ParseException(source, 0, 0, $".npy array of {bytes} bytes is too large");
        }

        var raw = new byte[bytes];
        int got = stream.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        if (got < raw.Length)
        {
            throw new ParseException(source, 0, 0, $"truncated .npy data: header promises {bytes} bytes ({count} x {descr}), file holds {got}");
        }

        Array data = Decode(raw, dtype, (int)count, width, source);
        if (fortran && shape.Length > 1)
        {
            data = FortranToC(data, shape);
        }

        return NpyArray.Create(dtype, shape, data, width);
    }

    private static (string Descr, bool Fortran, long[] Shape) ParseHeader(string header, string source)
    {
        string h = header.Trim();
        if (!h.StartsWith('{') || !h.EndsWith('}'))
        {
            throw new ParseException(source, 0, 0, $".npy header is not a dict literal: '{Short(header)}'");
        }

        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        int i = 1;
        while (true)
        {
            SkipSpace(h, ref i);
            if (i >= h.Length - 1)
            {
                break;
            }

            string key = ReadQuoted(h, ref i, source);
            SkipSpace(h, ref i);
            Expect(h, ref i, ':', source);
            SkipSpace(h, ref i);
            switch (key)
            {
                case "descr":
                    descr = h[i] is '\'' or '"' ? ReadQuoted(h, ref i, source) : throw new ParseException(source, 0, 0, $"structured dtypes are not supported ('{Short(header)}')");
                    break;
                case "fortran_order":
                    if (h.AsSpan(i).StartsWith("True"))
                    {
                        fortran = true;
                        i += 4;
                    }
                    else if (h.AsSpan(i).StartsWith("False"))
                    {
                        fortran = false;
                        i += 5;
                    }
                    else
                    {
                        throw new ParseException(source, 0, 0, "fortran_order must be True or False");
                    }

                    break;
                case "shape":
                    Expect(h, ref i, '(', source);
                    int close = h.IndexOf(')', i);
                    if (close < 0)
                    {
                        throw new ParseException(source, 0, 0, "unterminated shape tuple in .npy header");
                    }

                    var dims = new List<long>();
                    foreach (string part in h[i..close].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        dims.Add(long.TryParse(part.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out long d)
                            ? d
                            : throw new ParseException(source, 0, 0, $"shape entry '{part}' is not a non-negative integer"));
                    }

                    shape = [.. dims];
                    i = close + 1;
                    break;
                default:
                    throw new ParseException(source, 0, 0, $"unexpected key '{key}' in .npy header");
            }

            SkipSpace(h, ref i);
            if (i < h.Length && h[i] == ',')
            {
                i++;
            }
        }

        if (descr is null || fortran is null || shape is null)
        {
            throw new ParseException(source, 0, 0, $".npy header needs descr, fortran_order and shape: '{Short(header)}'");
        }

        return (descr, fortran.Value, shape);
    }

    private static (NpyDType, int ItemSize, int Width) ParseDescr(string descr, string source)
    {
        switch (descr)
        {
            case "<f4":
                return (NpyDType.Float32, 4, 0);
            case "<f8":
                return (NpyDType.Float64, 8, 0);
            case "<i4":
                return (NpyDType.Int32, 4, 0);
            case "<i8":
                return (NpyDType.Int64, 8, 0);
            case "|u1":
            case "<u1":
                return (NpyDType.UInt8, 1, 0);
            case "|b1":
                return (NpyDType.Bool, 1, 0);
        }

        if (descr.StartsWith("<U", StringComparison.Ordinal) && int.TryParse(descr.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int w) && w is >= 0 and < 1 << 20)
        {
            return (NpyDType.Unicode, 4 * w, w);
        }

        throw new ParseException(source, 0, 0, $"unsupported dtype '{descr}' (supported: <f4 <f8 <i4 <i8 |u1 |b1 <U<n>)");
    }

    private static Array Decode(byte[] raw, NpyDType dtype, int count, int width, string source)
    {
        switch (dtype)
        {
            case NpyDType.Float32:
                return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).ToArray();
            case NpyDType.Float64:
                return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(raw).ToArray();
            case NpyDType.Int32:
                return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(raw).ToArray();
            case NpyDType.Int64:
                return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(raw).ToArray();
            case NpyDType.UInt8:
                return raw;
            case NpyDType.Bool:
                var b = new bool[count];
                for (int i = 0; i < count; i++)
                {
                    b[i] = raw[i] != 0;
                }

                return b;
            default:
                var s = new string[count];
                var sb = new StringBuilder();
                for (int i = 0; i < count; i++)
                {
                    sb.Clear();
                    for (int k = 0; k < width; k++)
                    {
                        int cp = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan((i * width * 4) + (k * 4)));
                        if (cp == 0)
                        {
                            break;
                        }

                        if (!Rune.IsValid(cp))
                        {
                            throw new ParseException(source, 0, 0, $"invalid code point 0x{cp:x} in unicode element {i}");
                        }

                        sb.Append(new Rune(cp).ToString());
                    }

                    s[i] = sb.ToString();
                }

                return s;
        }
    }

    private static Array FortranToC(Array data, long[] shape)
    {
        int n = data.Length;
        Array result = Array.CreateInstance(data.GetType().GetElementType()!, n);
        int dims = shape.Length;
        var idx = new long[dims];
        for (int c = 0; c < n; c++)
        {
            // idx is the C-order multi-index of c; its Fortran offset has the first axis fastest.
            long f = 0, stride = 1;
            for (int d = 0; d < dims; d++)
            {
                f += idx[d] * stride;
                stride *= shape[d];
            }

            result.SetValue(data.GetValue(f), c);
            for (int d = dims - 1; d >= 0; d--)
            {
                if (++idx[d] < shape[d])
                {
                    break;
                }

                idx[d] = 0;
            }
        }

        return result;
    }

    private static void SkipSpace(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }
    }

    private static void Expect(string s, ref int i, char c, string source)
    {
        if (i >= s.Length || s[i] != c)
        {
            throw new ParseException(source, 0, 0, $"malformed .npy header: expected '{c}' at offset {i} in '{Short(s)}'");
        }

        i++;
    }

    private static string ReadQuoted(string s, ref int i, string source)
    {
        if (i >= s.Length || (s[i] != '\'' && s[i] != '"'))
        {
            throw new ParseException(source, 0, 0, $"malformed .npy header: expected a quoted key at offset {i} in '{Short(s)}'");
        }

        char q = s[i];
        int end = s.IndexOf(q, i + 1);
        if (end < 0)
        {
            throw new ParseException(source, 0, 0, "malformed .npy header: unterminated string");
        }

        string v = s[(i + 1)..end];
        i = end + 1;
        return v;
    }

    private static string Short(string s) => s.Length <= 120 ? s.Trim() : s[..120] + "...";
}
