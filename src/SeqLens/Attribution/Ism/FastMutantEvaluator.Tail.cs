using SeqLens.Graphs;

namespace SeqLens.Attribution.Ism;

// The non-local part of the graph: full activations for every mutant, run node by node.
internal sealed partial class FastMutantEvaluator
{
    private readonly List<TailNode> _tail = [];
    private TailNode?[] _tailByIndex = [];

    private sealed class TailNode(Node node, ForwardContext context)
    {
        public Node Node { get; } = node;

        public ForwardContext Context { get; } = context;
    }

    private void CreateTail()
    {
        var shapes = new int[_nodes.Length][];
        _tailByIndex = new TailNode?[_nodes.Length];
        foreach (Node node in _nodes)
        {
            if (_windows[node.Index] is not null)
            {
                shapes[node.Index] = [_batchSize, .. node.SampleShape];
                continue;
            }

            int[][] inShapes = node.Inputs.Select(i => shapes[i.Index]).ToArray();
            int[] shape = node.Op.InferShape(inShapes);
            shapes[node.Index] = shape;
            var context = new ForwardContext
            {
                InputArray = new Tensor[node.Inputs.Count],
                Output = new Tensor(shape),
                Workspace = node.Op.CreateWorkspace(inShapes, shape),
            };
            var tail = new TailNode(node, context);
            _tail.Add(tail);
            _tailByIndex[node.Index] = tail;
        }
    }

    private Tensor ValueOf(Node node)
    {
        WindowNode? w = _windows[node.Index];
        if (w is null)
        {
            return _tailByIndex[node.Index]!.Context.Output;
        }

        if (w.Full is null)
        {
            Assemble(w);
        }

        return w.Full!;
    }

    /// <summary>The full activation <c>(M, C, L)</c>: the reference with each mutant's window patched in.</summary>
    private void Assemble(WindowNode w)
    {
        int c = w.Channels, l = w.Length;
        w.Full = w.FullBuffer ??= new Tensor(_batchSize, c, l);
        float[] data = w.Full.Data;
        ReadOnlySpan<float> reference = w.ReferenceFull;

        for (int i = 0; i < _batchSize; i++)
        {
            Span<float> sample = data.AsSpan(i * c * l, c * l);
            reference.CopyTo(sample);
            int s = w.S[i];
            for (int t = 0; t < w.Width; t++)
            {
                ReadOnlySpan<float> row = w.Patch.AsSpan(((i * w.Width) + t) * c, c);
                for (int ch = 0; ch < c; ch++)
                {
                    sample[(ch * l) + s + t] = row[ch];
                }
            }
        }
    }

    private Tensor RunTail()
    {
        foreach (TailNode t in _tail)
        {
            ForwardContext ctx = t.Context;
            for (int j = 0; j < t.Node.Inputs.Count; j++)
            {
                ctx.InputArray[j] = ValueOf(t.Node.Inputs[j]);
            }

            t.Node.Op.Forward(ctx);
        }

        return ValueOf(_graph.Outputs[_outputIndex].Node);
    }
}
