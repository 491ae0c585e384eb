namespace SeqLens.Graphs;

/// <summary>Seeded parameter initialisation.</summary>
public static class Initializers
{
    /// <summary>He (Kaiming) uniform: U(-b, b) with <c>b = sqrt(6 / fanIn)</c>, suited to ReLU networks (He et al. 2015).</summary>
    public static Tensor HeUniform(Rng random, int fanIn, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = new Tensor(shape);
        float bound = MathF.Sqrt(6f / Math.Max(1, fanIn));
        for (int i = 0; i < t.Length; i++)
        {
            t.Data[i] = ((2f * random.NextSingle()) - 1f) * bound;
        }

        return t;
    }

    /// <summary>Glorot (Xavier) uniform: U(-b, b) with <c>b = sqrt(6 / (fanIn + fanOut))</c>.</summary>
    public static Tensor GlorotUniform(Rng random, int fanIn, int fanOut, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = new Tensor(shape);
        float bound = MathF.Sqrt(6f / Math.Max(1, fanIn + fanOut));
        for (int i = 0; i < t.Length; i++)
        {
            t.Data[i] = ((2f * random.NextSingle()) - 1f) * bound;
        }

        return t;
    }

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Constant(float value, params int[] shape)
    {
        var t = new Tensor(shape);
        Array.Fill(t.Data, value);
        return t;
    }
}
