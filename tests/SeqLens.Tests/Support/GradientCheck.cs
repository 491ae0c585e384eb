using SeqLens.Graphs;

namespace SeqLens.Tests.Support;

/// <summary>
/// Central finite-difference check of a graph's backward pass: the loss is <c>L = Σ w·y</c> over every output
/// element with fixed random weights <c>w</c>, accumulated in double; every input element and every parameter
/// element is perturbed by ±<c>step</c> and <c>(L⁺ − L⁻) / 2·step</c> is compared with the analytic gradient.
/// </summary>
/// <remarks>
/// The ops compute in float32, so the numerical derivative carries rounding error of order 1e-7·|L|/step; the
/// default step and tolerance are set for that. Deep stacks (batch-norm in training above all) round more: the check
/// therefore measures the loss's own rounding noise first — the loss after nudging single elements by about a
/// millionth, minus the analytic first-order change — and allows twice that noise divided by the step on top of the
/// relative tolerance. Where rounding is small this adds nothing, so a 1 % error in a gradient is still caught
/// (GradientCheckTests). Non-smooth ops (ReLU, max) must be given inputs away from kinks.
/// </remarks>
public static class GradientCheck
{
    /// <summary>Checks input and parameter gradients of <paramref name="graph"/> at <paramref name="inputs"/>; throws with the worst element on failure.</summary>
    public static void Check(Graph graph, IReadOnlyList<Tensor> inputs, double step = 2e-3, double tolerance = 2e-3, bool training = false, bool checkParameters = true, long seed = 12345)
    {
        var exec = new Executor(graph, seed) { Training = training };
        exec.Step = 0;
        var outs = exec.Forward(inputs);
        var rng = new Rng(99);
        var weights = outs.Select(o =>
        {
            var w = new Tensor(o.Shape);
            for (int i = 0; i < w.Length; i++)
            {
                w.Data[i] = (float)((rng.NextDouble() * 2) - 1);
            }

            return w;
        }).ToArray();

        graph.ZeroGrad();
        exec.Backward(weights, new BackwardOptions { ParameterGradients = checkParameters, InputGradients = true });
        var inputGrads = graph.Inputs.Select(n => exec.Gradient(n)?.Clone() ?? new Tensor(exec.Value(n).Shape)).ToArray();
        var paramGrads = graph.TrainableParameters.Select(p => p.Grad.Clone()).ToArray();

        double Loss()
        {
            exec.Step = 0;
            var o = exec.Forward(inputs);
            double l = 0;
            for (int k = 0; k < o.Count; k++)
            {
                for (int i = 0; i < o[k].Length; i++)
                {
                    l += (double)o[k].Data[i] * weights[k].Data[i];
                }
            }

            return l;
        }

        var checkedValues = new List<(string What, float[] Values, float[] Analytic)>();
        for (int k = 0; k < inputs.Count; k++)
        {
            checkedValues.Add(($"input '{graph.Inputs[k].Name}'", inputs[k].Data, inputGrads[k].Data));
        }

        if (checkParameters)
        {
            var ps = graph.TrainableParameters.ToArray();
            for (int k = 0; k < ps.Length; k++)
            {
                checkedValues.Add(($"parameter '{ps[k].Name}'", ps[k].Value.Data, paramGrads[k].Data));
            }
        }

        double noise = LossNoise(checkedValues, Loss);
        foreach ((string what, float[] values, float[] analytic) in checkedValues)
        {
            Compare(what, values, analytic, Loss, step, tolerance, noise);
        }
    }

    /// <summary>
    /// The float32 rounding noise of the loss: the largest |L(x + δ) − L(x) − g·δ| over a few single-element nudges
    /// δ ≈ 1e-6·|x| spread over every checked tensor (g is the analytic gradient; its error would matter only at 1e-6).
    /// </summary>
    private static double LossNoise(List<(string What, float[] Values, float[] Analytic)> tensors, Func<double> loss)
    {
        double center = loss();
        double noise = 0;
        var rng = new Rng(4242);
        foreach ((_, float[] values, float[] analytic) in tensors)
        {
            for (int k = 0; k < Math.Min(8, values.Length); k++)
            {
                int i = rng.NextInt(values.Length);
                float original = values[i];
                float nudged = (float)(original + (Math.Max(Math.Abs(original), 1e-2f) * 1e-6));
                values[i] = nudged;
                double moved = loss();
                values[i] = original;
                noise = Math.Max(noise, Math.Abs(moved - center - (analytic[i] * ((double)nudged - original))));
            }
        }

        return noise;
    }

    private static void Compare(string what, float[] values, float[] analytic, Func<double> loss, double step, double tolerance, double noise)
    {
        var numeric = new double[values.Length];
        var kink = new double[values.Length];
        double center = loss();
        double scale = 1e-3;
        for (int i = 0; i < values.Length; i++)
        {
            float original = values[i];
            float up = (float)(original + step);
            float down = (float)(original - step);
            values[i] = up;
            double plus = loss();
            values[i] = down;
            double minus = loss();
            values[i] = original;
            // NOTE: divide by the steps actually taken in float32, not the nominal one.
            numeric[i] = (plus - minus) / ((double)up - down);
            kink[i] = Math.Abs(((plus - center) / ((double)up - original)) - ((center - minus) / ((double)original - down)));
            scale = Math.Max(scale, Math.Max(Math.Abs(numeric[i]), Math.Abs(analytic[i])));
        }

        int skipped = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double err = Math.Abs(numeric[i] - analytic[i]);
            double allowed = (tolerance * Math.Abs(numeric[i])) + (tolerance * 0.1 * scale) + (2 * noise / ((double)(float)(values[i] + step) - (float)(values[i] - step)));
            if (err <= allowed)
            {
                continue;
            }

            // NOTE: a non-smooth point (ReLU or max crossing) within ±step makes the one-sided slopes disagree by
            // about as much as the central error; such elements are not evidence either way. Too many of them fail.
            if (kink[i] > 0.5 * err)
            {
                skipped++;
                continue;
            }

            throw new Xunit.Sdk.XunitException($"Gradient of {what} element {i}: analytic {analytic[i]:G6}, numeric {numeric[i]:G6} (error {err:G3} > allowed {allowed:G3}; loss rounding noise {noise:G3}).");
        }

        if (skipped > Math.Max(1, values.Length / 10))
        {
            throw new Xunit.Sdk.XunitException($"Gradient of {what}: {skipped} of {values.Length} elements sit on kinks; choose inputs away from them.");
        }
    }

    /// <summary>A tensor of uniform values in [lo, hi); with <paramref name="awayFromZero"/> magnitudes stay above it (for kinks at 0).</summary>
    public static Tensor Random(Rng rng, float lo, float hi, int[] shape, float awayFromZero = 0f)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++)
        {
            float v;
            do
            {
                v = lo + ((hi - lo) * rng.NextSingle());
            }
            while (MathF.Abs(v) < awayFromZero);
            t.Data[i] = v;
        }

        return t;
    }
}
