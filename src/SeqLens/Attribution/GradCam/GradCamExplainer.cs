using SeqLens.Graphs;

namespace SeqLens.Attribution.GradCam;

/// <summary>
/// 1-D Grad-CAM (Selvaraju et al. 2017, "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
/// Localization") on a named node with a length axis (a convolution, pooling, activation or QRNN node), with the
/// Grad-CAM++ weights (Chattopadhyay et al. 2018) as an option and guided Grad-CAM as cam × gradient × input.
/// </summary>
/// <remarks>
/// <para>For activations <c>A</c> <c>(C, Lnode)</c> of the node and the target score S (a logit, or a difference of two;
/// <see cref="GradCamTarget"/>), with <c>g = ∂S/∂A</c> from one backward pass:</para>
/// <para>Grad-CAM: <c>w_c = (1/Lnode)·Σ_p g_cp</c>. Grad-CAM++ (their closed form for an exponential output Y = exp(S),
/// eq. 19): <c>α_cp = g_cp² / (2·g_cp² + Σ_q A_cq·g_cp³)</c> (0 where the denominator is 0) and
/// <c>w_c = Σ_p α_cp·ReLU(g_cp)</c>; the common factor exp(S) is dropped, as in the authors' code.</para>
/// <para><c>cam_p = Σ_c w_c·A_cp</c>, then ReLU unless disabled. Nucleotide scores come from the node's
/// <see cref="ReceptiveField"/>, not from resizing: nucleotide i gets the mean (default) or max of cam_p over the node
/// positions p whose field contains i, and 0 when none does.</para>
/// <para>Guided Grad-CAM (the paper's guided backpropagation × upsampled cam) is computed here as nucleotide cam ×
/// gradient × input per channel: guided backpropagation needs the GuidedBackprop rule on ReLU, which the attribution
/// work adds to the element-wise ops.</para>
/// <para>One executor per instance: not thread-safe; results do not depend on the batch size.</para>
/// </remarks>
public sealed class GradCamExplainer
{
    private readonly Graph _graph;
    private readonly Node _node;
    private readonly Executor _executor;

    /// <summary>Grad-CAM on node <paramref name="layer"/> of <paramref name="graph"/> (single <c>(channels, length)</c> input).</summary>
    /// <exception cref="ArgumentException">No such node, or it has no position-wise receptive field.</exception>
    public GradCamExplainer(Graph graph, string layer, GradCamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(layer);
        _graph = graph;
        _node = graph[layer];
        Options = options ?? new GradCamOptions();
        Field = ReceptiveField.Of(graph, _node, Options.Recurrence);
        if (graph.Outputs[0].Node.SampleShape.Length != 1)
        {
            throw new ArgumentException($"Grad-CAM needs a first output of per-sample shape (tasks); '{graph.Outputs[0].Node.Name}' has {Tensor.FormatShape(graph.Outputs[0].Node.SampleShape)}.");
        }

        _executor = new Executor(graph);
    }

    /// <summary>The options in use.</summary>
    public GradCamOptions Options { get; }

    /// <summary>The node's receptive field.</summary>
    public ReceptiveField Field { get; }

    /// <summary>Grad-CAM of <paramref name="target"/> for the batch <paramref name="x"/> <c>(N, channels, L)</c>.</summary>
    public GradCamResult Attribute(Tensor x, GradCamTarget target)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor output = _executor.Forward(x);
        int n = x.Shape[0];
        int tasks = output.Shape[1];
        if (target.Task < 0 || target.Task >= tasks || target.Contrast is < 0 || target.Contrast >= tasks)
        {
            throw new ArgumentException($"Grad-CAM target task {target.Task}{(target.Contrast is int c ? $" (contrast {c})" : "")} is out of range: the model has {tasks} tasks ({string.Join(", ", _graph.Outputs[0].TaskNames)}).", nameof(target));
        }

        var seed = new Tensor(output.Shape);
        for (int b = 0; b < n; b++)
        {
            seed[b, target.Task] += 1f;
            if (target.Contrast is int contrast)
            {
                seed[b, contrast] -= 1f;
            }
        }

        var outputGrads = new Tensor?[_graph.Outputs.Count];
        outputGrads[0] = seed;
        _executor.Backward(outputGrads, BackwardOptions.InputOnly);
        Tensor a = _executor.Value(_node);
        Tensor g = _executor.Gradient(_node) ?? new Tensor(a.Shape);
        int channels = a.Shape[1];
        int positions = a.Shape[2];
        var weights = new Tensor(n, channels);
        var cam = new Tensor(n, positions);
        for (int b = 0; b < n; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<float> ac = a.Data.AsSpan(((b * channels) + c) * positions, positions);
                ReadOnlySpan<float> gc = g.Data.AsSpan(((b * channels) + c) * positions, positions);
                double w = Options.PlusPlus ? PlusPlusWeight(ac, gc) : Mean(gc);
                weights[b, c] = (float)w;
                for (int p = 0; p < positions; p++)
                {
                    cam.Data[(b * positions) + p] += (float)(w * ac[p]);
                }
            }

            if (Options.Relu)
            {
                Span<float> row = cam.Data.AsSpan(b * positions, positions);
                for (int p = 0; p < positions; p++)
                {
                    row[p] = Math.Max(row[p], 0f);
                }
            }
        }

        Tensor nucleotide = ToNucleotides(cam, n);
        Tensor? guided = null;
        if (Options.Guided)
        {
            Tensor dx = _executor.Gradient(_graph.Inputs[0]) ?? new Tensor(x.Shape);
            guided = new Tensor(x.Shape);
            int xc = x.Shape[1], len = x.Shape[2];
            for (int b = 0; b < n; b++)
            {
                for (int c = 0; c < xc; c++)
                {
                    for (int i = 0; i < len; i++)
                    {
                        int k = (((b * xc) + c) * len) + i;
                        guided.Data[k] = nucleotide.Data[(b * len) + i] * x.Data[k] * dx.Data[k];
                    }
                }
            }
        }

        return new GradCamResult(cam, nucleotide, weights, guided, Field);
    }

    private static double Mean(ReadOnlySpan<float> g)
    {
        double s = 0;
        foreach (float v in g)
        {
            s += v;
        }

        return s / g.Length;
    }

    private static double PlusPlusWeight(ReadOnlySpan<float> a, ReadOnlySpan<float> g)
    {
        double sumA = 0;
        foreach (float v in a)
        {
            sumA += v;
        }

        double w = 0;
        for (int p = 0; p < g.Length; p++)
        {
            double g1 = g[p], g2 = g1 * g1;
            double denominator = (2 * g2) + (sumA * g2 * g1);
            // NOTE: α = 0 where the denominator vanishes (g = 0, or the rare exact cancellation), as the authors' code.
            double alpha = denominator != 0 ? g2 / denominator : 0;
            w += alpha * Math.Max(g1, 0);
        }

        return w;
    }

    private Tensor ToNucleotides(Tensor cam, int n)
    {
        int len = Field.InputLength;
        int positions = Field.NodeLength;
        var result = new Tensor(n, len);
        var count = new int[len];
        for (int p = 0; p < positions; p++)
        {
            for (int i = Field.Start[p]; i < Field.End[p]; i++)
            {
                count[i]++;
            }
        }

        bool max = Options.Aggregation == NucleotideAggregation.Max;
        for (int b = 0; b < n; b++)
        {
            Span<float> row = result.Data.AsSpan(b * len, len);
            ReadOnlySpan<float> c = cam.Data.AsSpan(b * positions, positions);
            if (max)
            {
                row.Fill(float.NegativeInfinity);
            }

            for (int p = 0; p < positions; p++)
            {
                for (int i = Field.Start[p]; i < Field.End[p]; i++)
                {
                    row[i] = max ? Math.Max(row[i], c[p]) : row[i] + c[p];
                }
            }

            for (int i = 0; i < len; i++)
            {
                row[i] = count[i] == 0 ? 0f : max ? row[i] : row[i] / count[i];
            }
        }

        return result;
    }
}
