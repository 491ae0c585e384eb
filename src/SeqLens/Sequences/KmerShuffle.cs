using System.Text;

namespace SeqLens.Sequences;

/// <summary>
/// k-let shuffle: a random sequence with exactly the same counts of every k-let (k consecutive symbols) as the
/// input, drawn UNIFORMLY among all such sequences that also keep the first (k-1)-let. k = 2 is the dinucleotide
/// shuffle (<see cref="DinucleotideShuffle"/>); k = 1 is a plain uniform permutation of the letters.
/// </summary>
/// <remarks>
/// Method (Altschul &amp; Erickson 1985, Mol. Biol. Evol. 2:526; Kandel et al. 1996, Discrete Appl. Math. 71:171;
/// as in uShuffle, Jiang et al. 2008): build the multigraph whose vertices are the (k-1)-lets and whose edges
/// are the k-lets of the sequence; draw a uniformly random arborescence of "last exit" edges towards the final
/// (k-1)-let with Wilson's loop-erased random walk (each step picks one of the vertex's out-edge instances
/// uniformly, so every arborescence has the same probability); shuffle each vertex's other out-edges uniformly
/// and put its last-exit edge last; walk from the first (k-1)-let. By the BEST theorem this gives a uniformly
/// random Eulerian trail with labelled edges; every sequence corresponds to the same number of labelled trails
/// (the product of the factorials of the k-let multiplicities), so sequences are uniform too.
/// The first and last (k-1) symbols are always kept (every trail starts and ends at those vertices).
/// <para>Symbols are compared exactly: case matters (soft-masked <c>acgt</c> and <c>ACGT</c> are different
/// letters, so the shuffle keeps the soft-masked k-lets) and <c>N</c> is a letter like any other, so every
/// k-let containing N is kept with its count. Uppercase the input first to shuffle masked and unmasked bases
/// together. Sequences no longer than k are returned unchanged (their k-let counts fix them, or they have none).</para>
/// </remarks>
public static class KmerShuffle
{
    /// <summary>A k-let shuffle of <paramref name="sequence"/>, drawing from <paramref name="rng"/>.</summary>
    public static string Shuffle(string sequence, int k, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var symbols = new int[sequence.Length];
        for (int i = 0; i < symbols.Length; i++)
        {
            symbols[i] = sequence[i];
        }

        var result = new int[symbols.Length];
        ShuffleSymbols(symbols, result, k, rng);
        var sb = new StringBuilder(result.Length);
        foreach (int s in result)
        {
            sb.Append((char)s);
        }

        return sb.ToString();
    }

    /// <summary>Writes a k-let shuffle of <paramref name="sequence"/> into <paramref name="destination"/> (same length).</summary>
    public static void Shuffle(ReadOnlySpan<byte> sequence, Span<byte> destination, int k, Rng rng)
    {
        if (destination.Length != sequence.Length)
        {
            throw new ArgumentException($"Destination length {destination.Length} differs from sequence length {sequence.Length}.", nameof(destination));
        }

        var symbols = new int[sequence.Length];
        for (int i = 0; i < symbols.Length; i++)
        {
            symbols[i] = sequence[i];
        }

        var result = new int[symbols.Length];
        ShuffleSymbols(symbols, result, k, rng);
        for (int i = 0; i < result.Length; i++)
        {
            destination[i] = (byte)result[i];
        }
    }

    /// <summary>
    /// Writes a k-let shuffle of the columns of a <c>(4, length)</c> one-hot block into <paramref name="destination"/>.
    /// Each distinct column (A, C, G, T, all-zero N, or any fractional column) is one symbol.
    /// </summary>
    public static void ShuffleOneHot(ReadOnlySpan<float> source, Span<float> destination, int k, Rng rng)
    {
        if (source.Length % OneHot.Channels != 0 || destination.Length != source.Length)
        {
            throw new ArgumentException(
                $"One-hot shuffle needs source and destination of 4 x length floats; got {source.Length} and {destination.Length}.",
                nameof(destination));
        }

        int length = source.Length / OneHot.Channels;
        var symbols = new int[length];

        // Symbols 0..3 = one-hot A, C, G, T; 4 = all-zero (N, padding); 5.. = any other distinct column.
        var others = new List<(float A, float C, float G, float T)>();
        for (int i = 0; i < length; i++)
        {
            float a = source[i], c = source[length + i], g = source[(2 * length) + i], t = source[(3 * length) + i];
            int id = (a, c, g, t) switch
            {
                (1, 0, 0, 0) => 0,
                (0, 1, 0, 0) => 1,
                (0, 0, 1, 0) => 2,
                (0, 0, 0, 1) => 3,
                (0, 0, 0, 0) => 4,
                _ => -1,
            };
            if (id < 0)
            {
                int k2 = others.IndexOf((a, c, g, t));
                if (k2 < 0)
                {
                    k2 = others.Count;
                    others.Add((a, c, g, t));
                }

                id = 5 + k2;
            }

            symbols[i] = id;
        }

        var result = new int[length];
        ShuffleSymbols(symbols, result, k, rng);
        for (int i = 0; i < length; i++)
        {
            int id = result[i];
            var col = id switch
            {
                < 4 => (id == 0 ? 1f : 0f, id == 1 ? 1f : 0f, id == 2 ? 1f : 0f, id == 3 ? 1f : 0f),
                4 => (0f, 0f, 0f, 0f),
                _ => others[id - 5],
            };
            destination[i] = col.Item1;
            destination[length + i] = col.Item2;
            destination[(2 * length) + i] = col.Item3;
            destination[(3 * length) + i] = col.Item4;
        }
    }

    /// <summary>
    /// <paramref name="count"/> k-let shuffles of each sequence of a <c>(batch, 4, length)</c> tensor, as a new
    /// <c>(batch * count, 4, length)</c> tensor; row <c>b * count + r</c> uses <c>Rng.For(seed, firstIndex + b, r)</c>,
    /// so a sequence's shuffles do not depend on the batch it came in.
    /// </summary>
    public static Tensor ShuffleOneHot(Tensor x, int k, int count, long seed, long firstIndex = 0)
    {
        OneHot.CheckBatch(x, nameof(x));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int batch = x.Shape[0];
        int length = x.Shape[2];
        int block = OneHot.Channels * length;
        var result = new Tensor(batch * count, OneHot.Channels, length);
        for (int b = 0; b < batch; b++)
        {
            for (int r = 0; r < count; r++)
            {
                ShuffleOneHot(x.Span.Slice(b * block, block), result.Span.Slice(((b * count) + r) * block, block), k, Rng.For(seed, firstIndex + b, r));
            }
        }

        return result;
    }

    /// <summary>The core: a k-let shuffle of integer symbols.</summary>
    internal static void ShuffleSymbols(ReadOnlySpan<int> s, Span<int> destination, int k, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentNullException.ThrowIfNull(rng);
        int n = s.Length;
        s.CopyTo(destination);
        if (n <= k)
        {
            return;
        }

        if (k == 1)
        {
            rng.Shuffle(destination);
            return;
        }

        int m = k - 1;
        int positions = n - m + 1;
        int[] vertexAt = VertexIds(s, m, positions, out int vertexCount);

        // Out-edges in CSR form: edge p goes from the (k-1)-let at p to the one at p + 1.
        var degree = new int[vertexCount];
        var lastSymbol = new int[vertexCount];
        for (int p = 0; p < positions; p++)
        {
            lastSymbol[vertexAt[p]] = s[p + m - 1];
            if (p < positions - 1)
            {
                degree[vertexAt[p]]++;
            }
        }

        var offset = new int[vertexCount + 1];
        for (int v = 0; v < vertexCount; v++)
        {
            offset[v + 1] = offset[v] + degree[v];
        }

        var target = new int[positions - 1];
        var fill = (int[])offset.Clone();
        for (int p = 0; p < positions - 1; p++)
        {
            target[fill[vertexAt[p]]++] = vertexAt[p + 1];
        }

        // Wilson's algorithm: a uniform random arborescence of last-exit edge slots towards the root.
        int root = vertexAt[positions - 1];
        var inTree = new bool[vertexCount];
        var next = new int[vertexCount];
        inTree[root] = true;
        for (int v = 0; v < vertexCount; v++)
        {
            int u = v;
            while (!inTree[u])
            {
                next[u] = offset[u] + rng.NextInt(degree[u]);
                u = target[next[u]];
            }

            u = v;
            while (!inTree[u])
            {
                inTree[u] = true;
                u = target[next[u]];
            }
        }

        // Uniform order of the other out-edges; the last-exit edge goes last.
        for (int v = 0; v < vertexCount; v++)
        {
            if (degree[v] == 0)
            {
                continue;
            }

            Span<int> slots = target.AsSpan(offset[v], degree[v]);
            if (v != root)
            {
                int last = next[v] - offset[v];
                (slots[last], slots[^1]) = (slots[^1], slots[last]);
                slots = slots[..^1];
            }

            rng.Shuffle(slots);
        }

        // Walk the Eulerian trail from the first (k-1)-let.
        int cursorVertex = vertexAt[0];
        var cursor = offset.AsSpan(0, vertexCount).ToArray();
        for (int j = m; j < n; j++)
        {
            cursorVertex = target[cursor[cursorVertex]++];
            destination[j] = lastSymbol[cursorVertex];
        }
    }

    /// <summary>Dense ids of the (m)-lets starting at each of <paramref name="positions"/> positions.</summary>
    private static int[] VertexIds(ReadOnlySpan<int> s, int m, int positions, out int count)
    {
        // Dense alphabet first (ids by first occurrence), so words pack into small integers.
        var dense = new int[s.Length];
        int sigma = 0;
        int max = 0;
        foreach (int v in s)
        {
            max = Math.Max(max, v);
        }

        if (max < 1 << 16 && !s.ContainsAnyExceptInRange(0, max))
        {
            var map = new int[max + 1];
            Array.Fill(map, -1);
            for (int i = 0; i < s.Length; i++)
            {
                int id = map[s[i]];
                if (id < 0)
                {
                    id = map[s[i]] = sigma++;
                }

                dense[i] = id;
            }
        }
        else
        {
            var alphabet = new Dictionary<int, int>();
            for (int i = 0; i < s.Length; i++)
            {
                if (!alphabet.TryGetValue(s[i], out int id))
                {
                    id = alphabet.Count;
                    alphabet.Add(s[i], id);
                }

                dense[i] = id;
            }

            sigma = alphabet.Count;
        }

        var vertexAt = new int[positions];
        count = 0;
        double words = Math.Pow(sigma, m);
        if (words <= 1 << 16)
        {
            var table = new int[(int)words];
            Array.Fill(table, -1);
            for (int p = 0; p < positions; p++)
            {
                int code = 0;
                for (int j = 0; j < m; j++)
                {
                    code = (code * sigma) + dense[p + j];
                }

                if (table[code] < 0)
                {
                    table[code] = count++;
                }

                vertexAt[p] = table[code];
            }

            return vertexAt;
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var key = new StringBuilder(m * 2);
        for (int p = 0; p < positions; p++)
        {
            key.Clear();
            for (int j = 0; j < m; j++)
            {
                key.Append((char)(dense[p + j] & 0xFFFF)).Append((char)(dense[p + j] >> 16));
            }

            string word = key.ToString();
            if (!ids.TryGetValue(word, out int id))
            {
                id = count++;
                ids.Add(word, id);
            }

            vertexAt[p] = id;
        }

        return vertexAt;
    }
}
