using SeqLens.Graphs;

namespace SeqLens.Attribution.Ism;

/// <summary>
/// In-silico mutagenesis (ISM, saturation mutagenesis): every single-base substitution of a window of each sequence,
/// scored per task as <see cref="IsmScore.Difference"/> or <see cref="IsmScore.LogRatio"/> against the reference.
/// </summary>
/// <remarks>
/// <para>Input <c>(N, 4, L)</c> one-hot (A, C, G, T) for a graph with one input of per-sample shape <c>(4, L)</c>;
/// output <see cref="IsmResult.Scores"/> <c>(N, T, 4, L)</c> where T is the size of one sample of the scored output.
/// Identity edits (the reference base) are skipped and score 0; columns that are not one-hot (N) get all four bases.
/// Mutant column = the base's unit vector.</para>
/// <para><see cref="IsmMethod.Fast"/> recomputes only what a substitution can change (fastISM, Sasse et al. 2023,
/// <c>doi:10.1093/bioinformatics/btad050</c>; Yuzu, Schreiber et al. 2022, uses the same receptive-field bound), and
/// equals <see cref="IsmMethod.Naive"/> up to float32 rounding (tests: 1e-4). Reverse-complement averaging follows
/// tangermeme's strand-symmetric use: ISM of RC(x), mapped back (base b at p ↔ base 3 − b at L − 1 − p), averaged.</para>
/// </remarks>
public sealed class InSilicoMutagenesis
{
    private readonly Graph _graph;
    private readonly IsmOptions _options;

    /// <summary>ISM of <paramref name="graph"/> with <paramref name="options"/> (defaults: fast, difference, whole sequence).</summary>
    public InSilicoMutagenesis(Graph graph, IsmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _graph = graph;
        _options = options ?? new IsmOptions();
        if (graph.Inputs.Count != 1 || graph.Inputs[0].SampleShape is not [4, _])
        {
            throw new ArgumentException($"ISM needs a model with one (batch, 4, length) input; got inputs {string.Join(", ", graph.Inputs.Select(i => $"{i.Name} {Tensor.FormatShape(i.SampleShape)}"))}.", nameof(graph));
        }

        if ((uint)_options.OutputIndex >= (uint)graph.Outputs.Count)
        {
            throw new ArgumentException($"Output index {_options.OutputIndex} is out of range; the model has {graph.Outputs.Count} output(s).", nameof(options));
        }

        if (_options.BatchSize < 1)
        {
            throw new ArgumentException($"Batch size must be at least 1; got {_options.BatchSize}.", nameof(options));
        }

        GraphOutput output = graph.Outputs[_options.OutputIndex];
        if (_options.Score == IsmScore.LogRatio && output.Activation == OutputActivation.None)
        {
            throw new ArgumentException($"The log-ratio score needs a sigmoid or softmax output; output '{output.Node.Name}' has no activation. Use the difference score.", nameof(options));
        }
    }

    /// <summary>Length of the model's input.</summary>
    public int Length => _graph.Inputs[0].SampleShape[1];

    /// <summary>Scores every substitution in the window of each sequence of <paramref name="oneHot"/> <c>(N, 4, L)</c>.</summary>
    public IsmResult Attribute(Tensor oneHot, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(oneHot);
        int length = Length;
        if (oneHot.Rank != 3 || oneHot.Shape[1] != 4 || oneHot.Shape[2] != length)
        {
            throw new ArgumentException($"ISM expects (batch, 4, {length}); got {Tensor.FormatShape(oneHot.Shape)}.", nameof(oneHot));
        }

        int start = _options.Start;
        int end = _options.End ?? length;
        if (start < 0 || end > length || start >= end)
        {
            throw new ArgumentException($"ISM window [{start}, {end}) must lie inside [0, {length}) and be non-empty.", nameof(oneHot));
        }

        int n = oneHot.Shape[0];
        int windowEdits = 4 * (end - start);
        int batch = Math.Min(_options.BatchSize, windowEdits);
        MutantEvaluator evaluator = _options.Method == IsmMethod.Fast
            ? new FastMutantEvaluator(_graph, _options.OutputIndex, length, batch)
            : new NaiveMutantEvaluator(_graph, _options.OutputIndex, length, batch);
        int tasks = evaluator.Tasks;
        GraphOutput output = _graph.Outputs[_options.OutputIndex];
        var scores = new Tensor(n, tasks, 4, length);
        var reference = new Tensor(n, tasks);
        var rcScores = new float[tasks * 4 * length];
        var rcSequence = new float[4 * length];
        var rcReference = new float[tasks];
        var scorer = new Scorer(evaluator, _options.Score, output.Activation, tasks, length);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> x = oneHot.Data.AsSpan(i * 4 * length, 4 * length);
            Span<float> s = scores.Data.AsSpan(i * tasks * 4 * length, tasks * 4 * length);
            scorer.Run(x, start, end, s, reference.Data.AsSpan(i * tasks, tasks));
            if (_options.ReverseComplementAverage)
            {
                Sequences.ReverseComplement.OneHot(x, rcSequence);
                Array.Clear(rcScores);
                scorer.Run(rcSequence, length - end, length - start, rcScores, rcReference);
                for (int t = 0; t < tasks; t++)
                {
                    for (int b = 0; b < 4; b++)
                    {
                        for (int p = start; p < end; p++)
                        {
                            int at = (((t * 4) + b) * length) + p;
                            s[at] = 0.5f * (s[at] + rcScores[(((t * 4) + (3 - b)) * length) + (length - 1 - p)]);
                        }
                    }
                }
            }

            progress?.Report(i + 1);
        }

        IReadOnlyList<string> names = output.TaskNames.Count == tasks
            ? output.TaskNames
            : Enumerable.Range(0, tasks).Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new IsmResult(scores, reference, names, start, end);
    }

    /// <summary>Enumerates the edits of one sequence, evaluates them in batches and writes their scores.</summary>
    private sealed class Scorer(MutantEvaluator evaluator, IsmScore score, OutputActivation activation, int tasks, int length)
    {
        private readonly int[] _positions = new int[evaluator.BatchSize];
        private readonly int[] _bases = new int[evaluator.BatchSize];
        private readonly float[] _outputs = new float[evaluator.BatchSize * tasks];
        private readonly double[] _referenceLog = new double[tasks];

        public void Run(ReadOnlySpan<float> x, int start, int end, Span<float> scores, Span<float> reference)
        {
            evaluator.SetReference(x, reference);
            LogProbabilities(reference, _referenceLog);
            int count = 0;
            for (int p = start; p < end; p++)
            {
                for (int b = 0; b < 4; b++)
                {
                    if (IsIdentity(x, b, p))
                    {
                        continue;
                    }

                    _positions[count] = p;
                    _bases[count] = b;
                    if (++count == _positions.Length)
                    {
                        Flush(count, reference, scores);
                        count = 0;
                    }
                }
            }

            Flush(count, reference, scores);
        }

        private bool IsIdentity(ReadOnlySpan<float> x, int b, int p)
        {
            for (int c = 0; c < 4; c++)
            {
                if (x[(c * length) + p] != (c == b ? 1f : 0f))
                {
                    return false;
                }
            }

            return true;
        }

        private void Flush(int count, ReadOnlySpan<float> reference, Span<float> scores)
        {
            if (count == 0)
            {
                return;
            }

            evaluator.Evaluate(_positions.AsSpan(0, count), _bases.AsSpan(0, count), _outputs);
            Span<double> log = stackalloc double[score == IsmScore.LogRatio ? tasks : 0];
            for (int m = 0; m < count; m++)
            {
                ReadOnlySpan<float> y = _outputs.AsSpan(m * tasks, tasks);
                if (score == IsmScore.LogRatio)
                {
                    LogProbabilities(y, log);
                }

                for (int t = 0; t < tasks; t++)
                {
                    double value = score == IsmScore.LogRatio ? log[t] - _referenceLog[t] : (double)y[t] - reference[t];
                    scores[(((t * 4) + _bases[m]) * length) + _positions[m]] = (float)value;
                }
            }
        }

        /// <summary>log σ(z) = −softplus(−z) per task, or log_softmax(z) over the tasks (in double).</summary>
        private void LogProbabilities(ReadOnlySpan<float> z, Span<double> log)
        {
            if (score != IsmScore.LogRatio)
            {
                return;
            }

            if (activation == OutputActivation.Sigmoid)
            {
                for (int t = 0; t < z.Length; t++)
                {
                    double v = z[t];
                    log[t] = -(Math.Max(-v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v))));
                }

                return;
            }

            double max = double.NegativeInfinity;
            foreach (float v in z)
            {
                max = Math.Max(max, v);
            }

            double sum = 0;
            foreach (float v in z)
            {
                sum += Math.Exp(v - max);
            }

            double lse = max + Math.Log(sum);
            for (int t = 0; t < z.Length; t++)
            {
                log[t] = z[t] - lse;
            }
        }
    }
}
