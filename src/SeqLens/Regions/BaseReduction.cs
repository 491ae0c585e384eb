namespace SeqLens.Regions;

/// <summary>How a (N, 4, L) attribution array becomes one value per position.</summary>
public enum BaseReduction
{
    /// <summary>Sum over the four channels (for input×gradient/DeepLIFT scores only the observed base is non-zero, so this equals <see cref="Observed"/>).</summary>
    Sum = 0,

    /// <summary>The channel of the observed base: Σ_c score[c, j]·onehot[c, j] with the npz's <c>onehot</c> array (N columns are 0).</summary>
    Observed = 1,
}
