using System.Globalization;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Attribution;

/// <summary>
/// What is explained: a weighted sum <c>Σ w_k·v_k</c> of the values of one node per sample — by default the first graph
/// output's logits (pre-activation, as DeepLIFT recommends). Build one with <see cref="Task"/>, <see cref="Tasks"/>,
/// <see cref="Contrast"/> or <see cref="Neuron"/>.
/// </summary>
/// <remarks>
/// <para>Tasks index the last axis of the node's per-sample values (summed over any other axes). A target on a
/// <c>Softmax</c>/<c>LogSoftmax</c> node inside the graph is moved to that node's input logits (DeepLIFT attributes
/// softmax outputs through their logits; Shrikumar et al. 2017 §3.6).</para>
/// <para><see cref="MeanNormalized"/> applies Shrikumar's mean-normalisation of the final layer's weights: explaining
/// <c>z_t − mean_k z_k</c> instead of <c>z_t</c> is the same as subtracting the mean over outputs of the final linear layer's
/// weights and bias, and works whatever that layer is (weights become <c>w − mean(w)</c> over the task axis).</para>
/// </remarks>
public sealed record AttributionTarget
{
    private AttributionTarget(string? node, int[] tasks, double[] taskWeights, int? flatIndex, string description)
    {
        NodeName = node;
        TaskIndices = tasks;
        TaskWeights = taskWeights;
        FlatIndex = flatIndex;
        Description = description;
    }

    /// <summary>The node explained (null: the first graph output).</summary>
    public string? NodeName { get; init; }

    /// <summary>Tasks (last-axis indices) and their weights.</summary>
    public IReadOnlyList<int> TaskIndices { get; }

    /// <summary>The weight of each entry of <see cref="TaskIndices"/>.</summary>
    public IReadOnlyList<double> TaskWeights { get; }

    /// <summary>For <see cref="Neuron"/>: the flat per-sample index.</summary>
    public int? FlatIndex { get; }

    /// <summary>Explain <c>z − mean over tasks of z</c> (see remarks; default false).</summary>
    public bool MeanNormalized { get; init; }

    /// <summary>Human-readable form, e.g. <c>task 3</c>, <c>mean(tasks 1,2)</c>, <c>task 0 − task 1</c>.</summary>
    public string Description { get; }

    /// <summary>One task.</summary>
    public static AttributionTarget Task(int task, string? node = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(task);
        return new(node, [task], [1.0], null, "task " + task.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Several tasks aggregated by <paramref name="aggregation"/>.</summary>
    public static AttributionTarget Tasks(IReadOnlyList<int> tasks, TaskAggregation aggregation = TaskAggregation.Sum, string? node = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0 || tasks.Any(t => t < 0) || tasks.Distinct().Count() != tasks.Count)
        {
            throw new ArgumentException($"A task list needs distinct non-negative indices; got [{string.Join(", ", tasks)}].", nameof(tasks));
        }

        double w = aggregation == TaskAggregation.Mean ? 1.0 / tasks.Count : 1.0;
        string list = string.Join(",", tasks.Select(t => t.ToString(CultureInfo.InvariantCulture)));
        return new(node, tasks.ToArray(), tasks.Select(_ => w).ToArray(), null, (aggregation == TaskAggregation.Mean ? "mean" : "sum") + "(tasks " + list + ")");
    }

    /// <summary>The contrast task <paramref name="a"/> minus task <paramref name="b"/>.</summary>
    public static AttributionTarget Contrast(int a, int b, string? node = null)
    {
        if (a < 0 || b < 0 || a == b)
        {
            throw new ArgumentException($"A contrast needs two different non-negative tasks; got {a} and {b}.");
        }

        return new(node, [a, b], [1.0, -1.0], null, string.Create(CultureInfo.InvariantCulture, $"task {a} - task {b}"));
    }

    /// <summary>One neuron of node <paramref name="node"/>: element <paramref name="flatIndex"/> of its per-sample values (row-major).</summary>
    public static AttributionTarget Neuron(string node, int flatIndex)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentOutOfRangeException.ThrowIfNegative(flatIndex);
        return new(node, [], [], flatIndex, string.Create(CultureInfo.InvariantCulture, $"{node}[{flatIndex}]"));
    }

    /// <summary>
    /// The node to seed and the per-sample weights (length = the node's per-sample size); follows a Softmax/LogSoftmax
    /// node to its logits. Throws <see cref="ArgumentException"/> for an unknown node or an out-of-range task.
    /// </summary>
    public (Node Node, float[] Weights) Resolve(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Node node = NodeName is null ? graph.Outputs[0].Node : graph[NodeName];
        while (node.Op is SoftmaxFamilyOp)
        {
            node = node.Inputs[0];
        }

        int size = node.SampleShape.Aggregate(1, (a, b) => a * b);
        var w = new float[size];
        if (FlatIndex is int flat)
        {
            if (flat >= size)
            {
                throw new ArgumentException($"Node '{node.Name}' has {size} values per sample; neuron index {flat} is out of range.");
            }

            w[flat] = 1f;
            return (node, w);
        }

        int tasks = node.SampleShape.Length == 0 ? 1 : node.SampleShape[^1];
        var perTask = new double[tasks];
        for (int k = 0; k < TaskIndices.Count; k++)
        {
            if (TaskIndices[k] >= tasks)
            {
                throw new ArgumentException($"Node '{node.Name}' has {tasks} task(s); task {TaskIndices[k]} is out of range.");
            }

            perTask[TaskIndices[k]] += TaskWeights[k];
        }

        if (MeanNormalized)
        {
            double mean = perTask.Average();
            for (int t = 0; t < tasks; t++)
            {
                perTask[t] -= mean;
            }
        }

        for (int i = 0; i < size; i++)
        {
            w[i] = (float)perTask[i % tasks];
        }

        return (node, w);
    }
}
