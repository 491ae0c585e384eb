using System.Globalization;
using System.Text.Json.Nodes;
using SeqLens.IO;

namespace SeqLens.Training;

/// <summary>
/// Writes a training history as tab-separated text: one row per epoch with <c>epoch</c>, <c>train_loss</c>,
/// <c>valid_loss</c>, <c>learning_rate</c>, then <c>auroc_&lt;task&gt;</c> and <c>auprc_&lt;task&gt;</c> per task, and
/// <c>best</c> (1 on the epoch whose parameters were kept).
/// </summary>
/// <remarks>Deterministic: fixed decimals, invariant culture, no times; missing values are <c>NA</c>.</remarks>
public static class TrainingLog
{
    /// <summary>Writes the log of <paramref name="result"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, TrainingResult result, IReadOnlyList<string> taskNames)
    {
        ArgumentNullException.ThrowIfNull(result);
        AtomicFile.WriteText(path, w => Write(w, result, taskNames));
    }

    /// <summary>Writes the log of <paramref name="result"/> to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, TrainingResult result, IReadOnlyList<string> taskNames)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(taskNames);
        var header = new List<string> { "epoch", "train_loss", "valid_loss", "learning_rate" };
        header.AddRange(taskNames.Select(t => "auroc_" + t));
        header.AddRange(taskNames.Select(t => "auprc_" + t));
        header.Add("best");
        writer.Write(string.Join('\t', header) + "\n");
        foreach (EpochReport r in result.History)
        {
            var row = new List<string>
            {
                r.Epoch.ToString(CultureInfo.InvariantCulture),
                Number(r.TrainLoss),
                Number(r.ValidationLoss),
                r.LearningRate.ToString("G6", CultureInfo.InvariantCulture),
            };
            for (int t = 0; t < taskNames.Count; t++)
            {
                row.Add(Number(r.Validation is null || t >= r.Validation.Auroc.Count ? double.NaN : r.Validation.Auroc[t]));
            }

            for (int t = 0; t < taskNames.Count; t++)
            {
                row.Add(Number(r.Validation is null || t >= r.Validation.Auprc.Count ? double.NaN : r.Validation.Auprc[t]));
            }

            row.Add(r.Epoch == result.BestEpoch ? "1" : "0");
            writer.Write(string.Join('\t', row) + "\n");
        }
    }

    /// <summary>One human-readable progress line for <paramref name="report"/> (what the CLI shows per epoch).</summary>
    public static string FormatEpoch(EpochReport report, int maxEpochs)
    {
        ArgumentNullException.ThrowIfNull(report);
        string valid = report.Validation is null
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"  valid loss {report.ValidationLoss:F4}  auROC {report.Validation.MeanAuroc:F4}  auPRC {report.Validation.MeanAuprc:F4}");
        return string.Create(CultureInfo.InvariantCulture, $"epoch {report.Epoch}/{maxEpochs}  train loss {report.TrainLoss:F4}{valid}  lr {report.LearningRate:G3}  {report.Elapsed.TotalSeconds:F1}s{(report.IsBest ? "  *" : string.Empty)}");
    }

    /// <summary>
    /// The settings and outcome of a training run for <c>model.json</c>'s metadata: optimiser, learning rate, weight
    /// decay, batch size, epochs, patience, monitor, seed, set sizes, and the best epoch's losses and per-task areas.
    /// </summary>
    public static JsonObject ToJson(Trainer trainer, TrainingResult result, int trainCount, int validCount)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(result);
        TrainerOptions options = trainer.Options;
        var best = new JsonObject
        {
            ["epoch"] = result.BestEpoch,
            ["train_loss"] = Round(result.Best.TrainLoss),
        };
        if (result.Best.Validation is { } m)
        {
            best["valid_loss"] = Round(result.Best.ValidationLoss);
            best["valid_auroc"] = new JsonArray(m.Auroc.Select(v => (JsonNode?)Round(v)).ToArray());
            best["valid_auprc"] = new JsonArray(m.Auprc.Select(v => (JsonNode?)Round(v)).ToArray());
        }

        return new JsonObject
        {
            ["optimizer"] = options.Optimizer.ToString().ToLowerInvariant(),
            ["loss"] = trainer.Loss.Name,
            ["learning_rate"] = options.LearningRate,
            ["weight_decay"] = options.WeightDecay,
            ["batch_size"] = options.BatchSize,
            ["max_epochs"] = options.Epochs,
            ["epochs_run"] = result.History.Count,
            ["patience"] = options.Patience,
            ["monitor"] = options.Monitor.ToString().ToLowerInvariant(),
            ["max_gradient_norm"] = options.MaxGradientNorm,
            ["plateau_factor"] = options.PlateauFactor,
            ["seed"] = options.Seed,
            ["train_sequences"] = trainCount,
            ["valid_sequences"] = validCount,
            ["best"] = best,
        };
    }

    private static double? Round(double v) => double.IsNaN(v) ? null : Math.Round(v, 6);

    private static string Number(double v) => double.IsNaN(v) ? "NA" : v.ToString("F6", CultureInfo.InvariantCulture);
}
