using SeqLens.Graphs;

namespace SeqLens.Attribution.Ism;

/// <summary>
/// Fast ISM for any graph with one <c>(4, L)</c> input: position-local nodes (<see cref="WindowNode.TryCreate"/>)
/// recompute only the window a substitution can change, from their inputs' windows and the reference activations;
/// every other node runs normally on full activations (the reference with each mutant's window patched in).
/// </summary>
/// <remarks>
/// Windows: for each local node the changed interval of a substitution at input position p is propagated through the
/// graph (conv/pool: output t is changed when its receptive field <c>[t·s − pad, t·s − pad + d(k−1)]</c> meets the
/// changed input interval; element-wise ops keep it; Add, Sub, Mul and channel Concat take the hull; Pad shifts it).
/// A node's window width is the widest such interval over all p, so a batch mixes positions with one buffer shape;
/// windows are clamped inside the sequence, so positions near the edges recompute a few unchanged values.
/// Convolutions work on deltas: <c>conv(x') = conv(x) + conv(x' − x)</c>, with <c>x' − x</c> nonzero only in the
/// input's window, computed for all mutants as one product with the weights laid out once (<see cref="RightMatrix"/>).
/// Nodes that are not provably local (Flatten, Dense, global pooling, transposes, reshapes, anything unknown) are
/// computed in full, once per batch of mutants, by their own forward.
/// </remarks>
internal sealed partial class FastMutantEvaluator : MutantEvaluator
{
    private readonly Graph _graph;
    private readonly Node[] _nodes;
    private readonly WindowNode?[] _windows;
    private readonly Executor _referenceExecutor;
    private readonly Tensor _single;
    private readonly int _outputIndex;
    private readonly int _length;
    private readonly int _batchSize;
    private readonly int[] _positions;
    private readonly int[] _bases;

    public FastMutantEvaluator(Graph graph, int outputIndex, int length, int batchSize)
    {
        _graph = graph;
        _outputIndex = outputIndex;
        _length = length;
        _batchSize = batchSize;
        _nodes = graph.Nodes.ToArray();
        _windows = new WindowNode?[_nodes.Length];
        _referenceExecutor = new Executor(graph);
        _single = new Tensor(1, 4, length);
        _positions = new int[batchSize];
        _bases = new int[batchSize];
        Tasks = graph.Outputs[outputIndex].Node.SampleShape.Aggregate(1, (a, b) => a * b);

        var local = new bool[_nodes.Length];
        foreach (Node node in _nodes)
        {
            WindowNode? w = node.IsInput
                ? new WindowNode(node, WindowKind.Input, 4, length)
                : WindowNode.TryCreate(node, local);
            _windows[node.Index] = w;
            local[node.Index] = w is not null;
        }

        PlanWindows();
        AllocateBuffers();
        CreateTail();
    }

    public override int BatchSize => _batchSize;

    public override int Tasks { get; }

    /// <summary>Names of the nodes computed on windows (for tests and diagnostics).</summary>
    public IEnumerable<string> LocalNodes => _windows.Where(w => w is not null).Select(w => w!.Node.Name);

    /// <summary>Window width of a local node.</summary>
    public int WidthOf(string name) => _windows[_graph[name].Index]?.Width ?? -1;

    public override void SetReference(ReadOnlySpan<float> oneHot, Span<float> output)
    {
        oneHot.CopyTo(_single.Data);
        _referenceExecutor.Forward([_single])[_outputIndex].Data.AsSpan(0, Tasks).CopyTo(output);
        foreach (WindowNode? w in _windows)
        {
            if (w is null)
            {
                continue;
            }

            float[] value = _referenceExecutor.Value(w.Node).Data; // (1, C, L)
            value.AsSpan(0, w.ReferenceFull.Length).CopyTo(w.ReferenceFull);
            float[] t = w.ReferenceT; // (L, C)
            int c = w.Channels, l = w.Length;
            for (int ch = 0; ch < c; ch++)
            {
                for (int p = 0; p < l; p++)
                {
                    t[(p * c) + ch] = value[(ch * l) + p];
                }
            }
        }
    }

    public override void Evaluate(ReadOnlySpan<int> positions, ReadOnlySpan<int> bases, Span<float> outputs)
    {
        int count = positions.Length;
        if (count == 0)
        {
            return;
        }

        // Fixed buffer shapes: a short batch repeats its last mutant (its extra outputs are dropped).
        for (int m = 0; m < _batchSize; m++)
        {
            int src = Math.Min(m, count - 1);
            _positions[m] = positions[src];
            _bases[m] = bases[src];
        }

        foreach (WindowNode? w in _windows)
        {
            if (w is null)
            {
                continue;
            }

            for (int m = 0; m < _batchSize; m++)
            {
                w.S[m] = w.StartOf[_positions[m]];
            }

            w.Full = null;
            ComputeWindow(w);
        }

        Tensor result = RunTail();
        result.Data.AsSpan(0, count * Tasks).CopyTo(outputs);
    }

    private void PlanWindows()
    {
        var lo = new int[_nodes.Length][];
        var intervals = new (int Lo, int Hi)[_nodes.Length];
        var scratch = new List<(int Lo, int Hi)>();
        foreach (WindowNode? w in _windows)
        {
            if (w is not null)
            {
                lo[w.Node.Index] = new int[_length];
            }
        }

        for (int p = 0; p < _length; p++)
        {
            foreach (WindowNode? w in _windows)
            {
                if (w is null)
                {
                    continue;
                }

                (int Lo, int Hi) iv;
                if (w.Kind == WindowKind.Input)
                {
                    iv = (p, p + 1);
                }
                else
                {
                    scratch.Clear();
                    foreach (Node input in w.Node.Inputs)
                    {
                        scratch.Add(intervals[input.Index]);
                    }

                    iv = w.Affected(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scratch));
                }

                intervals[w.Node.Index] = iv;
                lo[w.Node.Index][p] = iv.Lo;
                w.Width = Math.Max(w.Width, iv.Hi - iv.Lo);
            }
        }

        foreach (WindowNode? w in _windows)
        {
            if (w is null)
            {
                continue;
            }

            w.Width = Math.Clamp(w.Width, 1, w.Length);
            w.StartOf = new int[_length];
            for (int p = 0; p < _length; p++)
            {
                w.StartOf[p] = Math.Clamp(lo[w.Node.Index][p], 0, w.Length - w.Width);
            }
        }
    }

    private void AllocateBuffers()
    {
        int m = _batchSize;
        foreach (WindowNode? w in _windows)
        {
            if (w is null)
            {
                continue;
            }

            w.ReferenceT = new float[w.Length * w.Channels];
            w.ReferenceFull = new float[w.Length * w.Channels];
            w.S = new int[m];
            w.Patch = new float[m * w.Width * w.Channels];
            switch (w.Kind)
            {
                case WindowKind.Conv:
                    {
                        WindowNode input = _windows[w.Node.Inputs[0].Index]!;
                        w.Context = new float[m * input.Width * input.Channels];
                        w.Product = new float[m * input.Width * w.Weights!.N];
                        w.Rows = new int[m * input.Width];
                        break;
                    }

                case WindowKind.Pool:
                    {
                        WindowNode input = _windows[w.Node.Inputs[0].Index]!;
                        w.Context = new float[(((w.Width - 1) * w.Stride) + w.KernelSize) * input.Channels];
                        break;
                    }

                case WindowKind.Elementwise:
                    w.Context = new float[w.Patch.Length];
                    w.OpContext = new ForwardContext
                    {
                        InputArray = [new Tensor(w.Context, m, w.Width, w.Channels)],
                        Output = new Tensor(w.Patch, m, w.Width, w.Channels),
                    };
                    break;
                case WindowKind.Sub:
                case WindowKind.Mul:
                case WindowKind.Add:
                    w.Context = new float[w.Width * w.Channels];
                    break;
                default:
                    break;
            }
        }
    }
}
