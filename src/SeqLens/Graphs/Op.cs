using System.Text.Json.Nodes;

namespace SeqLens.Graphs;

/// <summary>
/// One operation of a <see cref="Graph"/>. Each op file holds, side by side, shape inference, forward, backward
/// (gradient) and its attribution rule (<see cref="Attribution"/>, used by the backward rules of DESIGN.md §3).
/// </summary>
/// <remarks>
/// Shapes include the batch dimension first. An op instance belongs to one node; per-run scratch lives in the
/// workspace that each <see cref="Executor"/> creates, so several executors may share a graph.
/// </remarks>
public abstract class Op
{
    /// <summary>The op's name in model files, e.g. <c>Conv1d</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Number of inputs, or -1 for variadic ops (Concat, Add with many terms).</summary>
    public virtual int InputCount => 1;

    /// <summary>The op's parameters (weights, biases, running statistics).</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>How attribution methods treat this op.</summary>
    public virtual AttributionClass Attribution => AttributionClass.Linear;

    /// <summary>
    /// True when <see cref="Backward"/> implements <paramref name="rule"/>. Linear ops implement every rule (it is the
    /// gradient); any other op must say so explicitly, so that no op silently applies the gradient where DeepLIFT
    /// needs its own rule. The executor refuses a rule that a node on the path does not support.
    /// </summary>
    public virtual bool SupportsRule(BackwardRule rule) => rule == BackwardRule.Gradient || Attribution == AttributionClass.Linear;

    /// <summary>The output shape for the given input shapes; throws <see cref="ArgumentException"/> saying expected vs got.</summary>
    public abstract int[] InferShape(IReadOnlyList<int[]> inputShapes);

    /// <summary>Computes <see cref="ForwardContext.Output"/> from the inputs.</summary>
    public abstract void Forward(ForwardContext context);

    /// <summary>Adds into the input gradients (and parameter gradients) from <see cref="BackwardContext.OutputGrad"/>.</summary>
    public abstract void Backward(BackwardContext context);

    /// <summary>
    /// Split pass (RevealCancel, DESIGN.md §3): writes <see cref="BackwardContext.OutputDeltaPos"/> and
    /// <see cref="BackwardContext.OutputDeltaNeg"/> from the inputs' Δ⁺ and Δ⁻.
    /// </summary>
    /// <remarks>
    /// Default for <see cref="AttributionClass.Linear"/> ops: the op is taken to have non-negative coefficients (pooling-avg,
    /// reshape, flatten, pad, slice, concat, add, sum, mean, transpose, dropout in evaluation), so
    /// <c>Δ⁺out = L(Δ⁺in)</c> and <c>Δ⁻out = L(Δ⁻in)</c> with the linear part <c>L(d) = F(d) − F(0)</c> (the constant,
    /// e.g. a pad value, cancels). Ops with signed coefficients (conv, dense, batch-norm, sub) override it with the
    /// W⁺/W⁻ split: <c>Δ⁺out = W⁺Δ⁺in + W⁻Δ⁻in</c>, <c>Δ⁻out = W⁺Δ⁻in + W⁻Δ⁺in</c>. Default for any other op:
    /// the sign split of its own Δy, <c>Δ⁺ = max(Δy, 0)</c>, <c>Δ⁻ = min(Δy, 0)</c> (as the DeepLIFT reference
    /// implementation does for Rescale nonlinearities).
    /// </remarks>
    public virtual void PropagateDeltas(BackwardContext context) => DeltaRules.PropagateDefault(this, context);

    /// <summary>
    /// Split pass: adds the input multipliers m⁺ and m⁻ from the output's m⁺ (<see cref="BackwardContext.OutputGrad"/>)
    /// and m⁻ (<see cref="BackwardContext.OutputGradNeg"/>).
    /// </summary>
    /// <remarks>
    /// Default for linear ops with non-negative coefficients: the gradient applied to m⁺ and m⁻ separately. Ops with signed
    /// coefficients override it: <c>m⁺in = W⁺ᵀm⁺ + W⁻ᵀm⁻</c>, <c>m⁻in = W⁺ᵀm⁻ + W⁻ᵀm⁺</c>. Default for any other op
    /// (DeepLIFT treats it with one multiplier): the output multiplier is <c>m⁺</c> where Δy &gt; 0 and <c>m⁻</c> elsewhere,
    /// it goes through the op's own <see cref="Backward"/> rule, and the result is added into both m⁺ and m⁻ of the inputs.
    /// Each default keeps Σ m⁺Δ⁺ + m⁻Δ⁻ equal across the node.
    /// </remarks>
    public virtual void BackwardSplit(BackwardContext context) => DeltaRules.BackwardDefault(this, context);

    /// <summary>Creates per-executor scratch for these shapes (null when the op needs none).</summary>
    public virtual object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape) => null;

    /// <summary>Writes the op's attributes (everything except parameters) for <c>model.json</c>.</summary>
    public virtual void WriteAttributes(JsonObject attributes)
    {
    }

    /// <summary>Names the parameters <c>node.local</c>; called once when the op joins a graph.</summary>
    internal void Bind(string nodeName)
    {
        foreach (Parameter p in Parameters)
        {
            p.Name = nodeName + "." + p.LocalName;
        }
    }

    /// <summary>Throws unless there are exactly <paramref name="count"/> input shapes.</summary>
    protected void ExpectInputs(IReadOnlyList<int[]> inputShapes, int count)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count != count)
        {
            throw new ArgumentException($"{Kind} expects {count} input(s); got {inputShapes.Count}.");
        }
    }

    /// <summary>Throws unless the shape has the given rank.</summary>
    protected void ExpectRank(int[] shape, int rank, string layout)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length != rank)
        {
            throw new ArgumentException($"{Kind} expects {layout}; got {Tensor.FormatShape(shape)}.");
        }
    }
}
