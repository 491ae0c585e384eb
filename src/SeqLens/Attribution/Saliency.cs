using SeqLens.Graphs;

namespace SeqLens.Attribution;

/// <summary>
/// Gradient attributions (Simonyan et al. 2014): saliency = ∂f/∂x, and gradient × input = x·∂f/∂x (Shrikumar et al. 2016),
/// computed in batches of <paramref name="batchSize"/> rows.
/// </summary>
/// <param name="graph">The model (one input).</param>
/// <param name="batchSize">Rows per batch (default 64).</param>
/// <remarks>An instance keeps its executor between calls (no new buffers per call); do not call one instance from two threads at once.</remarks>
public sealed class Saliency(Graph graph, int batchSize = 64)
{
    private TargetGradient? _cached;

    /// <summary>The model.</summary>
    public Graph Graph { get; } = graph ?? throw new ArgumentNullException(nameof(graph));

    /// <summary>Saliency: Contributions = ∂f/∂x <c>(N, ...)</c>; no hypothetical scores.</summary>
    public AttributionResult Attribute(Tensor x, AttributionTarget target)
    {
        Tensor g = Gradients(x, target, out string hash);
        return new AttributionResult { Contributions = g, Method = "saliency", ModelHash = hash, Target = target.Description };
    }

    /// <summary>Gradient × input: Contributions = x·∂f/∂x, Hypothetical = ∂f/∂x (what each base would get if present).</summary>
    public AttributionResult GradientTimesInput(Tensor x, AttributionTarget target)
    {
        Tensor g = Gradients(x, target, out string hash);
        var c = new Tensor(x.Shape);
        System.Numerics.Tensors.TensorPrimitives.Multiply(g.Data, x.Data, c.Data);
        return new AttributionResult { Contributions = c, Hypothetical = g, Method = "grad-x-input", ModelHash = hash, Target = target.Description };
    }

    private Tensor Gradients(Tensor x, AttributionTarget target, out string hash)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        TargetGradient tg = _cached = TargetGradient.Reuse(_cached, Graph, target);
        tg.CheckInput(x);
        tg.FoldBatchNorms(); // only the input gradient is read: batch-norms fold into their convolutions
        hash = tg.ModelHash;
        int n = x.Shape[0];
        int sample = x.Length / n;
        var result = new Tensor(x.Shape);
        for (int first = 0; first < n; first += batchSize)
        {
            int count = Math.Min(batchSize, n - first);
            var batch = new Tensor(x.Data.AsSpan(first * sample, count * sample).ToArray(), [count, .. x.Shape[1..]]);
            var g = new Tensor(batch.Shape);
            tg.Gradient(batch, g);
            g.Data.CopyTo(result.Data, first * sample);
        }

        return result;
    }
}
