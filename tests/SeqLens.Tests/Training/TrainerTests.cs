using SeqLens.Graphs;
using SeqLens.Kernels;
using SeqLens.Training;

namespace SeqLens.Tests.Training;

public class TrainerTests
{
    [Fact]
    public void Fit_LearnsPlantedMotifs_ValidationAurocHigh()
    {
        var (x, y) = TrainerTestData.Motifs(400, 24, 1);
        var (vx, vy) = TrainerTestData.Motifs(200, 24, 2);
        Graph g = TrainerTestData.Cnn(24, 2, seed: 3);
        var reports = new List<EpochReport>();
        var result = new Trainer(g, new TrainerOptions { Epochs = 25, BatchSize = 32, LearningRate = 0.02, Seed = 4, Monitor = MonitoredMetric.Auroc, Patience = 6 })
            .Fit(x, y, vx, vy, new SyncProgress(reports));
        Assert.Equal(result.History.Count, reports.Count);
        Assert.True(result.Best.Validation!.Auroc[0] > 0.9, $"GATA auROC {result.Best.Validation!.Auroc[0]}");
        Assert.True(result.Best.Validation!.Auroc[1] > 0.9, $"CCGG auROC {result.Best.Validation!.Auroc[1]}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss);
    }

    [Fact]
    public void Fit_SameSeed_BitIdenticalWeightsForOneAndTwoThreads()
    {
        var (x, y) = TrainerTestData.Motifs(96, 16, 5);
        int saved = KernelThreads.MaxDegree;
        try
        {
            float[] Run(int threads)
            {
                KernelThreads.MaxDegree = threads;
                Graph g = TrainerTestData.Cnn(16, 2, seed: 6);
                new Trainer(g, new TrainerOptions { Epochs = 3, BatchSize = 20, Seed = 7, LearningRate = 0.01 }).Fit(x, y);
                return g.Parameters.SelectMany(p => p.Value.Data).ToArray();
            }

            float[] a = Run(1);
            float[] b = Run(2);
            float[] c = Run(1);
            Assert.Equal(a, b);
            Assert.Equal(a, c);
        }
        finally
        {
            KernelThreads.MaxDegree = saved;
        }
    }

    [Fact]
    public void Fit_DropoutAndBatchNorm_DeterministicAndEvalDiffersFromTraining()
    {
        var (x, y) = TrainerTestData.Motifs(80, 16, 5);
        int saved = KernelThreads.MaxDegree;
        try
        {
            Graph Run(int threads)
            {
                KernelThreads.MaxDegree = threads;
                Graph g = TrainerTestData.Cnn(16, 2, seed: 6, regularised: true);
                new Trainer(g, new TrainerOptions { Epochs = 3, BatchSize = 16, Seed = 7, LearningRate = 0.01 }).Fit(x, y);
                return g;
            }

            Graph a = Run(2);
            Graph b = Run(1);
            Assert.Equal(a.Parameters.SelectMany(p => p.Value.Data), b.Parameters.SelectMany(p => p.Value.Data));
            // Running statistics were updated (they are parameters too, and part of the checkpoint).
            Assert.Contains(a.Parameters, p => !p.Trainable && p.Value.Data.Any(v => v != 0f && v != 1f));
            // Evaluation is deterministic (dropout off, running statistics); a training-mode pass is not the same function.
            var (vx, _) = TrainerTestData.Motifs(8, 16, 9);
            Tensor e1 = Predictor.Predict(a, vx);
            Tensor e2 = Predictor.Predict(a, vx, batchSize: 3);
            Assert.Equal(e1.Data, e2.Data);
            var train = new Executor(a, seed: 1) { Training = true };
            Assert.NotEqual(e1.Data, train.Forward(vx).Data);
        }
        finally
        {
            KernelThreads.MaxDegree = saved;
        }
    }

    [Fact]
    public void Fit_DifferentSeed_DifferentShuffleAndWeights()
    {
        var (x, y) = TrainerTestData.Motifs(64, 16, 5);
        Graph g1 = TrainerTestData.Cnn(16, 2, seed: 6);
        Graph g2 = TrainerTestData.Cnn(16, 2, seed: 6);
        new Trainer(g1, new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 1 }).Fit(x, y);
        new Trainer(g2, new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 2 }).Fit(x, y);
        Assert.NotEqual(g1.Parameters[0].Value.Data, g2.Parameters[0].Value.Data);
    }

    [Fact]
    public void Fit_RandomLabels_StopsEarlyAndRestoresBestEpoch()
    {
        var (x, y) = TrainerTestData.Motifs(128, 16, 8);
        var (vx, _) = TrainerTestData.Motifs(64, 16, 9);
        var rng = new Rng(10);
        var vy = Tensor.FromValues(Enumerable.Range(0, 128).Select(_ => (float)rng.NextInt(2)).ToArray(), 64, 2);
        Graph g = TrainerTestData.Cnn(16, 2, seed: 11);
        TrainingResult result = new Trainer(g, new TrainerOptions { Epochs = 40, BatchSize = 16, LearningRate = 0.05, Patience = 2, Seed = 12 }).Fit(x, y, vx, vy);
        Assert.True(result.StoppedEarly);
        Assert.Equal(result.BestEpoch + 2, result.History.Count);
        Assert.Equal(result.History.Min(r => r.ValidationLoss), result.Best.ValidationLoss);
        // The model now holds the best epoch's parameters: its validation loss is that epoch's.
        Tensor logits = Predictor.Predict(g, vx);
        double loss = new SeqLens.Training.Losses.BinaryCrossEntropyWithLogitsLoss().Compute(logits, vy);
        Assert.Equal(result.Best.ValidationLoss, loss, 9);
    }

    [Fact]
    public void Fit_PlateauScheduler_ReducesLearningRate()
    {
        var (x, y) = TrainerTestData.Motifs(64, 16, 8);
        var rng = new Rng(3);
        var vy = Tensor.FromValues(Enumerable.Range(0, 64).Select(_ => (float)rng.NextInt(2)).ToArray(), 32, 2);
        var (vx, _) = TrainerTestData.Motifs(32, 16, 9);
        Graph g = TrainerTestData.Cnn(16, 2, seed: 11);
        TrainingResult result = new Trainer(g, new TrainerOptions { Epochs = 8, BatchSize = 16, LearningRate = 0.05, Patience = null, PlateauFactor = 0.5, PlateauPatience = 0, Seed = 1 }).Fit(x, y, vx, vy);
        Assert.Equal(8, result.History.Count);
        Assert.Contains(result.History, r => r.LearningRate < 0.05);
        Assert.All(result.History.Skip(1).Zip(result.History), p => Assert.True(p.First.LearningRate <= p.Second.LearningRate));
    }

    [Fact]
    public void Fit_SoftmaxClasses_CrossEntropyAndOneVsRestMetrics()
    {
        // Four classes: no motif, GATA only, CCGG only, both.
        static Tensor Classes(Tensor y) => Tensor.FromValues(Enumerable.Range(0, y.Shape[0]).Select(i => y.Data[2 * i] + (2 * y.Data[(2 * i) + 1])).ToArray(), y.Shape[0]);
        var (x, y2) = TrainerTestData.Motifs(400, 24, 1);
        var (vx, vy2) = TrainerTestData.Motifs(200, 24, 2);
        var b = new GraphBuilder(3);
        var h = b.GlobalMaxPool(b.Relu(b.Conv1d(b.Input("dna", 4, 24), 8, 4)));
        Graph g = b.Build(b.Dense(h, 4), ["none", "gata", "ccgg", "both"], OutputActivation.Softmax);
        var trainer = new Trainer(g, new TrainerOptions { Epochs = 20, BatchSize = 32, LearningRate = 0.02, Seed = 4, Optimizer = OptimizerKind.Sgd, Momentum = 0.9, Nesterov = true });
        Assert.IsType<SeqLens.Training.Losses.CrossEntropyLoss>(trainer.Loss);
        TrainingResult result = trainer.Fit(x, Classes(y2), vx, Classes(vy2));
        Assert.Equal(4, result.Best.Validation!.Auroc.Count);
        Assert.True(result.Best.Validation.MeanAuroc > 0.85, $"mean one-vs-rest auROC {result.Best.Validation.MeanAuroc}");
        Tensor probs = Predictor.Predict(g, vx, applyActivation: true);
        Assert.Equal(1.0, probs.Data[..4].Sum(v => (double)v), 1e-5);
    }

    [Fact]
    public void Fit_MaskedLabels_TaskWithoutLabelsStaysUntrained()
    {
        var (x, y) = TrainerTestData.Motifs(64, 16, 5);
        for (int i = 0; i < 64; i++)
        {
            y.Data[(2 * i) + 1] = -1f;
        }

        Graph g = TrainerTestData.Cnn(16, 2, seed: 6);
        var dense = (SeqLens.Graphs.Ops.DenseOp)g["out"].Op;
        float[] before = dense.Weight.Value.Data[8..16];
        float biasBefore = dense.Bias!.Value.Data[1];
        new Trainer(g, new TrainerOptions { Epochs = 2, BatchSize = 16, Optimizer = OptimizerKind.Sgd, Momentum = 0 }).Fit(x, y);
        // With plain SGD a task whose labels are all masked gets zero gradient: its output row never moves.
        Assert.Equal(before, dense.Weight.Value.Data[8..16]);
        Assert.Equal(biasBefore, dense.Bias.Value.Data[1]);
        Assert.NotEqual(0f, dense.Bias.Value.Data[0]);
    }

    [Fact]
    public void Fit_WrongShapes_SayExpectedAndGot()
    {
        Graph g = TrainerTestData.Cnn(16, 2, seed: 1);
        var trainer = new Trainer(g);
        var ex = Assert.Throws<ArgumentException>(() => trainer.Fit(new Tensor(4, 4, 15), new Tensor(4, 2)));
        Assert.Contains("(N, 4, 16)", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => trainer.Fit(new Tensor(4, 4, 16), new Tensor(4, 3)));
        Assert.Contains("(4, 2)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Trainer(g, new TrainerOptions { BatchSize = 0 }));
    }

    [Fact]
    public void Predict_AppliesActivation()
    {
        Graph g = TrainerTestData.Cnn(16, 2, seed: 1);
        var (x, _) = TrainerTestData.Motifs(5, 16, 1);
        Tensor logits = Predictor.Predict(g, x, batchSize: 2);
        Tensor probs = Predictor.Predict(g, x, batchSize: 3, applyActivation: true);
        for (int i = 0; i < logits.Length; i++)
        {
            Assert.Equal(1 / (1 + Math.Exp(-logits.Data[i])), probs.Data[i], 1e-6);
        }
    }

    private sealed class SyncProgress(List<EpochReport> sink) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => sink.Add(value);
    }
}
