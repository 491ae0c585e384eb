using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Attribution.GradCam;

/// <summary>
/// For each position p of a node with a length axis, the half-open interval <c>[Start[p], End[p])</c> of input
/// positions (nucleotides) that can influence it, found by composing every op on the paths from the graph input.
/// </summary>
/// <remarks>
/// <para>Per op (upstream intervals <c>[s_q, e_q)</c> for upstream position q): element-wise ops, batch-norm, dropout
/// and constant affine maps keep them; a convolution or pooling window with stride S, dilation D, left padding P maps output p to the taps
/// <c>q = p·S − P + j·D</c> (j = 0 … K−1) and takes the union of the taps' intervals (taps in the padding see nothing);
/// Pad shifts by its left padding; Slice on the length axis picks <c>q = first + p·step</c>; Reverse picks
/// <c>q = L − 1 − p</c>; a QRNN fo-pool sees every q ≤ p (a prefix: the recurrence has an unbounded field), or, with
/// <see cref="RecurrentField.Local"/>, only its own input position p.
/// Ops with several inputs (Add, Sub, Mul, Concat over channels) take the union over inputs: for a DAG the field is
/// the union over paths (as an interval: the hull, so a dilated window whose taps see disjoint stretches covers the gaps too). Concat along the length axis maps each output position to its segment.</para>
/// <para>Non-local ops (Dense, Flatten, global pooling, Reshape, Transpose, reductions, softmax over length) have no
/// position-wise field: they are errors, because Grad-CAM needs a node with a length axis.</para>
/// <para>For plain stacks (no padding at the edges in play) the field is affine, <c>[start + p·stride, start + p·stride + size)</c>,
/// the classic (start, stride, size) composition; <see cref="Affine"/> reports it when every position fits.</para>
/// </remarks>
public sealed class ReceptiveField
{
    private ReceptiveField(int inputLength, int[] start, int[] end)
    {
        InputLength = inputLength;
        Start = start;
        End = end;
    }

    /// <summary>Length L of the graph input.</summary>
    public int InputLength { get; }

    /// <summary>Number of node positions.</summary>
    public int NodeLength => Start.Count;

    /// <summary>First input position each node position sees (inclusive).</summary>
    public IReadOnlyList<int> Start { get; }

    /// <summary>End of the interval each node position sees (exclusive); equal to Start when it sees only padding.</summary>
    public IReadOnlyList<int> End { get; }

    /// <summary>(start, stride, size) when every position's interval is <c>[start + p·stride, start + p·stride + size)</c>; else null.</summary>
    public (int Start, int Stride, int Size)? Affine
    {
        get
        {
            int size = End[0] - Start[0];
            int stride = NodeLength > 1 ? Start[1] - Start[0] : 1;
            for (int p = 0; p < NodeLength; p++)
            {
                if (Start[p] != Start[0] + (p * stride) || End[p] - Start[p] != size)
                {
                    return null;
                }
            }

            return (Start[0], stride, size);
        }
    }

    /// <summary>The field of <paramref name="node"/> with respect to the graph's single <c>(channels, length)</c> input.</summary>
    /// <exception cref="ArgumentException">The node or an op on its paths has no position-wise field.</exception>
    /// <param name="graph">The graph.</param>
    /// <param name="node">The node whose positions are mapped.</param>
    /// <param name="recurrence">How a QRNN fo-pool maps its positions (default: the exact prefix).</param>
    public static ReceptiveField Of(Graph graph, Node node, RecurrentField recurrence = RecurrentField.Prefix)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(node);
        if (graph.Inputs.Count != 1 || graph.Inputs[0].SampleShape.Length != 2)
        {
            throw new ArgumentException($"Receptive fields need a graph with one (channels, length) input; this one has {string.Join(", ", graph.Inputs.Select(i => i.Name + " " + Tensor.FormatShape(i.SampleShape)))}.");
        }

        var memo = new Memo { Recurrence = recurrence };
        (int[] s, int[] e) = Compute(node, memo);
        return new ReceptiveField(graph.Inputs[0].SampleShape[1], s, e);
    }

    private static (int[] S, int[] E) Compute(Node node, Memo memo)
    {
        if (memo.TryGetValue(node, out var known))
        {
            return known;
        }

        if (node.SampleShape.Length != 2)
        {
            throw new ArgumentException($"Node '{node.Name}' ({node.Op.Kind}) has per-sample shape {Tensor.FormatShape(node.SampleShape)}, not (channels, length): Grad-CAM needs a node with a length axis, and every node on the way to it must keep one.");
        }

        int length = node.SampleShape[1];
        var start = new int[length];
        var end = new int[length];
        Op op = node.Op;
        if (node.IsInput)
        {
            for (int p = 0; p < length; p++)
            {
                start[p] = p;
                end[p] = p + 1;
            }
        }
        else
        {
            Array.Fill(start, int.MaxValue);
            Array.Fill(end, int.MinValue);
            switch (op)
            {
                case ElementwiseOp or BatchNorm1dOp or DropoutOp or AffineOp:
                    Copy(Input(node, 0, memo), start, end);
                    break;
                case SoftmaxFamilyOp { Axis: 1 or -2 }:
                    Copy(Input(node, 0, memo), start, end);
                    break;
                case Conv1dOp conv:
                    {
                        int up = node.Inputs[0].SampleShape[1];
                        (int left, _) = conv.Padding.Resolve(up, conv.KernelSize, conv.Stride, conv.Dilation);
                        Window(Input(node, 0, memo), start, end, conv.KernelSize, conv.Stride, conv.Dilation, left);
                        break;
                    }

                case MaxPool1dOp pool:
                    {
                        int up = node.Inputs[0].SampleShape[1];
                        (int left, _) = pool.Padding.Resolve(up, pool.KernelSize, pool.Stride, 1);
                        Window(Input(node, 0, memo), start, end, pool.KernelSize, pool.Stride, 1, left);
                        break;
                    }

                case AvgPool1dOp pool:
                    {
                        int up = node.Inputs[0].SampleShape[1];
                        (int left, _) = pool.Padding.Resolve(up, pool.KernelSize, pool.Stride, 1);
                        Window(Input(node, 0, memo), start, end, pool.KernelSize, pool.Stride, 1, left);
                        break;
                    }

                case PadOp pad:
                    Window(Input(node, 0, memo), start, end, 1, 1, 1, pad.Left);
                    break;
                case SliceOp slice when slice.Axis is 2 or -1:
                    {
                        (int[] us, int[] ue) = Input(node, 0, memo);
                        (int first, _) = slice.Resolve(us.Length);
                        for (int p = 0; p < length; p++)
                        {
                            Union(start, end, p, us, ue, first + (p * slice.Step));
                        }

                        break;
                    }

                case SliceOp slice when slice.Axis is 1 or -2:
                    Copy(Input(node, 0, memo), start, end);
                    break;
                case ReverseOp:
                    {
                        (int[] us, int[] ue) = Input(node, 0, memo);
                        for (int p = 0; p < length; p++)
                        {
                            Union(start, end, p, us, ue, length - 1 - p);
                        }

                        break;
                    }

                case QuasiRecurrentPoolOp:
                    {
                        (int[] us, int[] ue) = Input(node, 0, memo);
                        for (int p = 0; p < length; p++)
                        {
                            if (p > 0 && memo.Recurrence == RecurrentField.Prefix)
                            {
                                start[p] = start[p - 1];
                                end[p] = end[p - 1];
                            }

                            Union(start, end, p, us, ue, p);
                        }

                        break;
                    }

                case ConcatOp { Axis: 2 or -1 }:
                    {
                        int offset = 0;
                        for (int i = 0; i < node.Inputs.Count; i++)
                        {
                            (int[] us, int[] ue) = Input(node, i, memo);
                            for (int q = 0; q < us.Length; q++)
                            {
                                Union(start, end, offset + q, us, ue, q);
                            }

                            offset += us.Length;
                        }

                        break;
                    }

                case ConcatOp { Axis: 1 or -2 } or AddOp or SubOp or MulOp:
                    for (int i = 0; i < node.Inputs.Count; i++)
                    {
                        // A broadcast per-channel term (rank 1) has no length axis and adds no positions.
                        if (node.Inputs[i].SampleShape.Length == 2)
                        {
                            (int[] us, int[] ue) = Input(node, i, memo);
                            for (int p = 0; p < length; p++)
                            {
                                Union(start, end, p, us, ue, us.Length == 1 ? 0 : p);
                            }
                        }
                    }

                    break;
                default:
                    throw new ArgumentException($"Node '{node.Name}' ({op.Kind}) mixes positions non-locally, so its positions have no receptive field; Grad-CAM needs a node whose path from the input keeps the length axis (convolutions, pooling, element-wise ops, QRNN).");
            }

            for (int p = 0; p < length; p++)
            {
                if (start[p] > end[p])
                {
                    start[p] = end[p] = 0;
                }
            }
        }

        memo[node] = (start, end);
        return (start, end);
    }

    private static (int[] S, int[] E) Input(Node node, int i, Memo memo) => Compute(node.Inputs[i], memo);

    private static void Copy((int[] S, int[] E) up, int[] start, int[] end)
    {
        up.S.CopyTo(start, 0);
        up.E.CopyTo(end, 0);
    }

    private static void Window((int[] S, int[] E) up, int[] start, int[] end, int kernel, int stride, int dilation, int left)
    {
        for (int p = 0; p < start.Length; p++)
        {
            for (int j = 0; j < kernel; j++)
            {
                Union(start, end, p, up.S, up.E, (p * stride) - left + (j * dilation));
            }
        }
    }

    /// <summary>Widens position p's interval by upstream position q's (nothing when q lies in padding or sees nothing).</summary>
    private static void Union(int[] start, int[] end, int p, int[] us, int[] ue, int q)
    {
        if (q < 0 || q >= us.Length || ue[q] <= us[q])
        {
            return;
        }

        start[p] = Math.Min(start[p], us[q]);
        end[p] = Math.Max(end[p], ue[q]);
    }

    private sealed class Memo : Dictionary<Node, (int[] S, int[] E)>
    {
        public RecurrentField Recurrence { get; init; }
    }
}
