using SeqLens.Graphs;

namespace SeqLens.Attribution;

/// <summary>
/// SmoothGrad (Smilkov et al. 2017): the gradient averaged over <see cref="Samples"/> noisy copies
/// <c>x + ε</c>, <c>ε ~ N(0, NoiseStd²)</c>; the noise of sample s of sequence i comes from <c>Rng.For(Seed, i, s)</c>, so
/// results do not depend on the batch size.
/// </summary>
/// <param name="graph">The model (one input).</param>
/// <remarks>An instance keeps its executor between calls (no new buffers per call); do not call one instance from two threads at once.</remarks>
public sealed class SmoothGrad(Graph graph)
{
    private TargetGradient? _cached;

    /// <summary>Noisy samples per sequence (default 50, the paper's).</summary>
    public int Samples { get; init; } = 50;

    /// <summary>Noise standard deviation (default 0.15: 15 % of the 0–1 range of one-hot input, the paper's 10–20 %).</summary>
    public double NoiseStd { get; init; } = 0.15;

    /// <summary>Seed of the noise (default 0).</summary>
    public long Seed { get; init; }

    /// <summary>Rows per batch (default 64).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Contributions = mean noisy gradient <c>(N, ...)</c>.</summary>
    public AttributionResult Attribute(Tensor x, AttributionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        TargetGradient tg = _cached = TargetGradient.Reuse(_cached, graph, target);
        tg.CheckInput(x);
        tg.FoldBatchNorms(); // only the input gradient is read: batch-norms fold into their convolutions
        int n = x.Shape[0];
        int sample = x.Length / n;
        var result = new Tensor(x.Shape);
        int total = n * Samples;
        for (int first = 0; first < total; first += BatchSize)
        {
            int count = Math.Min(BatchSize, total - first);
            var batch = new Tensor([count, .. x.Shape[1..]]);
            for (int k = 0; k < count; k++)
            {
                int seq = (first + k) / Samples;
                int s = (first + k) % Samples;
                Rng rng = Rng.For(Seed, seq, s);
                for (int e = 0; e < sample; e++)
                {
                    batch.Data[(k * sample) + e] = x.Data[(seq * sample) + e] + (float)(NoiseStd * rng.NextGaussian());
                }
            }

            var g = new Tensor(batch.Shape);
            tg.Gradient(batch, g);
            for (int k = 0; k < count; k++)
            {
                int seq = (first + k) / Samples;
                for (int e = 0; e < sample; e++)
                {
                    result.Data[(seq * sample) + e] += g.Data[(k * sample) + e] / Samples;
                }
            }
        }

        return new AttributionResult { Contributions = result, Method = "smoothgrad", Seed = Seed, ModelHash = tg.ModelHash, Target = target.Description };
    }
}
