namespace SeqLens.Graphs;

/// <summary>What an op sees during a backward pass. The executor reuses one instance per node.</summary>
/// <remarks>
/// Ops <b>add</b> into <see cref="InputGrad"/> (a node may feed several consumers) and into their parameters'
/// <see cref="Parameter.Grad"/> when <see cref="ParameterGradients"/> is set.
/// </remarks>
public sealed class BackwardContext
{
    internal Tensor[] InputArray = [];
    internal Tensor?[] InputGradArray = [];

    /// <summary>The input values saved by the forward pass.</summary>
    public IReadOnlyList<Tensor> Inputs => InputArray;

    /// <summary>The first input.</summary>
    public Tensor Input => InputArray[0];

    /// <summary>The output value saved by the forward pass.</summary>
    public Tensor Output { get; internal set; } = null!;

    /// <summary>dL/d(output) (or the DeepLIFT multiplier of the target with respect to the output).</summary>
    public Tensor OutputGrad { get; internal set; } = null!;

    /// <summary>The buffer to add dL/d(input i) into, or null when nobody needs it.</summary>
    public Tensor? InputGrad(int i) => InputGradArray[i];

    /// <summary>True when the op must add into its parameters' gradients.</summary>
    public bool ParameterGradients { get; internal set; }

    /// <summary>True when the forward pass ran in training mode.</summary>
    public bool Training { get; internal set; }

    /// <summary>The rule for nonlinear nodes (linear ops ignore it).</summary>
    public BackwardRule Rule { get; internal set; }

    /// <summary>
    /// For DeepLIFT rules: which batch row is the reference of each row (<c>ReferenceRow[r] = r0</c>, and for a
    /// reference row itself, <c>-1</c>). Null for <see cref="BackwardRule.Gradient"/>.
    /// </summary>
    public int[]? ReferenceRow { get; internal set; }

    /// <summary>The op's per-executor scratch from <see cref="Op.CreateWorkspace"/>.</summary>
    public object? Workspace { get; internal set; }
}
