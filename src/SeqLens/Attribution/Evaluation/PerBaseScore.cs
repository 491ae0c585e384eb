namespace SeqLens.Attribution.Evaluation;

/// <summary>
/// Reductions of per-channel attribution scores <c>(N, 4, L)</c> to one score per base <c>(N, L)</c>, for benchmarks that
/// rank positions (<see cref="MotifRecovery"/>).
/// </summary>
public static class PerBaseScore
{
    /// <summary>
    /// <c>s[n, l] = Σ_c scores[n, c, l]·x[n, c, l]</c>: the score of the observed base. For contributions of DeepLIFT,
    /// IG or gradient × input (already zero off the observed base) this is the plain channel sum; for a gradient it is
    /// the gradient at the observed base (which, on one-hot input, equals gradient × input).
    /// </summary>
    public static Tensor ObservedBase(Tensor scores, Tensor oneHot)
    {
        CheckShape(scores, nameof(scores));
        ArgumentNullException.ThrowIfNull(oneHot);
        if (!oneHot.Shape.SequenceEqual(scores.Shape))
        {
            throw new ArgumentException($"ObservedBase expects one-hot input of the scores' shape ({string.Join(", ", scores.Shape)}); got ({string.Join(", ", oneHot.Shape)})", nameof(oneHot));
        }

        return Reduce(scores, (s, x) => s * x, oneHot);
    }

    /// <summary><c>s[n, l] = Σ_c |scores[n, c, l]|</c>: sign-free magnitude (saliency maps, Simonyan et al. 2014, with a sum over channels).</summary>
    public static Tensor AbsoluteSum(Tensor scores)
    {
        CheckShape(scores, nameof(scores));
        return Reduce(scores, (s, _) => MathF.Abs(s), null);
    }

    /// <summary>
    /// For in-silico mutagenesis scores <c>(N, 4, L)</c> of one task (<c>f(mutant) − f(reference)</c>, 0 at the reference
    /// base): <c>s[n, l] = −(1/3)·Σ_c scores[n, c, l]</c>, the mean loss of output when the observed base is replaced by
    /// one of the 3 others (how much the observed base matters).
    /// </summary>
    public static Tensor IsmMeanLoss(Tensor scores)
    {
        CheckShape(scores, nameof(scores));
        return Reduce(scores, (s, _) => -s / 3f, null);
    }

    private static void CheckShape(Tensor scores, string name)
    {
        ArgumentNullException.ThrowIfNull(scores, name);
        if (scores.Shape.Length != 3 || scores.Shape[1] != 4)
        {
            throw new ArgumentException($"per-base scores expect (N, 4, L); got ({string.Join(", ", scores.Shape)})", name);
        }
    }

    private static Tensor Reduce(Tensor scores, Func<float, float, float> term, Tensor? other)
    {
        int n = scores.Shape[0];
        int length = scores.Shape[2];
        var result = new Tensor([n, length]);
        float[] s = scores.Data;
        float[]? x = other?.Data;
        for (int i = 0; i < n; i++)
        {
            for (int l = 0; l < length; l++)
            {
                float sum = 0;
                for (int c = 0; c < 4; c++)
                {
                    int k = (((i * 4) + c) * length) + l;
                    sum += term(s[k], x is null ? 0f : x[k]);
                }

                result.Data[(i * length) + l] = sum;
            }
        }

        return result;
    }
}
