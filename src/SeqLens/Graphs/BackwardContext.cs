namespace SeqLens.Graphs;

/// <summary>What an op sees during a backward pass. The executor reuses one instance per node.</summary>
/// <remarks>
/// <para>Ops <b>add</b> into <see cref="InputGrad"/> (a node may feed several consumers) and into their parameters'
/// <see cref="Parameter.Grad"/> when <see cref="ParameterGradients"/> is set.</para>
/// <para>Split pass (RevealCancel, DESIGN.md §3): when <see cref="Split"/> is set, every node carries the positive and
/// negative parts of its difference-from-reference (<see cref="OutputDeltaPos"/>, <see cref="OutputDeltaNeg"/>,
/// computed on the way up by <see cref="Op.PropagateDeltas"/>) and two multipliers on the way down: <see cref="OutputGrad"/>
/// is m⁺ (of Δ⁺) and <see cref="OutputGradNeg"/> is m⁻ (of Δ⁻); <see cref="Op.BackwardSplit"/> adds into
/// <see cref="InputGrad"/> (m⁺) and <see cref="InputGradNeg"/> (m⁻). The contribution of a node is Σ m⁺·Δ⁺ + m⁻·Δ⁻.</para>
/// </remarks>
public sealed class BackwardContext
{
    internal Tensor[] InputArray = [];
    internal Tensor?[] InputGradArray = [];
    internal Tensor?[] InputGradNegArray = [];
    internal Tensor[] InputDeltaPosArray = [];
    internal Tensor[] InputDeltaNegArray = [];
    internal Tensor[] ScratchArray = [];

    /// <summary>The input values saved by the forward pass.</summary>
    public IReadOnlyList<Tensor> Inputs => InputArray;

    /// <summary>The first input.</summary>
    public Tensor Input => InputArray[0];

    /// <summary>The output value saved by the forward pass.</summary>
    public Tensor Output { get; internal set; } = null!;

    /// <summary>dL/d(output) (or the DeepLIFT multiplier of the target with respect to the output; m⁺ in the split pass).</summary>
    public Tensor OutputGrad { get; internal set; } = null!;

    /// <summary>The buffer to add dL/d(input i) into (m⁺ in the split pass), or null when nobody needs it.</summary>
    public Tensor? InputGrad(int i) => InputGradArray[i];

    /// <summary>True when the op must add into its parameters' gradients.</summary>
    public bool ParameterGradients { get; internal set; }

    /// <summary>True when the forward pass ran in training mode.</summary>
    public bool Training { get; internal set; }

    /// <summary>The rule of this node (linear ops ignore it).</summary>
    public BackwardRule Rule { get; internal set; }

    /// <summary>For DeepLIFT rules: which rows are compared (see <see cref="RowPairs"/>). Null for <see cref="BackwardRule.Gradient"/>.</summary>
    public RowPairs? Pairs { get; internal set; }

    /// <summary>The op's per-executor scratch from <see cref="Op.CreateWorkspace"/>.</summary>
    public object? Workspace { get; internal set; }

    /// <summary>True in the split (RevealCancel) pass; see the remarks.</summary>
    public bool Split { get; internal set; }

    /// <summary>Split pass: m⁻, the multiplier of the output's Δ⁻.</summary>
    public Tensor OutputGradNeg { get; internal set; } = null!;

    /// <summary>Split pass: the buffer to add the m⁻ of input i into, or null when nobody needs it.</summary>
    public Tensor? InputGradNeg(int i) => InputGradNegArray[i];

    /// <summary>Split pass: Δ⁺ of input i (zero in rows without a pair).</summary>
    public Tensor InputDeltaPos(int i) => InputDeltaPosArray[i];

    /// <summary>Split pass: Δ⁻ of input i.</summary>
    public Tensor InputDeltaNeg(int i) => InputDeltaNegArray[i];

    /// <summary>Split pass: Δ⁺ of the output (written by <see cref="Op.PropagateDeltas"/>, read by <see cref="Op.BackwardSplit"/>).</summary>
    public Tensor OutputDeltaPos { get; internal set; } = null!;

    /// <summary>Split pass: Δ⁻ of the output.</summary>
    public Tensor OutputDeltaNeg { get; internal set; } = null!;

    /// <summary>Split pass: a scratch tensor shaped like input i (contents undefined), owned by the executor.</summary>
    public Tensor Scratch(int i) => ScratchArray[i];

    /// <summary>Split pass: a scratch tensor shaped like the output (contents undefined).</summary>
    public Tensor OutputScratch { get; internal set; } = null!;
}
