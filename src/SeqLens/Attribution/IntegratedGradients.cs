using SeqLens.Graphs;

namespace SeqLens.Attribution;

/// <summary>
/// Integrated gradients (Sundararajan et al. 2017): <c>IG(x) = (x − x0)·Σ_k w_k ∇f(x0 + α_k(x − x0))</c> with the quadrature
/// of <see cref="Method"/> over <see cref="Steps"/> points; with several baselines per sequence the scores are averaged.
/// <c>new IntegratedGradients(graph) { Steps = 50 }.Attribute(x, AttributionReferences.Zeros(), target)</c>.
/// </summary>
/// <remarks>Every (sequence, baseline) carries its completeness delta <c>Σ IG − (f(x) − f(x0))</c>, which shrinks with the
/// steps (it is a quadrature error, so the audit names no node).</remarks>
/// <param name="graph">The model (one input).</param>
public sealed class IntegratedGradients(Graph graph)
{
    /// <summary>Quadrature points (default 50).</summary>
    public int Steps { get; init; } = 50;

    /// <summary>Quadrature (default Gauss–Legendre, as captum).</summary>
    public IntegrationMethod Method { get; init; } = IntegrationMethod.GaussLegendre;

    /// <summary>Rows per batch (default 64).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Completeness tolerance relative to |f(x) − f(x0)| (default 1e-2: quadrature error, not a rule error).</summary>
    public double RelativeTolerance { get; init; } = 1e-2;

    /// <summary>Scores of <paramref name="x"/> against <paramref name="baselines"/> (any reference set; R per sequence).</summary>
    public AttributionResult Attribute(Tensor x, AttributionReferences baselines, AttributionTarget target)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        var tg = new TargetGradient(graph, target);
        tg.CheckInput(x);
        (double[] alphas, double[] weights) = IntegrationPoints.Get(Method, Steps);
        int n = x.Shape[0];
        int channels = x.Shape[1];
        int sample = x.Length / n;
        int refs = baselines.Count;
        int pairs = n * refs;
        var result = new Tensor(x.Shape);
        var deltas = new double[pairs];
        var targetDeltas = new double[pairs];
        var x0 = new float[sample];
        var integral = new double[sample];
        int pointsPerBatch = Math.Max(2, BatchSize);
        for (int p = 0; p < pairs; p++)
        {
            int seq = p / refs;
            ReadOnlySpan<float> xs = x.Data.AsSpan(seq * sample, sample);
            baselines.Fill(xs, channels, seq, p % refs, x0);
            Array.Clear(integral);
            double[] f = [0, 0];

            // NOTE: x and x0 ride in the last batch (unseeded rows) so f(x) − f(x0) costs no extra pass and the executor
            // keeps one batch shape.
            int total = Steps + 2;
            for (int first = 0, count; first < total; first += count)
            {
                count = Math.Min(pointsPerBatch, total - first);
                if (total - (first + count) is 1)
                {
                    count--; // keep x and x0 together in the last batch
                }

                int steps = Math.Max(0, Math.Min(count, Steps - first));
                var batch = new Tensor([count, .. x.Shape[1..]]);
                for (int k = 0; k < count; k++)
                {
                    int point = first + k;
                    Span<float> row = batch.Data.AsSpan(k * sample, sample);
                    if (point == Steps)
                    {
                        xs.CopyTo(row);
                        continue;
                    }

                    if (point == Steps + 1)
                    {
                        x0.CopyTo(row);
                        continue;
                    }

                    float alpha = (float)alphas[point];
                    for (int e = 0; e < sample; e++)
                    {
                        row[e] = x0[e] + (alpha * (xs[e] - x0[e]));
                    }
                }

                var g = new Tensor(batch.Shape);
                double[] scores = tg.Gradient(batch, g, steps);
                for (int k = 0; k < steps; k++)
                {
                    double wk = weights[first + k];
                    for (int e = 0; e < sample; e++)
                    {
                        integral[e] += wk * g.Data[(k * sample) + e];
                    }
                }

                for (int k = steps; k < count; k++)
                {
                    f[first + k - Steps] = scores[k];
                }
            }

            double sum = 0;
            for (int e = 0; e < sample; e++)
            {
                double c = (xs[e] - x0[e]) * integral[e];
                sum += c;
                result.Data[(seq * sample) + e] += (float)(c / refs);
            }

            targetDeltas[p] = f[0] - f[1];
            deltas[p] = sum - targetDeltas[p];
        }

        int failed = 0;
        int firstFailed = -1;
        double max = 0;
        for (int p = 0; p < pairs; p++)
        {
            max = Math.Max(max, Math.Abs(deltas[p]));
            if (Math.Abs(deltas[p]) > (RelativeTolerance * Math.Abs(targetDeltas[p])) + 1e-5)
            {
                failed++;
                firstFailed = firstFailed < 0 ? p : firstFailed;
            }
        }

        return new AttributionResult
        {
            Contributions = result,
            Deltas = deltas,
            TargetDeltas = targetDeltas,
            ReferencesPerSequence = refs,
            Method = "ig",
            Rule = Method.ToString() + " x" + Steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            References = baselines.Description,
            Seed = baselines.Seed,
            ModelHash = tg.ModelHash,
            Target = target.Description,
            Audit = new CompletenessReport(max, RelativeTolerance, 1e-5, failed, firstFailed < 0 ? -1 : firstFailed / refs, firstFailed < 0 ? -1 : firstFailed % refs, null, 0),
        };
    }
}
