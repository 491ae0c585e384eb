using SeqLens.Graphs;

namespace SeqLens.Attribution;

/// <summary>
/// DeepLIFT (Shrikumar et al. 2017) as one <see cref="Executor.Backward(Node, Tensor, BackwardOptions)"/> with DeepLIFT
/// rules (DESIGN.md §3), averaged over R references per sequence (DeepLIFT-SHAP when the references are samples of a
/// background distribution, Lundberg &amp; Lee 2017): <c>new DeepLift(graph).Attribute(x, references, target)</c>.
/// </summary>
/// <remarks>
/// <para>Input <c>x</c> is <c>(N, C, L)</c> (one graph input). For each pair (x_i, reference x0_ij) the backward gives
/// multipliers m at the input; in the split (RevealCancel) pass m⁺ applies where the difference is positive and m⁻
/// where it is negative (<c>sel(d)</c> below; both equal m otherwise).</para>
/// <para>Hypothetical contributions follow tangermeme's <c>hypothetical_attributions</c>
/// (tangermeme/deep_lift_shap.py; also the DeepSHAP genomics notebook of Shrikumar's shap fork): for each base c the
/// hypothetical input e_c (one-hot c at every position) gives <c>hyp[c, l] = Σ_c' sel(d)·d</c> with
/// <c>d = e_c[c'] − x0[c', l]</c>, i.e. <c>m[c, l] − Σ_c' m[c', l]·x0[c', l]</c> without the split, averaged over the
/// references. <see cref="AttributionResult.Contributions"/> = hyp·x (for one-hot x the position's total placed on the
/// base present); <see cref="DeepLiftResult.DifferenceContributions"/> = mean of m·(x − x0) per channel (DeepLIFT's own
/// per-channel scores; column sums agree with the former for one-hot x).</para>
/// <para>Batching: with <see cref="DeepLiftOptions.ShareInputRows"/> the batch is <c>[x_1..x_b; refs of x_1; ...]</c> and each
/// reference row carries its pair's multipliers (<see cref="RowPairs.Shared"/>): the input row's forward is computed once
/// for all its references, and forward and backward run on b(R + 1) rows instead of 2bR. The multipliers depend on the
/// pair, so each pair still needs its own backward row — the saving is the input rows only: 21 instead of 40 rows per
/// sequence at R = 20, measured 0.31 s vs 0.88 s per sequence on the full Basset-like model (2 shared, loaded cores;
/// bench/SeqLens.Bench/Attribution), so it is the default.</para>
/// <para>Every pair's completeness delta <c>Σ m·(x − x0) − (f(x) − f(x0))</c> is recorded, and the audit
/// (<see cref="CompletenessReport"/>) names the first node whose own summation-to-delta fails when a pair exceeds the
/// tolerance.</para>
/// <para>Evaluation batch-norms are folded into the convolutions before them (<see cref="Executor.FoldBatchNorm"/>; exact up
/// to float rounding, since both are linear), and a max pool's paired rule runs the Rescale rule of the ReLU before it in
/// the same pass (<see cref="Executor.FuseReluMaxPool"/>; bit-identical for non-overlapping pools). A node asked for by
/// <see cref="NodeContributions"/> is kept out of both. The culprit search needs every node's own values, so when a pair
/// fails the audit its chunk is run once more unfused, on a second executor, and searched there
/// (<see cref="DeepLiftOptions"/>' internal <c>Fusion</c> switch turns both off).</para>
/// </remarks>
public sealed class DeepLift
{
    private readonly Executor _executor;
    private readonly BackwardRule[] _rules;
    private readonly string _modelHash;

    /// <summary>DeepLIFT on <paramref name="graph"/> (evaluation mode).</summary>
    public DeepLift(Graph graph, DeepLiftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.Inputs.Count != 1)
        {
            throw new ArgumentException($"DeepLIFT needs a model with one input; this one has {graph.Inputs.Count}.", nameof(graph));
        }

        Graph = graph;
        Options = options ?? new DeepLiftOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.BatchSize);
        _rules = DeepLiftRules.Resolve(graph, Options.Rule);
        _executor = new Executor(graph) { FoldBatchNorm = Options.Fusion, FuseReluMaxPool = Options.Fusion };
        _modelHash = ModelHash.Compute(graph);
    }

    /// <summary>The model.</summary>
    public Graph Graph { get; }

    /// <summary>The settings.</summary>
    public DeepLiftOptions Options { get; }

    /// <summary>The rule name recorded in results: <c>rescale</c>, <c>reveal-cancel</c> or <c>genomics</c>.</summary>
    public string RuleName => Options.Rule switch
    {
        DeepLiftRule.RevealCancel => "reveal-cancel",
        DeepLiftRule.Genomics => "genomics",
        _ => "rescale",
    };

    /// <summary>Contributions of <paramref name="x"/> <c>(N, C, L)</c> to <paramref name="target"/>, averaged over the references.</summary>
    public DeepLiftResult Attribute(Tensor x, AttributionReferences references, AttributionTarget target, string method = "deeplift")
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(target);
        CheckInput(x);
        int n = x.Shape[0];
        int channels = x.Shape[1];
        int sample = x.Length / n;
        int length = sample / channels;
        int refs = references.Count;
        var hyp = new Tensor(x.Shape);
        var diff = new Tensor(x.Shape);
        var deltas = new double[n * refs];
        var targetDeltas = new double[n * refs];
        var audit = new AuditState();
        Run(x, references, target, null, (chunk, first, count, pairRow) =>
        {
            Node input = Graph.Inputs[0];
            Tensor value = _executor.Value(input);
            float[] mp = _executor.Gradient(input)!.Data;
            float[] mn = (_executor.GradientNeg(input) ?? _executor.Gradient(input)!).Data;
            for (int i = 0; i < count; i++)
            {
                int seq = first + i;
                for (int j = 0; j < refs; j++)
                {
                    int r = pairRow(i, j);
                    int xr = chunk.Pairs.InputRow[r] * sample;
                    int rr = chunk.Pairs.ReferenceRow[r] * sample;
                    int mr = r * sample;
                    double sum = 0;
                    for (int k = 0; k < sample; k++)
                    {
                        float d = value.Data[xr + k] - value.Data[rr + k];
                        float m = d > 0f ? mp[mr + k] : mn[mr + k];
                        sum += (double)m * d;
                        diff.Data[(seq * sample) + k] += m * d / refs;
                    }

                    for (int l = 0; l < length; l++)
                    {
                        for (int c = 0; c < channels; c++)
                        {
                            double h = 0;
                            for (int c2 = 0; c2 < channels; c2++)
                            {
                                int k = (c2 * length) + l;
                                float d = (c == c2 ? 1f : 0f) - value.Data[rr + k];
                                h += (double)(d > 0f ? mp[mr + k] : mn[mr + k]) * d;
                            }

                            hyp.Data[(seq * sample) + (c * length) + l] += (float)(h / refs);
                        }
                    }

                    double expected = chunk.TargetDelta[r];
                    deltas[(seq * refs) + j] = sum - expected;
                    targetDeltas[(seq * refs) + j] = expected;
                    audit.Check(this, chunk, r, seq, j, sum - expected, expected);
                }
            }
        });

        var contrib = new Tensor(x.Shape);
        System.Numerics.Tensors.TensorPrimitives.Multiply(hyp.Data, x.Data, contrib.Data);
        return new DeepLiftResult
        {
            Contributions = contrib,
            Hypothetical = hyp,
            DifferenceContributions = diff,
            Deltas = deltas,
            TargetDeltas = targetDeltas,
            ReferencesPerSequence = refs,
            Method = method,
            Rule = RuleName,
            References = references.Description,
            Seed = references.Seed,
            ModelHash = _modelHash,
            Target = target.Description,
            Audit = audit.Report(Options),
        };
    }

    /// <summary>
    /// DeepLIFT scores of the neurons of node <paramref name="nodeName"/>: multiplier × difference-from-reference at that
    /// node (<c>sel(Δ)·Δ</c>), averaged over the references; shape <c>(N, node's per-sample shape)</c>.
    /// </summary>
    public Tensor NodeContributions(Tensor x, AttributionReferences references, AttributionTarget target, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(target);
        CheckInput(x);
        Node node = Graph[nodeName];
        int n = x.Shape[0];
        int size = node.SampleShape.Aggregate(1, (a, b) => a * b);
        var result = new Tensor([n, .. node.SampleShape]);
        int refs = references.Count;
        Run(x, references, target, node, (chunk, first, count, pairRow) =>
        {
            Tensor delta = _executor.Delta(node);
            Tensor? mp = _executor.Gradient(node);
            if (mp is null)
            {
                return;
            }

            Tensor mn = _executor.GradientNeg(node) ?? mp;
            for (int i = 0; i < count; i++)
            {
                for (int j = 0; j < refs; j++)
                {
                    int r = pairRow(i, j);
                    for (int k = 0; k < size; k++)
                    {
                        float d = delta.Data[(r * size) + k];
                        float m = d > 0f ? mp.Data[(r * size) + k] : mn.Data[(r * size) + k];
                        result.Data[((first + i) * size) + k] += m * d / refs;
                    }
                }
            }
        });

        return result;
    }

    private void CheckInput(Tensor x)
    {
        int[] expected = Graph.Inputs[0].SampleShape;
        if (x.Rank != expected.Length + 1 || !x.Shape.AsSpan(1).SequenceEqual(expected) || expected.Length != 2)
        {
            throw new ArgumentException($"DeepLIFT expects input (N, {string.Join(", ", expected)}) of a (channels, length) model input; got {Tensor.FormatShape(x.Shape)}.", nameof(x));
        }
    }

    /// <summary>
    /// Runs forward and backward per chunk; <c>visit(chunk, firstSequence, count, pairRow(i, j))</c> reads the executor.
    /// <paramref name="keep"/>: a node whose value and multipliers are read (never folded away), or null.
    /// </summary>
    private void Run(Tensor x, AttributionReferences references, AttributionTarget target, Node? keep, Action<Chunk, int, int, Func<int, int, int>> visit)
    {
        (Node seedNode, float[] weights) = target.Resolve(Graph);
        if (_executor.FoldBatchNorm && !_executor.KeepNodes.SetEquals(keep is null ? [] : [keep]))
        {
            _executor.KeepNodes = keep is null ? new HashSet<Node>() : new HashSet<Node> { keep }; // re-plans the folds
        }

        int n = x.Shape[0];
        int channels = x.Shape[1];
        int sample = x.Length / n;
        int refs = references.Count;
        int seedSize = weights.Length;
        for (int first = 0; first < n; first += Options.BatchSize)
        {
            int count = Math.Min(Options.BatchSize, n - first);
            bool shared = Options.ShareInputRows;
            int rows = shared ? count * (refs + 1) : 2 * count * refs;
            RowPairs pairs = shared ? RowPairs.Shared(count, refs) : RowPairs.Stacked(count * refs);
            Func<int, int, int> pairRow = shared ? (i, j) => count + (i * refs) + j : (i, j) => (i * refs) + j;
            var batch = new Tensor([rows, .. x.Shape[1..]]);
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<float> seq = x.Data.AsSpan((first + i) * sample, sample);
                if (shared)
                {
                    seq.CopyTo(batch.Data.AsSpan(i * sample, sample));
                }

                for (int j = 0; j < refs; j++)
                {
                    int r = pairRow(i, j);
                    if (!shared)
                    {
                        seq.CopyTo(batch.Data.AsSpan(r * sample, sample));
                    }

                    references.Fill(seq, channels, first + i, j, batch.Data.AsSpan(pairs.ReferenceRow[r] * sample, sample));
                }
            }

            _executor.Forward(batch);
            Tensor seedValue = _executor.Value(seedNode);
            var seed = new Tensor(seedValue.Shape);
            var targetDelta = new double[rows];
            for (int r = 0; r < rows; r++)
            {
                if (!pairs.HasPair(r))
                {
                    continue;
                }

                weights.CopyTo(seed.Data.AsSpan(r * seedSize, seedSize));
                double d = 0;
                int a = pairs.InputRow[r] * seedSize;
                int b = pairs.ReferenceRow[r] * seedSize;
                for (int k = 0; k < seedSize; k++)
                {
                    d += weights[k] * ((double)seedValue.Data[a + k] - seedValue.Data[b + k]);
                }

                targetDelta[r] = d;
            }

            var options = new BackwardOptions { NodeRules = _rules, Pairs = pairs, InputGradients = true };
            _executor.Backward(seedNode, seed, options);
            visit(new Chunk(pairs, targetDelta, batch, seedNode, seed, options), first, count, pairRow);
        }
    }

    /// <summary>
    /// The executor holding every node's own values and multipliers for <paramref name="chunk"/> (the culprit search): the
    /// main one when it folds nothing, else a second, unfolded executor that re-runs the chunk.
    /// </summary>
    private Executor Unfolded(Chunk chunk)
    {
        if (!_executor.FoldBatchNorm)
        {
            return _executor;
        }

        _auditExecutor ??= new Executor(Graph);
        _auditExecutor.Forward(chunk.Batch);
        _auditExecutor.Backward(chunk.SeedNode, chunk.Seed, chunk.Options);
        return _auditExecutor;
    }

    private Executor? _auditExecutor;

    /// <summary>One chunk's pairs and target deltas, and what is needed to run it again (batch, seed, options).</summary>
    private sealed record Chunk(RowPairs Pairs, double[] TargetDelta, Tensor Batch, Node SeedNode, Tensor Seed, BackwardOptions Options);

    /// <summary>Collects the worst delta and, for the first failing pair, the culprit node.</summary>
    private sealed class AuditState
    {
        private double _max;
        private int _failed;
        private int _seq = -1;
        private int _ref = -1;
        private string? _culprit;
        private double _gap;

        public void Check(DeepLift owner, Chunk chunk, int row, int seq, int reference, double delta, double expected)
        {
            _max = Math.Max(_max, Math.Abs(delta));
            if (Math.Abs(delta) <= (owner.Options.RelativeTolerance * Math.Abs(expected)) + owner.Options.AbsoluteTolerance)
            {
                return;
            }

            _failed++;
            if (_seq >= 0)
            {
                return;
            }

            _seq = seq;
            _ref = reference;
            Executor exec = owner.Unfolded(chunk);
            foreach (Node node in owner.Graph.Nodes)
            {
                if (node.IsInput || exec.Gradient(node) is null)
                {
                    continue;
                }

                NodeConservation c = exec.Conservation(node);
                double allowed = (owner.Options.RelativeTolerance * Math.Abs(expected)) + owner.Options.AbsoluteTolerance + (1e-5 * c.Magnitude[row]);
                if (c.Gap(row) > allowed)
                {
                    _culprit = node.Name;
                    _gap = c.Gap(row);
                    return;
                }
            }
        }

        public CompletenessReport Report(DeepLiftOptions o) => new(_max, o.RelativeTolerance, o.AbsoluteTolerance, _failed, _seq, _ref, _culprit, _gap);
    }
}
