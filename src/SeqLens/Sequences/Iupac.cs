namespace SeqLens.Sequences;

/// <summary>
/// IUPAC nucleotide codes as 4-bit base sets (bit 0 = A, 1 = C, 2 = G, 3 = T) and their complements,
/// looked up through 256-entry tables so every byte of a sequence costs one load.
/// </summary>
/// <remarks>
/// Codes (NC-IUB 1984): A C G T, U (= T), R = A|G, Y = C|T, S = C|G, W = A|T, K = G|T, M = A|C,
/// B = C|G|T, D = A|G|T, H = A|C|T, V = A|C|G, N = any. Lowercase is the same as uppercase.
/// Any other byte (gap <c>-</c>, <c>.</c>, digits, ...) has the empty set (mask 0).
/// </remarks>
public static class Iupac
{
    private static readonly byte[] MaskTable = BuildMasks();
    private static readonly byte[] ComplementTable = BuildComplements();

    /// <summary>The 256-entry table byte -> base set (0..15).</summary>
    public static ReadOnlySpan<byte> Masks => MaskTable;

    /// <summary>The 256-entry table byte -> complement byte (case preserved; unknown bytes map to themselves).</summary>
    public static ReadOnlySpan<byte> Complements => ComplementTable;

    /// <summary>Base set of <paramref name="code"/> (bit 0 = A, 1 = C, 2 = G, 3 = T); 0 when not a nucleotide code.</summary>
    public static int Mask(char code) => code < 256 ? MaskTable[code] : 0;

    /// <summary>IUPAC complement of <paramref name="code"/>, case preserved (U complements to A); other characters unchanged.</summary>
    public static char Complement(char code) => code < 256 ? (char)ComplementTable[code] : code;

    /// <summary>The uppercase IUPAC letter for a base set (1..15); <c>'N'</c> for 15, <c>'-'</c> for the empty set.</summary>
    public static char FromMask(int mask) => "-ACMGRSVTWYHKDBN"[mask & 15];

    private static byte[] BuildMasks()
    {
        var t = new byte[256];
        void Set(char c, int m)
        {
            t[c] = (byte)m;
            t[char.ToLowerInvariant(c)] = (byte)m;
        }

        Set('A', 1);
        Set('C', 2);
        Set('G', 4);
        Set('T', 8);
        Set('U', 8);
        Set('R', 1 | 4);
        Set('Y', 2 | 8);
        Set('S', 2 | 4);
        Set('W', 1 | 8);
        Set('K', 4 | 8);
        Set('M', 1 | 2);
        Set('B', 2 | 4 | 8);
        Set('D', 1 | 4 | 8);
        Set('H', 1 | 2 | 8);
        Set('V', 1 | 2 | 4);
        Set('N', 15);
        return t;
    }

    private static byte[] BuildComplements()
    {
        var t = new byte[256];
        for (int i = 0; i < 256; i++)
        {
            t[i] = (byte)i;
        }

        void Pair(char a, char b)
        {
            t[a] = (byte)b;
            t[b] = (byte)a;
            t[char.ToLowerInvariant(a)] = (byte)char.ToLowerInvariant(b);
            t[char.ToLowerInvariant(b)] = (byte)char.ToLowerInvariant(a);
        }

        Pair('A', 'T');
        Pair('C', 'G');
        Pair('R', 'Y');
        Pair('K', 'M');
        Pair('B', 'V');
        Pair('D', 'H');

        // NOTE: U complements to A but A complements to T: reverse-complementing RNA yields DNA.
        t['U'] = (byte)'A';
        t['u'] = (byte)'a';
        return t;
    }
}
