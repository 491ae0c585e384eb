using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Attribution.Ism;

/// <summary>What a position-local node computes on its window (fast ISM).</summary>
internal enum WindowKind
{
    Input,
    Conv,
    Pool,
    Elementwise,
    Identity,
    BatchNorm,
    Add,
    Sub,
    Mul,
    Concat,
    Pad,
    Slice,
}

/// <summary>
/// A position-local node of a <c>(C, L)</c> activation in fast ISM: the rule that maps a changed input interval to the
/// changed output interval, and, per batch of mutants, its window <c>[S[m], S[m] + Width)</c> of recomputed values
/// (channels last: <c>Patch[(m·Width + t)·C + c]</c>), with the reference activation everywhere else.
/// </summary>
internal sealed class WindowNode
{
    public WindowNode(Node node, WindowKind kind, int channels, int length)
    {
        Node = node;
        Kind = kind;
        Channels = channels;
        Length = length;
    }

    public Node Node { get; }

    public WindowKind Kind { get; }

    public int Channels { get; }

    public int Length { get; }

    /// <summary>Window width (the widest changed interval over all input positions, at most <see cref="Length"/>).</summary>
    public int Width { get; set; }

    /// <summary>Window start for a substitution at each input position.</summary>
    public int[] StartOf { get; set; } = [];

    /// <summary>Reference activation, channels last <c>(L, C)</c>.</summary>
    public float[] ReferenceT { get; set; } = [];

    /// <summary>Reference activation <c>(C, L)</c>.</summary>
    public float[] ReferenceFull { get; set; } = [];

    /// <summary>Buffer behind <see cref="Full"/>.</summary>
    public Tensor? FullBuffer { get; set; }

    /// <summary>Window starts of the current batch's mutants.</summary>
    public int[] S { get; set; } = [];

    /// <summary>Recomputed windows of the current batch <c>(M, Width, C)</c>.</summary>
    public float[] Patch { get; set; } = [];

    /// <summary>Scratch for gathered input context.</summary>
    public float[] Context { get; set; } = [];

    /// <summary>Second scratch (the other operand of a binary op).</summary>
    public float[] Context2 { get; set; } = [];

    // Conv and pool geometry.
    public int KernelSize { get; set; }

    public int Stride { get; set; } = 1;

    public int Dilation { get; set; } = 1;

    public int PadLeft { get; set; }

    /// <summary>Conv: weights laid out as B[ci, k·Cout + co] = W[co, ci, k].</summary>
    public RightMatrix? Weights { get; set; }

    /// <summary>Conv: the (mutant·Win + position) of each delta row that changed.</summary>
    public int[] Rows { get; set; } = [];

    /// <summary>Conv: the product of the input deltas and <see cref="Weights"/>.</summary>
    public float[] Product { get; set; } = [];

    public bool IsMax { get; set; }

    public bool CountIncludePad { get; set; }

    /// <summary>BatchNorm: y = x·Scale[c] + Shift[c]; Pad: the fill value is Shift[0].</summary>
    public float[] Scale { get; set; } = [];

    public float[] Shift { get; set; } = [];

    /// <summary>Full activation <c>(M, C, L)</c> assembled for the non-local part of the graph (null until needed).</summary>
    public Tensor? Full { get; set; }

    /// <summary>Elementwise: tensors wrapping <see cref="Context"/> and <see cref="Patch"/> for the op's own forward.</summary>
    public ForwardContext? OpContext { get; set; }

    /// <summary>Changed output interval for changed input intervals (empty intervals have lo == hi).</summary>
    public (int Lo, int Hi) Affected(ReadOnlySpan<(int Lo, int Hi)> inputs)
    {
        (int lo, int hi) = Hull(inputs);
        if (lo >= hi)
        {
            return (0, 0);
        }

        switch (Kind)
        {
            case WindowKind.Conv:
            case WindowKind.Pool:
                {
                    int reach = Dilation * (KernelSize - 1);
                    int tLo = Math.Max(0, CeilDiv(lo + PadLeft - reach, Stride));
                    int tHi = Math.Min(Length, FloorDiv(hi - 1 + PadLeft, Stride) + 1);
                    return tLo < tHi ? (tLo, tHi) : (0, 0);
                }

            case WindowKind.Pad:
            case WindowKind.Slice:
                {
                    // Output t holds input t − shift (Pad: shift = left; Slice: shift = −first).
                    int shift = (int)Scale[0];
                    int a = Math.Max(0, lo + shift), b = Math.Min(Length, hi + shift);
                    return a < b ? (a, b) : (0, 0);
                }

            default:
                return (lo, hi);
        }
    }

    private static (int Lo, int Hi) Hull(ReadOnlySpan<(int Lo, int Hi)> inputs)
    {
        int lo = int.MaxValue, hi = int.MinValue;
        foreach ((int a, int b) in inputs)
        {
            if (a < b)
            {
                lo = Math.Min(lo, a);
                hi = Math.Max(hi, b);
            }
        }

        return lo < hi ? (lo, hi) : (0, 0);
    }

    internal static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);

    internal static int CeilDiv(int a, int b) => (int)Math.Ceiling(a / (double)b);

    /// <summary>
    /// The window rule of <paramref name="node"/>, or null when the node is not provably position-local: its op is not
    /// one of the known local ops, an input is not local, or a shape is not <c>(C, L)</c> with the inputs' length.
    /// </summary>
    public static WindowNode? TryCreate(Node node, bool[] local)
    {
        int[] shape = node.SampleShape;
        if (shape.Length != 2 || node.Inputs.Any(i => !local[i.Index] || i.SampleShape.Length != 2))
        {
            return null;
        }

        int c = shape[0], l = shape[1];
        int inLength = node.Inputs.Count > 0 ? node.Inputs[0].SampleShape[1] : 0;
        bool sameShapes = node.Inputs.All(i => i.SampleShape[0] == c && i.SampleShape[1] == l);
        switch (node.Op)
        {
            case Conv1dOp conv when conv.Groups == 1:
                {
                    var g = conv.Geometry(1, inLength);
                    float[] w = conv.Weight.Value.Data;
                    int cin = conv.InChannels, cout = conv.OutChannels, k = conv.KernelSize;
                    return new WindowNode(node, WindowKind.Conv, c, l)
                    {
                        KernelSize = k,
                        Stride = g.Stride,
                        Dilation = g.Dilation,
                        PadLeft = g.PadLeft,
                        Weights = new RightMatrix(cin, k * cout, (ci, j) => w[((((j % cout) * cin) + ci) * k) + (j / cout)]),
                    };
                }

            case MaxPool1dOp max:
                return new WindowNode(node, WindowKind.Pool, c, l)
                {
                    KernelSize = max.KernelSize,
                    Stride = max.Stride,
                    PadLeft = max.Padding.Resolve(inLength, max.KernelSize, max.Stride, 1).Left,
                    IsMax = true,
                };
            case AvgPool1dOp avg:
                return new WindowNode(node, WindowKind.Pool, c, l)
                {
                    KernelSize = avg.KernelSize,
                    Stride = avg.Stride,
                    PadLeft = avg.Padding.Resolve(inLength, avg.KernelSize, avg.Stride, 1).Left,
                    CountIncludePad = avg.CountIncludePad,
                };
            case ElementwiseOp when sameShapes:
                return new WindowNode(node, WindowKind.Elementwise, c, l);
            case DropoutOp when sameShapes:
                return new WindowNode(node, WindowKind.Identity, c, l);
            case BatchNorm1dOp bn when sameShapes:
                {
                    var scale = new float[c];
                    var shift = new float[c];
                    for (int ch = 0; ch < c; ch++)
                    {
                        float invStd = (float)(1.0 / Math.Sqrt(bn.RunningVar.Value.Data[ch] + (double)bn.Epsilon));
                        scale[ch] = invStd * (bn.Weight is null ? 1f : bn.Weight.Value.Data[ch]);
                        shift[ch] = (bn.Bias is null ? 0f : bn.Bias.Value.Data[ch]) - (bn.RunningMean.Value.Data[ch] * scale[ch]);
                    }

                    return new WindowNode(node, WindowKind.BatchNorm, c, l) { Scale = scale, Shift = shift };
                }

            case AddOp when sameShapes:
                return new WindowNode(node, WindowKind.Add, c, l);
            case SubOp when sameShapes:
                return new WindowNode(node, WindowKind.Sub, c, l);
            case MulOp when sameShapes:
                return new WindowNode(node, WindowKind.Mul, c, l);
            case ConcatOp { Axis: 1 or -2 } when node.Inputs.All(i => i.SampleShape[1] == l):
                return new WindowNode(node, WindowKind.Concat, c, l);
            case PadOp pad when pad.Left >= 0 && pad.Right >= 0:
                return new WindowNode(node, WindowKind.Pad, c, l) { Scale = [pad.Left], Shift = [pad.Value] };
            case SliceOp { Step: 1, Axis: 2 or -1 } slice when node.Inputs[0].SampleShape[0] == c:
                return new WindowNode(node, WindowKind.Slice, c, l) { Scale = [-slice.Resolve(inLength).First] };
            default:
                return null;
        }
    }
}
