namespace SeqLens.Sequences.Simulation;

/// <summary>
/// An order-k Markov chain over A, C, G, T fitted to real sequences: each base depends on the k before it.
/// </summary>
/// <remarks>
/// Fitting counts every (k+1)-mer of A/C/G/T (case-insensitive; windows containing any other letter are skipped),
/// adds <c>pseudocount</c> to every count, and normalises per k-mer context:
/// <c>P(b | context) = (n(context b) + a) / (n(context) + 4a)</c>. The first k bases are drawn from the fitted
/// k-mer frequencies (same pseudocount). Order 0 is the i.i.d. base composition.
/// </remarks>
public sealed class MarkovBackground : IBackgroundModel
{
    private readonly double[] _initial;      // 4^k cumulative probabilities of the first k-mer
    private readonly double[] _transitions;  // 4^k x 4 cumulative probabilities

    private MarkovBackground(int order, double[] initial, double[] transitions)
    {
        Order = order;
        _initial = initial;
        _transitions = transitions;
    }

    /// <summary>The order k (number of preceding bases each base depends on).</summary>
    public int Order { get; }

    /// <summary>Probability of base <paramref name="next"/> (0..3 = A, C, G, T) after the context code (base-4 number of the k previous bases).</summary>
    public double Transition(int context, int next)
    {
        int row = context * 4;
        return _transitions[row + next] - (next == 0 ? 0 : _transitions[row + next - 1]);
    }

    /// <summary>Fits an order-<paramref name="order"/> chain (0..8) to <paramref name="sequences"/>.</summary>
    public static MarkovBackground Fit(IEnumerable<string> sequences, int order, double pseudocount = 1)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegative(order);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, 8);
        if (!(pseudocount >= 0) || double.IsInfinity(pseudocount))
        {
            throw new ArgumentOutOfRangeException(nameof(pseudocount), pseudocount, "Pseudocount must be finite and non-negative.");
        }

        int contexts = 1 << (2 * order);
        var transitionCounts = new double[contexts * 4];
        var initialCounts = new double[contexts];
        long windows = 0;
        foreach (string s in sequences)
        {
            // run = number of valid bases ending at i; code = last min(run, k+1) bases in base 4.
            int run = 0, code = 0;
            int mask = (1 << (2 * (order + 1))) - 1;
            for (int i = 0; i < s.Length; i++)
            {
                int b = BaseIndex(s[i]);
                if (b < 0)
                {
                    run = 0;
                    code = 0;
                    continue;
                }

                code = ((code << 2) | b) & mask;
                run++;
                if (run >= order && order > 0)
                {
                    initialCounts[run > order ? code & (contexts - 1) : code]++;
                }

                if (run > order)
                {
                    transitionCounts[code]++;
                    windows++;
                }
            }
        }

        if (windows == 0 && pseudocount == 0)
        {
            throw new ArgumentException($"No A/C/G/T window of {order + 1} bases in the sequences and no pseudocount: cannot fit a Markov background.", nameof(sequences));
        }

        var transitions = new double[contexts * 4];
        for (int c = 0; c < contexts; c++)
        {
            double total = 0;
            for (int b = 0; b < 4; b++)
            {
                total += transitionCounts[(c * 4) + b] + pseudocount;
            }

            double cumulative = 0;
            for (int b = 0; b < 4; b++)
            {
                cumulative += total > 0 ? (transitionCounts[(c * 4) + b] + pseudocount) / total : 0.25;
                transitions[(c * 4) + b] = cumulative;
            }

            transitions[(c * 4) + 3] = 1.0;
        }

        var initial = new double[contexts];
        double initialTotal = initialCounts.Sum() + (pseudocount * contexts);
        double run2 = 0;
        for (int c = 0; c < contexts; c++)
        {
            run2 += initialTotal > 0 ? (initialCounts[c] + pseudocount) / initialTotal : 1.0 / contexts;
            initial[c] = run2;
        }

        initial[contexts - 1] = 1.0;
        return new MarkovBackground(order, initial, transitions);
    }

    /// <inheritdoc/>
    public void Sample(Span<byte> destination, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (destination.Length == 0)
        {
            return;
        }

        int contexts = _initial.Length;
        int context = Draw(_initial, 0, contexts, rng.NextDouble());
        int first = Math.Min(Order, destination.Length);
        for (int i = 0; i < first; i++)
        {
            destination[i] = (byte)"ACGT"[(context >> (2 * (Order - 1 - i))) & 3];
        }

        for (int i = first; i < destination.Length; i++)
        {
            int b = Draw(_transitions, context * 4, 4, rng.NextDouble());
            destination[i] = (byte)"ACGT"[b];
            context = ((context << 2) | b) & (contexts - 1);
        }
    }

    private static int Draw(double[] cumulative, int offset, int count, double u)
    {
        for (int i = 0; i < count - 1; i++)
        {
            if (u < cumulative[offset + i])
            {
                return i;
            }
        }

        return count - 1;
    }

    private static int BaseIndex(char c) => c switch
    {
        'A' or 'a' => 0,
        'C' or 'c' => 1,
        'G' or 'g' => 2,
        'T' or 't' => 3,
        _ => -1,
    };
}
