using SeqLens.Graphs;

namespace SeqLens.Training;

/// <summary>Runs a trained graph over many samples in batches (evaluation mode) and gathers its first output.</summary>
public static class Predictor
{
    /// <summary>
    /// The first output for every row of <paramref name="x"/> (<c>(N, ...)</c> matching the graph's single input),
    /// as a new <c>(N, T)</c> tensor of logits, or of predictions when <paramref name="applyActivation"/> is true.
    /// </summary>
    public static Tensor Predict(Graph graph, Tensor x, int batchSize = 256, bool applyActivation = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Predict(new Executor(graph), x, batchSize, applyActivation);
    }

    /// <summary>As <see cref="Predict(Graph, Tensor, int, bool)"/>, reusing <paramref name="executor"/> (switched to evaluation mode).</summary>
    public static Tensor Predict(Executor executor, Tensor x, int batchSize = 256, bool applyActivation = false)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Graph graph = executor.Graph;
        if (graph.Inputs.Count != 1)
        {
            throw new ArgumentException($"Predict needs a single-input model; this one has {graph.Inputs.Count} inputs.");
        }

        int n = x.Shape[0];
        GraphOutput output = graph.Outputs[0];
        int tasks = output.Node.SampleShape.Aggregate(1, (a, d) => a * d);
        var result = new Tensor(n, tasks);
        executor.Training = false;
        int rowLength = n == 0 ? 0 : x.Length / n;
        for (int start = 0; start < n; start += batchSize)
        {
            int count = Math.Min(batchSize, n - start);
            var batch = new Tensor(x.Data.AsSpan(start * rowLength, count * rowLength).ToArray(), [count, .. x.Shape[1..]]);
            Tensor y = executor.Forward(batch);
            y.Data.CopyTo(result.Data, start * tasks);
        }

        if (applyActivation)
        {
            ApplyActivation(result, output.Activation);
        }

        return result;
    }

    /// <summary>
    /// Turns logits <c>(N, T)</c> into predictions in place: sigmoid per element, softmax per row, or nothing.
    /// </summary>
    public static void ApplyActivation(Tensor logits, OutputActivation activation)
    {
        ArgumentNullException.ThrowIfNull(logits);
        Span<float> v = logits.Data;
        switch (activation)
        {
            case OutputActivation.Sigmoid:
                for (int i = 0; i < v.Length; i++)
                {
                    double x = v[i];
                    v[i] = (float)(x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x)));
                }

                break;
            case OutputActivation.Softmax:
                int width = logits.Shape[^1];
                for (int r = 0; r < v.Length / width; r++)
                {
                    Span<float> row = v.Slice(r * width, width);
                    double max = double.NegativeInfinity;
                    foreach (float f in row)
                    {
                        max = Math.Max(max, f);
                    }

                    double z = 0;
                    foreach (float f in row)
                    {
                        z += Math.Exp(f - max);
                    }

                    for (int c = 0; c < width; c++)
                    {
                        row[c] = (float)(Math.Exp(row[c] - max) / z);
                    }
                }

                break;
            default:
                break;
        }
    }
}
