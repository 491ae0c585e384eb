namespace SeqLens.IO.Hdf5;

/// <summary>Reads the fill value (bytes of one element) from the fill value messages; null when undefined.</summary>
internal static class FillValue
{
    public static byte[]? Parse(ObjectHeader header)
    {
        var message = header.Find(HeaderMessage.FillValue);
        if (message is not null)
        {
            var c = message.Body;
            c.Position = 0;
            int version = c.Version(1, 3);
            if (version < 3)
            {
                c.Skip(2); // space allocation time, fill value write time
                bool defined = c.U8() != 0;
                if (!defined || c.Remaining < 4)
                {
                    return null;
                }

                int size = checked((int)c.U32());
                return size == 0 ? null : c.Bytes(size).ToArray();
            }

            byte flags = c.U8();
            if ((flags & 0x20) == 0)
            {
                return null;
            }

            int n = checked((int)c.U32());
            return n == 0 ? null : c.Bytes(n).ToArray();
        }

        var old = header.Find(HeaderMessage.FillValueOld);
        if (old is not null)
        {
            var c = old.Body;
            c.Position = 0;
            int size = checked((int)c.U32());
            return size == 0 ? null : c.Bytes(size).ToArray();
        }

        return null;
    }
}
