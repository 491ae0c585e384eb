using System.Globalization;
using System.Text;

namespace SeqLens.IO.Hdf5;

/// <summary>
/// A named link in a group: hard (an object header address), soft (a path) or external (a file and a path,
/// <see cref="Target"/> as <c>file:path</c>).
/// </summary>
public sealed record Hdf5Link(string Name, Hdf5LinkKind Kind, string? Target)
{
    /// <summary>Absolute address of the object header of a hard link; -1 otherwise.</summary>
    internal long Address { get; init; } = Hdf5Reader.Undefined;

    /// <summary>Parses a link message (spec §IV.A.2.g), from an object header or a dense group's fractal heap.</summary>
    internal static Hdf5Link Parse(Hdf5Cursor c)
    {
        c.Version(1, 1);
        byte flags = c.U8();
        int type = (flags & 0x08) != 0 ? c.U8() : 0;
        if ((flags & 0x04) != 0)
        {
            c.Skip(8); // creation order
        }

        if ((flags & 0x10) != 0)
        {
            c.Skip(1); // name character set (ASCII or UTF-8; decoded as UTF-8 either way)
        }

        int nameLength = (int)Math.Min(c.UInt(1 << (flags & 0x03)), int.MaxValue);
        if (nameLength == 0)
        {
            throw c.Error("link name is empty");
        }

        string name = Encoding.UTF8.GetString(c.Bytes(nameLength));
        switch (type)
        {
            case 0:
                {
                    long address = c.Address();
                    if (address == Hdf5Reader.Undefined)
                    {
                        throw c.Error($"hard link '{name}' has an undefined address");
                    }

                    return new Hdf5Link(name, Hdf5LinkKind.Hard, null) { Address = address };
                }

            case 1:
                {
                    int length = c.U16();
                    return new Hdf5Link(name, Hdf5LinkKind.Soft, Encoding.UTF8.GetString(c.Bytes(length)));
                }

            case 64:
                {
                    int length = c.U16();
                    var data = c.Bytes(length);
                    // Version/flags byte, then null-terminated file name and object path.
                    var rest = data.Length > 0 ? data[1..] : data;
                    int nul = rest.IndexOf((byte)0);
                    string file = Encoding.UTF8.GetString(nul >= 0 ? rest[..nul] : rest);
                    string path = nul >= 0 ? Encoding.UTF8.GetString(rest[(nul + 1)..]).TrimEnd('\0') : "";
                    return new Hdf5Link(name, Hdf5LinkKind.External, file + ":" + path);
                }

            default:
                throw c.Error(string.Create(CultureInfo.InvariantCulture, $"link type {type} of '{name}' is unknown (0, 1 or 64 expected)"));
        }
    }
}
