namespace SeqLens.IO.Hdf5;

/// <summary>
/// Bob Jenkins' lookup3 <c>hashlittle</c> (2006), as HDF5 uses it for the checksums of version-2 metadata
/// (superblock v2/v3, object header v2, B-tree v2, fractal heap, fixed and extensible arrays) with seed 0.
/// </summary>
internal static class Lookup3
{
    public static uint Hash(ReadOnlySpan<byte> key, uint seed = 0)
    {
        uint a, b, c;
        a = b = c = 0xdeadbeef + (uint)key.Length + seed;
        int length = key.Length;
        int k = 0;
        while (length > 12)
        {
            a += key[k] | ((uint)key[k + 1] << 8) | ((uint)key[k + 2] << 16) | ((uint)key[k + 3] << 24);
            b += key[k + 4] | ((uint)key[k + 5] << 8) | ((uint)key[k + 6] << 16) | ((uint)key[k + 7] << 24);
            c += key[k + 8] | ((uint)key[k + 9] << 8) | ((uint)key[k + 10] << 16) | ((uint)key[k + 11] << 24);
            Mix(ref a, ref b, ref c);
            length -= 12;
            k += 12;
        }

        if (length == 0)
        {
            return c;
        }

        // NOTE: the original falls through from the highest remaining byte down to the first.
        if (length >= 12) { c += (uint)key[k + 11] << 24; }
        if (length >= 11) { c += (uint)key[k + 10] << 16; }
        if (length >= 10) { c += (uint)key[k + 9] << 8; }
        if (length >= 9) { c += key[k + 8]; }
        if (length >= 8) { b += (uint)key[k + 7] << 24; }
        if (length >= 7) { b += (uint)key[k + 6] << 16; }
        if (length >= 6) { b += (uint)key[k + 5] << 8; }
        if (length >= 5) { b += key[k + 4]; }
        if (length >= 4) { a += (uint)key[k + 3] << 24; }
        if (length >= 3) { a += (uint)key[k + 2] << 16; }
        if (length >= 2) { a += (uint)key[k + 1] << 8; }
        a += key[k];
        Final(ref a, ref b, ref c);
        return c;
    }

    private static uint Rot(uint x, int k) => (x << k) | (x >> (32 - k));

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= Rot(c, 4); c += b;
        b -= a; b ^= Rot(a, 6); a += c;
        c -= b; c ^= Rot(b, 8); b += a;
        a -= c; a ^= Rot(c, 16); c += b;
        b -= a; b ^= Rot(a, 19); a += c;
        c -= b; c ^= Rot(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= Rot(b, 14);
        a ^= c; a -= Rot(c, 11);
        b ^= a; b -= Rot(a, 25);
        c ^= b; c -= Rot(b, 16);
        a ^= c; a -= Rot(c, 4);
        b ^= a; b -= Rot(a, 14);
        c ^= b; c -= Rot(b, 24);
    }
}
