using SeqLens.Graphs;

namespace SeqLens.Attribution.Ism;

/// <summary>Every mutant through the whole graph: batches of <c>(M, 4, L)</c> one-hot sequences through an <see cref="Executor"/>.</summary>
internal sealed class NaiveMutantEvaluator : MutantEvaluator
{
    private readonly Executor _executor;
    private readonly int _outputIndex;
    private readonly int _length;
    private readonly int _batchSize;
    private readonly float[] _reference;
    private readonly Tensor _single;
    private readonly Dictionary<int, Tensor> _batches = [];

    public NaiveMutantEvaluator(Graph graph, int outputIndex, int length, int batchSize)
    {
        _executor = new Executor(graph);
        _outputIndex = outputIndex;
        _length = length;
        _batchSize = batchSize;
        _reference = new float[4 * length];
        _single = new Tensor(1, 4, length);
        Tasks = graph.Outputs[outputIndex].Node.SampleShape.Aggregate(1, (a, b) => a * b);
    }

    public override int BatchSize => _batchSize;

    public override int Tasks { get; }

    public override void SetReference(ReadOnlySpan<float> oneHot, Span<float> output)
    {
        oneHot.CopyTo(_reference);
        oneHot.CopyTo(_single.Data);
        _executor.Forward([_single])[_outputIndex].Data.AsSpan(0, Tasks).CopyTo(output);
    }

    public override void Evaluate(ReadOnlySpan<int> positions, ReadOnlySpan<int> bases, Span<float> outputs)
    {
        int m = positions.Length;
        if (!_batches.TryGetValue(m, out Tensor? batch))
        {
            batch = new Tensor(m, 4, _length);
            _batches[m] = batch;
        }

        for (int i = 0; i < m; i++)
        {
            Span<float> x = batch.Data.AsSpan(i * 4 * _length, 4 * _length);
            _reference.CopyTo(x);
            for (int c = 0; c < 4; c++)
            {
                x[(c * _length) + positions[i]] = c == bases[i] ? 1f : 0f;
            }
        }

        _executor.Forward([batch])[_outputIndex].Data.AsSpan(0, m * Tasks).CopyTo(outputs);
    }
}
