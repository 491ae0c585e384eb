using System.Diagnostics;
using SeqLens.Graphs;
using SeqLens.Training.Losses;
using SeqLens.Training.Metrics;
using SeqLens.Training.Optimizers;

namespace SeqLens.Training;

/// <summary>
/// Trains a single-input graph on in-memory tensors: <c>x (N, 4, L)</c> and labels <c>y (N, T)</c> (or class indices
/// <c>(N)</c> for a softmax output), in seeded shuffled minibatches, with per-epoch validation (loss, auROC, auPRC per
/// task), early stopping with patience, an optional plateau scheduler and gradient clipping, and the best epoch's
/// parameters restored at the end.
/// </summary>
/// <remarks>
/// Determinism: shuffles use <c>Rng.For(seed, epoch)</c>, dropout masks come from the executor's (seed, step), and the
/// kernels give the same bits for any thread count, so one seed gives bit-identical weights for any
/// <see cref="Kernels.KernelThreads.MaxDegree"/>. The library never prints: progress goes to <see cref="IProgress{T}"/>.
/// </remarks>
public sealed class Trainer
{
    private const long ShuffleStream = 0x5F1E;

    /// <summary>A trainer for <paramref name="graph"/>'s first output.</summary>
    public Trainer(Graph graph, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= new TrainerOptions();
        options.Validate();
        if (graph.Inputs.Count != 1)
        {
            throw new ArgumentException($"The trainer needs a single-input model; this one has {graph.Inputs.Count} inputs.", nameof(graph));
        }

        Graph = graph;
        Options = options;
        Loss = options.Loss ?? Loss.For(graph.Outputs[0].Activation);
    }

    /// <summary>The model being trained.</summary>
    public Graph Graph { get; }

    /// <summary>The settings.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The loss in use.</summary>
    public Loss Loss { get; }

    /// <summary>
    /// Trains on (<paramref name="x"/>, <paramref name="y"/>), validating on (<paramref name="validX"/>,
    /// <paramref name="validY"/>) after every epoch when given.
    /// </summary>
    public TrainingResult Fit(Tensor x, Tensor y, Tensor? validX = null, Tensor? validY = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckData(x, y, "training");
        if ((validX is null) != (validY is null))
        {
            throw new ArgumentException("Give both validation inputs and labels, or neither.");
        }

        if (validX is not null)
        {
            CheckData(validX, validY!, "validation");
        }

        bool hasValidation = validX is not null && validX.Shape[0] > 0;
        MonitoredMetric monitor = hasValidation ? Options.Monitor : MonitoredMetric.Loss;
        MetricMode mode = monitor == MonitoredMetric.Loss ? MetricMode.Min : MetricMode.Max;
        Optimizer optimizer = CreateOptimizer();
        ReduceLearningRateOnPlateau? scheduler = Options.PlateauFactor is double factor
            ? new ReduceLearningRateOnPlateau(optimizer, mode, factor, Options.PlateauPatience, minLearningRate: Options.MinLearningRate)
            : null;

        var train = new Executor(Graph, Options.Seed) { Training = true };
        var eval = new Executor(Graph, Options.Seed);
        int n = x.Shape[0];
        int xRow = x.Length / n;
        int yRow = y.Length / n;
        int[] order = Enumerable.Range(0, n).ToArray();
        Parameter[] all = Graph.Parameters.ToArray();
        float[][] checkpoint = all.Select(p => (float[])p.Value.Data.Clone()).ToArray();
        var history = new List<EpochReport>();
        double best = mode == MetricMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
        int bestEpoch = 0;
        int badEpochs = 0;
        bool stoppedEarly = false;
        Tensor? xb = null, yb = null, grad = null;

        for (int epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            double learningRate = optimizer.LearningRate;
            if (Options.Shuffle)
            {
                Array.Sort(order);
                Rng.For(Options.Seed, ShuffleStream, epoch).Shuffle(order.AsSpan());
            }

            double lossSum = 0;
            for (int start = 0; start < n; start += Options.BatchSize)
            {
                int count = Math.Min(Options.BatchSize, n - start);
                if (xb is null || xb.Shape[0] != count)
                {
                    xb = new Tensor([count, .. x.Shape[1..]]);
                    yb = new Tensor([count, .. y.Shape[1..]]);
                }

                for (int i = 0; i < count; i++)
                {
                    int row = order[start + i];
                    Array.Copy(x.Data, row * xRow, xb.Data, i * xRow, xRow);
                    Array.Copy(y.Data, row * yRow, yb!.Data, i * yRow, yRow);
                }

                Tensor logits = train.Forward(xb);
                if (grad is null || !grad.SameShape(logits))
                {
                    grad = new Tensor(logits.Shape);
                }

                lossSum += Loss.Compute(logits, yb!, grad) * count;
                optimizer.ZeroGrad();
                train.Backward(grad, BackwardOptions.Training);
                if (Options.MaxGradientNorm is double maxNorm)
                {
                    GradientClipping.ClipByGlobalNorm(optimizer.Parameters, maxNorm);
                }

                optimizer.Step();
            }

            double trainLoss = lossSum / n;
            double validLoss = double.NaN;
            TaskMetrics? metrics = null;
            if (hasValidation)
            {
                Tensor logits = Predictor.Predict(eval, validX!, Options.EvaluationBatchSize);
                validLoss = Loss.Compute(logits, Loss is CrossEntropyLoss ? validY! : validY!.Reshape(logits.Shape));
                metrics = TaskMetrics.Compute(logits, validY!);
            }

            double monitored = monitor switch
            {
                MonitoredMetric.Auroc => metrics!.MeanAuroc,
                MonitoredMetric.Auprc => metrics!.MeanAuprc,
                _ => hasValidation ? validLoss : trainLoss,
            };

            bool isBest = mode == MetricMode.Min ? monitored < best : monitored > best;
            if (isBest || bestEpoch == 0)
            {
                best = monitored;
                bestEpoch = epoch;
                badEpochs = 0;
                for (int k = 0; k < all.Length; k++)
                {
                    all[k].Value.Data.CopyTo(checkpoint[k], 0);
                }
            }
            else
            {
                badEpochs++;
            }

            var report = new EpochReport(epoch, trainLoss, validLoss, metrics, learningRate, monitored, bestEpoch == epoch, clock.Elapsed);
            history.Add(report);
            progress?.Report(report);
            scheduler?.Step(monitored);
            if (Options.Patience is int patience && badEpochs >= patience)
            {
                stoppedEarly = epoch < Options.Epochs;
                break;
            }
        }

        if (Options.RestoreBest)
        {
            for (int k = 0; k < all.Length; k++)
            {
                checkpoint[k].CopyTo(all[k].Value.Data, 0);
            }
        }
        else
        {
            bestEpoch = history.Count;
        }

        return new TrainingResult(history, bestEpoch, stoppedEarly);
    }

    private Optimizer CreateOptimizer() => Options.Optimizer switch
    {
        OptimizerKind.AdamW => new AdamW(Graph.TrainableParameters, Options.LearningRate, weightDecay: Options.WeightDecay),
        OptimizerKind.Sgd => new Sgd(Graph.TrainableParameters, Options.LearningRate, Options.Momentum, weightDecay: Options.WeightDecay, nesterov: Options.Nesterov),
        _ => new Adam(Graph.TrainableParameters, Options.LearningRate, weightDecay: Options.WeightDecay),
    };

    private void CheckData(Tensor x, Tensor y, string what)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int[] sample = Graph.Inputs[0].SampleShape;
        if (x.Rank != sample.Length + 1 || !x.Shape.AsSpan(1).SequenceEqual(sample))
        {
            throw new ArgumentException($"The {what} inputs must be (N, {string.Join(", ", sample)}); got {Tensor.FormatShape(x.Shape)}.");
        }

        if (x.Shape[0] == 0 && what == "training")
        {
            throw new ArgumentException("The training set is empty.");
        }

        int tasks = Graph.Outputs[0].Node.SampleShape.Aggregate(1, (a, d) => a * d);
        bool classIndices = Loss is CrossEntropyLoss;
        int expected = classIndices ? 1 : tasks;
        if (y.Shape[0] != x.Shape[0] || y.Length != (long)x.Shape[0] * expected)
        {
            string want = classIndices ? $"({x.Shape[0]}) class indices" : $"({x.Shape[0]}, {tasks})";
            throw new ArgumentException($"The {what} labels must be {want}; got {Tensor.FormatShape(y.Shape)}.");
        }
    }
}
