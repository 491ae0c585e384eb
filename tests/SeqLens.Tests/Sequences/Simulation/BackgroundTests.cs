using SeqLens.Sequences.Simulation;

namespace SeqLens.Tests.Sequences.Simulation;

public class BackgroundTests
{
    [Fact]
    public void GcBackground_Frequencies()
    {
        var bytes = new byte[200_000];
        new GcBackground(0.3).Sample(bytes, new Rng(1));
        double g = bytes.Count(b => b == 'G') / 200_000.0, c = bytes.Count(b => b == 'C') / 200_000.0, a = bytes.Count(b => b == 'A') / 200_000.0;
        Assert.InRange(g, 0.145, 0.155);
        Assert.InRange(c, 0.145, 0.155);
        Assert.InRange(a, 0.345, 0.355);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GcBackground(1.5));
    }

    [Fact]
    public void Markov_Order1_DeterministicCycle_IsReproduced()
    {
        var chain = MarkovBackground.Fit([string.Concat(Enumerable.Repeat("ACGT", 50))], order: 1, pseudocount: 0);
        var bytes = new byte[41];
        chain.Sample(bytes, new Rng(2));
        string s = System.Text.Encoding.ASCII.GetString(bytes);
        for (int i = 1; i < s.Length; i++)
        {
            Assert.Equal("ACGT"[("ACGT".IndexOf(s[i - 1], StringComparison.Ordinal) + 1) % 4], s[i]);
        }

        Assert.Equal(1.0, chain.Transition(0, 1)); // A -> C
    }

    [Fact]
    public void Markov_Order2_RecoversTransitionsOfGeneratingChain()
    {
        // Generate from an order-2 rule with noise, fit, and compare one transition probability.
        var rng = new Rng(5);
        var chars = new char[100_000];
        chars[0] = 'A';
        chars[1] = 'C';
        for (int i = 2; i < chars.Length; i++)
        {
            // After "AC" prefer G (70 %); otherwise uniform.
            bool ac = chars[i - 2] == 'A' && chars[i - 1] == 'C';
            chars[i] = ac && rng.NextDouble() < 0.6 ? 'G' : "ACGT"[rng.NextInt(4)];
        }

        var fitted = MarkovBackground.Fit([new string(chars), "NNNN", "acgtNacg"], order: 2);
        int ac2 = (0 * 4) + 1;
        Assert.InRange(fitted.Transition(ac2, 2), 0.67, 0.73);
        Assert.InRange(fitted.Transition(5, 2), 0.22, 0.28); // "CC" -> G is uniform

        var sample = new byte[50_000];
        fitted.Sample(sample, new Rng(6));
        int acCount = 0, acg = 0;
        for (int i = 2; i < sample.Length; i++)
        {
            if (sample[i - 2] == 'A' && sample[i - 1] == 'C')
            {
                acCount++;
                acg += sample[i] == 'G' ? 1 : 0;
            }
        }

        Assert.InRange(acg / (double)acCount, 0.65, 0.75);
    }

    [Fact]
    public void Markov_NoData_Throws()
        => Assert.Throws<ArgumentException>(() => MarkovBackground.Fit(["NN"], 1, pseudocount: 0));
}
