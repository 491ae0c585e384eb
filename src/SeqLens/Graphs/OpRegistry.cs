namespace SeqLens.Graphs;

/// <summary>
/// Creates ops by their <see cref="Op.Kind"/> from <c>model.json</c> attributes. Every op that can be saved has a
/// line here; an unknown kind is an error that lists the supported ones.
/// </summary>
public static class OpRegistry
{
    /// <summary>Creates an op from its attributes and its inputs' shapes (batch dimension first, batch = 1).</summary>
    public delegate Op Factory(OpAttributes attributes, IReadOnlyList<int[]> inputShapes, Rng init);

    private static readonly Dictionary<string, Factory> Factories = new(StringComparer.Ordinal)
    {
        ["Conv1d"] = Ops.Conv1dOp.FromAttributes,
        ["Dense"] = Ops.DenseOp.FromAttributes,
        ["Relu"] = (_, _, _) => new Ops.ReluOp(),
        ["LeakyRelu"] = Ops.LeakyReluOp.FromAttributes,
        ["Elu"] = Ops.EluOp.FromAttributes,
        ["Gelu"] = (_, _, _) => new Ops.GeluOp(),
        ["Sigmoid"] = (_, _, _) => new Ops.SigmoidOp(),
        ["Tanh"] = (_, _, _) => new Ops.TanhOp(),
        ["Softplus"] = Ops.SoftplusOp.FromAttributes,
        ["Exp"] = (_, _, _) => new Ops.ExpOp(),
        ["Log"] = (_, _, _) => new Ops.LogOp(),
        ["BatchNorm1d"] = Ops.BatchNorm1dOp.FromAttributes,
        ["Dropout"] = Ops.DropoutOp.FromAttributes,
        ["MaxPool1d"] = Ops.MaxPool1dOp.FromAttributes,
        ["AvgPool1d"] = Ops.AvgPool1dOp.FromAttributes,
        ["GlobalMaxPool"] = (_, _, _) => new Ops.GlobalMaxPoolOp(),
        ["GlobalAvgPool"] = (_, _, _) => new Ops.GlobalAvgPoolOp(),
        ["Flatten"] = (_, _, _) => new Ops.FlattenOp(),
        ["Reshape"] = Ops.ReshapeOp.FromAttributes,
        ["Transpose"] = Ops.TransposeOp.FromAttributes,
        ["Pad"] = Ops.PadOp.FromAttributes,
        ["Slice"] = Ops.SliceOp.FromAttributes,
        ["Concat"] = Ops.ConcatOp.FromAttributes,
        ["Add"] = (_, _, _) => new Ops.AddOp(),
        ["Sub"] = (_, _, _) => new Ops.SubOp(),
        ["Mul"] = (_, _, _) => new Ops.MulOp(),
        ["Affine"] = Ops.AffineOp.FromAttributes,
        ["Sum"] = Ops.SumOp.FromAttributes,
        ["Mean"] = Ops.MeanOp.FromAttributes,
        ["Softmax"] = Ops.SoftmaxOp.FromAttributes,
        ["LogSoftmax"] = Ops.LogSoftmaxOp.FromAttributes,
        ["QuasiRecurrentPool"] = Ops.QuasiRecurrentPoolOp.FromAttributes,
        ["Reverse"] = (_, _, _) => new Ops.ReverseOp(),
    };

    /// <summary>The kinds that can be created.</summary>
    public static IReadOnlyCollection<string> Kinds => Factories.Keys;

    /// <summary>Creates an op of <paramref name="kind"/>; throws <see cref="NotSupportedException"/> naming the node and listing the supported kinds.</summary>
    public static Op Create(string kind, OpAttributes attributes, IReadOnlyList<int[]> inputShapes, Rng init)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (!Factories.TryGetValue(kind, out Factory? factory))
        {
            throw new NotSupportedException($"Node '{attributes.NodeName}': unknown op '{kind}'. Supported: {string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal))}.");
        }

        return factory(attributes, inputShapes, init);
    }
}
