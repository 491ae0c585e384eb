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
