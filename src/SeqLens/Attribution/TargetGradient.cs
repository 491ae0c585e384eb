using SeqLens.Graphs;

namespace SeqLens.Attribution;

/// <summary>Gradient of a target's score with respect to the single graph input, batch by batch (shared by the gradient methods).</summary>
internal sealed class TargetGradient
{
    private readonly Executor _executor;
    private readonly Node _seedNode;
    private readonly float[] _weights;

    public TargetGradient(Graph graph, AttributionTarget target)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(target);
        if (graph.Inputs.Count != 1)
        {
            throw new ArgumentException($"Gradient attribution needs a model with one input; this one has {graph.Inputs.Count}.", nameof(graph));
        }

        Graph = graph;
        _executor = new Executor(graph);
        (_seedNode, _weights) = target.Resolve(graph);
        ModelHash = Attribution.ModelHash.Compute(graph);
    }

    public Graph Graph { get; }

    public string ModelHash { get; }

    public void CheckInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int[] expected = Graph.Inputs[0].SampleShape;
        if (x.Rank != expected.Length + 1 || !x.Shape.AsSpan(1).SequenceEqual(expected) || x.Shape[0] == 0)
        {
            throw new ArgumentException($"The model expects input (N ≥ 1, {string.Join(", ", expected)}); got {Tensor.FormatShape(x.Shape)}.", nameof(x));
        }
    }

    /// <summary>Target scores Σ w·v per row (double).</summary>
    public double[] Scores(Tensor batch)
    {
        _executor.Forward(batch);
        return ScoresOfLastForward(batch.Shape[0]);
    }

    /// <summary>
    /// Writes d(score)/d(input) of the first <paramref name="seededRows"/> rows (default all) into <paramref name="gradient"/>
    /// (same shape as the batch; other rows get zero); returns the scores of every row.
    /// </summary>
    public double[] Gradient(Tensor batch, Tensor gradient, int seededRows = -1)
    {
        seededRows = seededRows < 0 ? batch.Shape[0] : seededRows;
        _executor.Forward(batch);
        double[] scores = ScoresOfLastForward(batch.Shape[0]);
        Tensor value = _executor.Value(_seedNode);
        var seed = new Tensor(value.Shape);
        for (int r = 0; r < seededRows; r++)
        {
            _weights.CopyTo(seed.Data.AsSpan(r * _weights.Length, _weights.Length));
        }

        _executor.Backward(_seedNode, seed, BackwardOptions.InputOnly);
        Tensor? g = _executor.Gradient(Graph.Inputs[0]);
        if (g is null)
        {
            Array.Clear(gradient.Data);
        }
        else
        {
            g.Data.CopyTo(gradient.Data, 0);
        }

        return scores;
    }

    private double[] ScoresOfLastForward(int rows)
    {
        Tensor value = _executor.Value(_seedNode);
        var scores = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int k = 0; k < _weights.Length; k++)
            {
                s += (double)_weights[k] * value.Data[(r * _weights.Length) + k];
            }

            scores[r] = s;
        }

        return scores;
    }
}
