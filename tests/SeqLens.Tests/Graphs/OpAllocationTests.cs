using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Graphs;

/// <summary>Forward and Backward of every op allocate nothing once the workspace exists (DESIGN.md §1).</summary>
public class OpAllocationTests
{
    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string>();
        foreach (string k in Cases.Keys)
        {
            data.Add(k);
        }

        return data;
    }

    private static readonly Dictionary<string, (Func<Op> Create, int[][] Shapes, bool Training)> Cases = new()
    {
        ["Conv1d"] = (() => new Conv1dOp(4, 6, 3, new Rng(1), 2, 2, Padding.Same, 2), [[2, 4, 11]], false),
        ["Dense"] = (() => new DenseOp(5, 3, new Rng(1)), [[2, 5]], false),
        ["Relu"] = (() => new ReluOp(), [[2, 3, 5]], false),
        ["LeakyRelu"] = (() => new LeakyReluOp(), [[2, 3, 5]], false),
        ["Elu"] = (() => new EluOp(), [[2, 3, 5]], false),
        ["Gelu"] = (() => new GeluOp(), [[2, 3, 5]], false),
        ["Sigmoid"] = (() => new SigmoidOp(), [[2, 3, 5]], false),
        ["Tanh"] = (() => new TanhOp(), [[2, 3, 5]], false),
        ["Softplus"] = (() => new SoftplusOp(), [[2, 3, 5]], false),
        ["Exp"] = (() => new ExpOp(), [[2, 3, 5]], false),
        ["Log"] = (() => new LogOp(), [[2, 3, 5]], false),
        ["BatchNorm1d/train"] = (() => new BatchNorm1dOp(3), [[2, 3, 5]], true),
        ["BatchNorm1d/eval"] = (() => new BatchNorm1dOp(3), [[2, 3, 5]], false),
        ["Dropout/train"] = (() => new DropoutOp(0.3f), [[2, 3, 5]], true),
        ["MaxPool1d"] = (() => new MaxPool1dOp(3, 2, Padding.Symmetric(1)), [[2, 3, 9]], false),
        ["AvgPool1d"] = (() => new AvgPool1dOp(3, 2, Padding.Symmetric(1), false), [[2, 3, 9]], false),
        ["GlobalMaxPool"] = (() => new GlobalMaxPoolOp(), [[2, 3, 9]], false),
        ["GlobalAvgPool"] = (() => new GlobalAvgPoolOp(), [[2, 3, 9]], false),
        ["Flatten"] = (() => new FlattenOp(), [[2, 3, 9]], false),
        ["Reshape"] = (() => new ReshapeOp(9, -1), [[2, 3, 9]], false),
        ["Transpose"] = (() => new TransposeOp(0, 2, 1), [[2, 3, 9]], false),
        ["Pad"] = (() => new PadOp(2, 1), [[2, 3, 9]], false),
        ["Slice"] = (() => new SliceOp(-1, 1, -1, 2), [[2, 3, 9]], false),
        ["Concat"] = (() => new ConcatOp(1), [[2, 3, 9], [2, 2, 9]], false),
        ["Add"] = (() => new AddOp(), [[2, 3, 9], [2, 3], [2, 3, 9]], false),
        ["Sub"] = (() => new SubOp(), [[2, 3, 9], [2, 3, 9]], false),
        ["Mul"] = (() => new MulOp(), [[2, 3, 9], [2, 3, 9]], false),
        ["Affine"] = (() => new AffineOp(Tensor.FromValues([1f, -2f, 0.5f], 3, 1), Tensor.FromValues([0.25f], 1)), [[2, 3, 9]], false),
        ["Sum"] = (() => new SumOp([1, 2], true), [[2, 3, 9]], false),
        ["Mean"] = (() => new MeanOp([-1]), [[2, 3, 9]], false),
        ["Softmax"] = (() => new SoftmaxOp(1), [[2, 3, 9]], false),
        ["LogSoftmax"] = (() => new LogSoftmaxOp(), [[2, 3, 9]], false),
        ["QuasiRecurrentPool/train"] = (() => new QuasiRecurrentPoolOp(3, 0.25f), [[2, 9, 7]], true),
        ["QuasiRecurrentPool/eval"] = (() => new QuasiRecurrentPoolOp(5, 0.25f), [[3, 15, 9]], false),
        ["Reverse"] = (() => new ReverseOp(), [[2, 3, 9]], false),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ForwardAndBackward_AllocateNothing(string kind)
    {
        (Func<Op> create, int[][] shapes, bool training) = Cases[kind];
        Op op = create();
        int[] outShape = op.InferShape(shapes);
        var rng = new Rng(3);
        Tensor[] inputs = shapes.Select(s => GradientCheck.Random(rng, 0.1f, 1f, s)).ToArray();
        object? workspace = op.CreateWorkspace(shapes, outShape);
        var output = new Tensor(outShape);
        var forward = new ForwardContext { InputArray = inputs, Output = output, Training = training, Workspace = workspace, Seed = 1 };
        var backward = new BackwardContext
        {
            InputArray = inputs,
            InputGradArray = shapes.Select(s => (Tensor?)new Tensor(s)).ToArray(),
            Output = output,
            OutputGrad = GradientCheck.Random(rng, -1f, 1f, outShape),
            ParameterGradients = true,
            Training = training,
            Workspace = workspace,
        };

        // Warm up (JIT, lazily created random stream), then measure.
        op.Forward(forward);
        op.Backward(backward);
        long before = GC.GetAllocatedBytesForCurrentThread();
        op.Forward(forward);
        op.Backward(backward);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void EveryRegisteredKind_IsCovered()
    {
        var covered = Cases.Keys.Select(k => k.Split('/')[0]).ToHashSet();
        Assert.All(OpRegistry.Kinds, k => Assert.Contains(k, covered));
    }

    [Fact]
    public void EveryOpClass_IsRegisteredUnderItsKind()
    {
        var opTypes = typeof(Op).Assembly.GetTypes()
            .Where(t => t.Namespace == "SeqLens.Graphs.Ops" && t.IsSubclassOf(typeof(Op)) && !t.IsAbstract);
        foreach (Type t in opTypes)
        {
            Assert.Contains(Cases.Keys, k => k.Split('/')[0] == t.Name[..^2]);
            Assert.Contains(t.Name[..^2], OpRegistry.Kinds);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Attributes_RoundTripThroughRegistry(string kind)
    {
        (Func<Op> create, int[][] shapes, bool training) = Cases[kind];
        Op op = create();
        var json = new System.Text.Json.Nodes.JsonObject();
        op.WriteAttributes(json);
        Op copy = OpRegistry.Create(op.Kind, new OpAttributes("n", json), shapes.Select(s => (int[])[1, .. s[1..]]).ToArray(), new Rng(1));
        Assert.Equal(op.GetType(), copy.GetType());
        var json2 = new System.Text.Json.Nodes.JsonObject();
        copy.WriteAttributes(json2);
        Assert.Equal(json.ToJsonString(), json2.ToJsonString());
        Assert.Equal(op.InferShape(shapes), copy.InferShape(shapes));
        Assert.Equal(op.Parameters.Select(p => (p.LocalName, p.Trainable, Tensor.FormatShape(p.Value.Shape))), copy.Parameters.Select(p => (p.LocalName, p.Trainable, Tensor.FormatShape(p.Value.Shape))));
        _ = training;
    }
}
