using SeqLens.Graphs.Ops;

namespace SeqLens.Graphs;

/// <summary>
/// An evaluation-mode <see cref="BatchNorm1dOp"/> folded into the <see cref="Conv1dOp"/> that feeds it (inference and
/// gradient passes only): the batch-norm is the per-channel affine map <c>y = s·x + t</c> with <c>s = γ/√(σ² + ε)</c> and
/// <c>t = β − μ·s</c>, so the pair is one convolution with weights <c>W'[co] = s[co]·W[co]</c> and bias
/// <c>b'[co] = s[co]·b[co] + t[co]</c>; its input gradient is <c>W'ᵀ·dy</c>. Optionally a ReLU that alone consumes the
/// batch-norm runs in the convolution's GEMM epilogue. Equal to the unfolded pair up to float rounding.
/// </summary>
/// <remarks>
/// The pair is linear, so its DeepLIFT multipliers (Rescale, RevealCancel) are its gradient and the fold holds under the
/// DeepLIFT rules too; in the split pass the W⁺/W⁻ split of the folded weights (<see cref="SplitWeights"/>) equals the
/// composition of the convolution's split with the batch-norm's (a negative scale swaps Δ⁺ and Δ⁻:
/// <c>(s·W)⁺ = s·W⁻</c> for s &lt; 0).
/// </remarks>
/// <param name="conv">The convolution node (its value and gradient are not computed while folded).</param>
/// <param name="batchNorm">The batch-norm node fed by <paramref name="conv"/> alone.</param>
/// <param name="relu">The ReLU node fed by <paramref name="batchNorm"/> alone and computed in the epilogue, or null (then
/// the batch-norm's value is the folded convolution's output).</param>
internal sealed class BatchNormFold(Node conv, Node batchNorm, Node? relu)
{
    private readonly Conv1dOp _conv = (Conv1dOp)conv.Op;
    private readonly BatchNorm1dOp _bn = (BatchNorm1dOp)batchNorm.Op;

    public Node Conv { get; } = conv;

    public Node BatchNorm { get; } = batchNorm;

    public Node? Relu { get; } = relu;

    /// <summary>Folded weights <c>(Cout, Cin/groups, K)</c>, as of the last <see cref="Refresh"/>.</summary>
    public float[] Weight { get; } = new float[((Conv1dOp)conv.Op).Weight.Value.Length];

    /// <summary>Folded bias <c>(Cout)</c>, as of the last <see cref="Refresh"/>.</summary>
    public float[] Bias { get; } = new float[((Conv1dOp)conv.Op).OutChannels];

    private float[]? _weightPos;
    private float[]? _weightNeg;
    private bool _splitReady;

    /// <summary>W'⁺ = max(W', 0) and W'⁻ = min(W', 0) of the folded weights (the split pass), as of the last <see cref="Refresh"/>.</summary>
    public (float[] Pos, float[] Neg) SplitWeights()
    {
        _weightPos ??= new float[Weight.Length];
        _weightNeg ??= new float[Weight.Length];
        if (!_splitReady)
        {
            System.Numerics.Tensors.TensorPrimitives.Max(Weight, 0f, _weightPos);
            System.Numerics.Tensors.TensorPrimitives.Min(Weight, 0f, _weightNeg);
            _splitReady = true;
        }

        return (_weightPos, _weightNeg);
    }

    /// <summary>Recomputes the folded weights and bias from the current parameters (every forward: parameters may change in place).</summary>
    public void Refresh()
    {
        _splitReady = false;
        float[] w = _conv.Weight.Value.Data;
        int channels = _conv.OutChannels;
        int per = w.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            (float scale, float shift) = _bn.EvaluationAffine(c);
            System.Numerics.Tensors.TensorPrimitives.Multiply(w.AsSpan(c * per, per), scale, Weight.AsSpan(c * per, per));
            Bias[c] = ((_conv.Bias is null ? 0f : _conv.Bias.Value.Data[c]) * scale) + shift;
        }
    }

    /// <summary>
    /// The folds of <paramref name="nodes"/> (topological order): a Conv1d whose only consumer is the next node, an
    /// evaluation batch-norm with that single input; neither in <paramref name="keep"/> (their values are observed) nor a
    /// graph output; both after <paramref name="firstRun"/> − 1 (earlier nodes do not run). With <paramref name="fuseRelu"/>,
    /// a ReLU right after that alone consumes the batch-norm (which then must not be kept either) joins the fold.
    /// </summary>
    public static BatchNormFold?[] Plan(Graph graph, Node[] nodes, ISet<Node> keep, bool fuseRelu, int firstRun)
    {
        var consumers = new int[nodes.Length];
        foreach (Node n in nodes)
        {
            foreach (Node input in n.Inputs)
            {
                consumers[input.Index]++;
            }
        }

        foreach (GraphOutput o in graph.Outputs)
        {
            consumers[o.Node.Index] += 2; // an output is observed: never folded away
        }

        var folds = new BatchNormFold?[nodes.Length];
        for (int i = Math.Max(0, firstRun); i + 1 < nodes.Length; i++)
        {
            Node c = nodes[i];
            Node b = nodes[i + 1];
            if (c.Op is not Conv1dOp || c.Inputs.Count != 1 || consumers[i] != 1 || keep.Contains(c)
                || b.Op is not BatchNorm1dOp || b.Inputs.Count != 1 || !ReferenceEquals(b.Inputs[0], c))
            {
                continue;
            }

            Node? r = null;
            if (fuseRelu && i + 2 < nodes.Length && consumers[i + 1] == 1 && !keep.Contains(b)
                && nodes[i + 2].Op is ReluOp && nodes[i + 2].Inputs.Count == 1 && ReferenceEquals(nodes[i + 2].Inputs[0], b))
            {
                r = nodes[i + 2];
            }

            var fold = new BatchNormFold(c, b, r);
            folds[i] = fold;
            folds[i + 1] = fold;
            if (r is not null)
            {
                folds[i + 2] = fold;
            }
        }

        return folds;
    }
}
