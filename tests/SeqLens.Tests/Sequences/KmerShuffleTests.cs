using SeqLens.Sequences;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Sequences;

public class KmerShuffleTests
{
    [Fact]
    public void ChiSquare_KnownValues_MatchTables()
    {
        // Table values: chi2(0.95; 1) = 3.841, chi2(0.99; 10) = 23.209, chi2(0.999; 71) = 112.3 (approx).
        Assert.Equal(0.05, ChiSquare.PValue(3.841459, 1), 4);
        Assert.Equal(0.01, ChiSquare.PValue(23.209251, 10), 4);
        Assert.Equal(0.5, ChiSquare.PValue(70.33, 71), 2);
    }

    [Fact]
    public void DinucleotideShuffle_TenThousandRandomSequences_KeepsCountsExactly()
    {
        var gen = new Rng(17);
        const string Alphabet = "ACGTACGTACGTacgtNn";
        for (int i = 0; i < 10_000; i++)
        {
            int n = 1 + gen.NextInt(300);
            var chars = new char[n];
            for (int j = 0; j < n; j++)
            {
                chars[j] = Alphabet[gen.NextInt(Alphabet.Length)];
            }

            string s = new(chars);
            string shuffled = DinucleotideShuffle.Shuffle(s, Rng.For(5, i));
            Assert.Equal(n, shuffled.Length);
            Assert.Equal(KletCounts(s, 2), KletCounts(shuffled, 2));
            Assert.Equal(s[0], shuffled[0]);
            Assert.Equal(s[^1], shuffled[^1]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public void KmerShuffle_RandomSequences_KeepsKletCountsExactly(int k)
    {
        var gen = new Rng(23);
        for (int i = 0; i < 1000; i++)
        {
            int n = 1 + gen.NextInt(200);
            var chars = new char[n];
            for (int j = 0; j < n; j++)
            {
                chars[j] = "ACGT"[gen.NextInt(4)];
            }

            string s = new(chars);
            string shuffled = KmerShuffle.Shuffle(s, k, Rng.For(9, i));
            Assert.Equal(KletCounts(s, k), KletCounts(shuffled, k));
            if (n > k)
            {
                Assert.Equal(s[..(k - 1)], shuffled[..(k - 1)]);
            }
        }
    }

    [Fact]
    public void DinucleotideShuffle_LongSequence_ActuallyMovesLetters()
    {
        var gen = new Rng(3);
        var chars = new char[1000];
        for (int j = 0; j < chars.Length; j++)
        {
            chars[j] = "ACGT"[gen.NextInt(4)];
        }

        string s = new(chars);
        string shuffled = DinucleotideShuffle.Shuffle(s, new Rng(4));
        int same = s.Zip(shuffled).Count(p => p.First == p.Second);
        Assert.InRange(same, 150, 400); // about a quarter by chance
    }

    [Theory]
    [InlineData("ACAGATACA", 2, 12)]
    [InlineData("ACGTTGCAAC", 2, 4)]
    [InlineData("AAGGAACGCA", 2, 72)]
    [InlineData("CCGCACAAGA", 2, 90)]
    [InlineData("AAACAACCAAAA", 3, 20)]
    [InlineData("TGCAT", 1, 60)]
    public void KmerShuffle_ShortSequence_IsUniformOverAllValidShuffles(string sequence, int k, int expectedCount)
    {
        // Every sequence over the same letters with the same k-let counts and the same first (k-1)-let:
        // the set the Eulerian method can reach (its last (k-1)-let is then fixed too).
        List<string> valid = Enumerate(sequence, k);
        Assert.Equal(expectedCount, valid.Count);
        var index = valid.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i);
        var observed = new long[valid.Count];
        int samples = 250 * valid.Count;
        var rng = new Rng(2024);
        for (int i = 0; i < samples; i++)
        {
            string shuffled = KmerShuffle.Shuffle(sequence, k, rng);
            Assert.True(index.TryGetValue(shuffled, out int slot), $"shuffle {shuffled} is not a valid shuffle of {sequence}");
            observed[slot]++;
        }

        Assert.All(observed, o => Assert.True(o > 0));
        double statistic = ChiSquare.UniformStatistic(observed);
        double p = ChiSquare.PValue(statistic, valid.Count - 1);
        Assert.True(p > 1e-3, $"chi-square {statistic:F1} on {valid.Count - 1} df, p = {p:G3}: not uniform");
    }

    [Fact]
    public void ChiSquare_SkewedSampler_IsRejected()
    {
        // The uniformity check must be able to fail: a sampler that favours one of 72 outcomes by 50 % is caught.
        var rng = new Rng(1);
        var observed = new long[72];
        for (int i = 0; i < 250 * 72; i++)
        {
            int slot = rng.NextInt(72);
            if (slot != 0 && rng.NextDouble() < 0.5 / 71)
            {
                slot = 0;
            }

            observed[slot]++;
        }

        double p = ChiSquare.PValue(ChiSquare.UniformStatistic(observed), 71);
        Assert.True(p < 1e-3, $"p = {p:G3}");
    }

    [Fact]
    public void KmerShuffle_SameSeed_SameResult()
    {
        const string S = "ACGTTGCAACGGATTACAGATTACAGGGCCCATATAT";
        Assert.Equal(KmerShuffle.Shuffle(S, 2, new Rng(8)), KmerShuffle.Shuffle(S, 2, new Rng(8)));
        Assert.NotEqual(KmerShuffle.Shuffle(S, 2, new Rng(8)), KmerShuffle.Shuffle(S, 2, new Rng(9)));
    }

    [Fact]
    public void KmerShuffle_ShortOrEmpty_ReturnsInput()
    {
        Assert.Equal(string.Empty, DinucleotideShuffle.Shuffle(string.Empty, new Rng(1)));
        Assert.Equal("A", DinucleotideShuffle.Shuffle("A", new Rng(1)));
        Assert.Equal("AC", DinucleotideShuffle.Shuffle("AC", new Rng(1)));
        Assert.Equal("ACG", KmerShuffle.Shuffle("ACG", 5, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => KmerShuffle.Shuffle("ACGT", 0, new Rng(1)));
    }

    [Fact]
    public void KmerShuffle_Bytes_MatchesStringVersion()
    {
        const string S = "ACGTTGCAACGGATTACAGATTNNNACAGGGCCCATAtatat";
        var bytes = System.Text.Encoding.ASCII.GetBytes(S);
        var dst = new byte[bytes.Length];
        DinucleotideShuffle.Shuffle(bytes, dst, new Rng(12));
        Assert.Equal(DinucleotideShuffle.Shuffle(S, new Rng(12)), System.Text.Encoding.ASCII.GetString(dst));
    }

    [Fact]
    public void ShuffleOneHot_EqualsShuffleOfString()
    {
        var gen = new Rng(31);
        for (int i = 0; i < 50; i++)
        {
            var chars = new char[50 + i];
            for (int j = 0; j < chars.Length; j++)
            {
                chars[j] = "ACGTN"[gen.NextInt(5)];
            }

            string s = new(chars);
            var x = OneHot.Encode([s]);
            Tensor shuffled = DinucleotideShuffle.ShuffleOneHot(x, count: 3, seed: 77);
            Assert.Equal(new[] { 3, 4, s.Length }, shuffled.Shape);
            string[] decoded = OneHot.Decode(shuffled);
            for (int r = 0; r < 3; r++)
            {
                Assert.Equal(DinucleotideShuffle.Shuffle(s, Rng.For(77, 0, r)), decoded[r]);
            }
        }
    }

    [Fact]
    public void ShuffleOneHot_FirstIndex_MakesShardsAgree()
    {
        string[] seqs = ["ACGTACGGTACCA", "TTGACCAGTAGCA", "GGGATATCCGATA"];
        var whole = DinucleotideShuffle.ShuffleOneHot(OneHot.Encode(seqs), 2, seed: 5);
        var tail = DinucleotideShuffle.ShuffleOneHot(OneHot.Encode(seqs[1..]), 2, seed: 5, firstIndex: 1);
        Assert.Equal(whole.Data.AsSpan(2 * 4 * 13).ToArray(), tail.Data);
    }

    private static Dictionary<string, int> KletCounts(string s, int k)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + k <= s.Length; i++)
        {
            string w = s.Substring(i, k);
            counts[w] = counts.GetValueOrDefault(w) + 1;
        }

        return counts.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);
    }

    private static List<string> Enumerate(string s, int k)
    {
        char[] letters = s.Distinct().Order().ToArray();
        var target = KletCounts(s, k);
        var result = new List<string>();
        var buf = new char[s.Length];
        int total = (int)Math.Pow(letters.Length, s.Length);
        for (int code = 0; code < total; code++)
        {
            int c = code;
            for (int i = s.Length - 1; i >= 0; i--)
            {
                buf[i] = letters[c % letters.Length];
                c /= letters.Length;
            }

            string candidate = new(buf);
            if (candidate.AsSpan(0, k - 1).SequenceEqual(s.AsSpan(0, k - 1)) && KletCounts(candidate, k).SequenceEqual(target))
            {
                result.Add(candidate);
            }
        }

        return result;
    }
}
