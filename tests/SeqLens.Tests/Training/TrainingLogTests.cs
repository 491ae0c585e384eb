using SeqLens.Training;
using SeqLens.Training.Metrics;

namespace SeqLens.Tests.Training;

public class TrainingLogTests
{
    [Fact]
    public void Write_FixedColumnsDecimalsAndBestFlag()
    {
        var result = new TrainingResult(
            [
                new EpochReport(1, 0.5, 0.45, new TaskMetrics([0.75, double.NaN], [0.5, 0.25]), 1e-3, 0.45, true, TimeSpan.FromSeconds(3)),
                new EpochReport(2, 0.25, 0.5, new TaskMetrics([0.8, 0.9], [0.6, 0.7]), 1e-4, 0.5, false, TimeSpan.FromSeconds(2)),
            ],
            BestEpoch: 1,
            StoppedEarly: false);
        var w = new StringWriter();
        TrainingLog.Write(w, result, ["x", "y"]);
        Assert.Equal(
            "epoch\ttrain_loss\tvalid_loss\tlearning_rate\tauroc_x\tauroc_y\tauprc_x\tauprc_y\tbest\n" +
            "1\t0.500000\t0.450000\t0.001\t0.750000\tNA\t0.500000\t0.250000\t1\n" +
            "2\t0.250000\t0.500000\t0.0001\t0.800000\t0.900000\t0.600000\t0.700000\t0\n",
            w.ToString());
        Assert.Equal("epoch 1/5  train loss 0.5000  valid loss 0.4500  auROC 0.7500  auPRC 0.3750  lr 0.001  3.0s  *", TrainingLog.FormatEpoch(result.History[0], 5));
        var json = TrainingLog.ToJson(new Trainer(TrainerTestData.Cnn(8, 2, 0), new TrainerOptions { Seed = 3 }), result, 10, 2);
        Assert.Equal(1, json["best"]!["epoch"]!.GetValue<int>());
        Assert.Null(json["best"]!["valid_auroc"]![1]);
        Assert.Equal("adam", json["optimizer"]!.GetValue<string>());
        Assert.Equal("bce", json["loss"]!.GetValue<string>());
    }
}
