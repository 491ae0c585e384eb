using SeqLens.Attribution;
using SeqLens.Graphs;

namespace SeqLens.Tests.Attribution;

/// <summary>Every element-wise op, the generic linear split (pad value, slice, concat, transpose), global max-pool and refusals.</summary>
public class RuleCoverageTests
{
    public static TheoryData<string> Activations() => new() { "relu", "leaky", "elu", "gelu", "sigmoid", "tanh", "softplus", "exp" };

    [Theory]
    [MemberData(nameof(Activations))]
    public void EveryElementwiseOp_ConservesUnderRescaleAndRevealCancel(string kind)
    {
        const int length = 13;
        var b = new GraphBuilder(4);
        Node x = b.Input("dna", 4, length);
        Node h = b.Conv1d(x, 5, 3, padding: Padding.Same, name: "conv");
        h = Activation(b, kind, h);
        Node d = b.Dense(b.Flatten(h), 6, name: "fc");
        Node o = b.Dense(Activation(b, kind, d), 2, name: "out");
        Graph g = b.Build(o, activation: OutputActivation.None);
        Tensor input = AttributionModels.RandomDna(2, length, 3);
        foreach (DeepLiftRule rule in Enum.GetValues<DeepLiftRule>())
        {
            DeepLiftResult r = new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(3, 2), new DeepLiftOptions { Rule = rule }).Attribute(input, AttributionTarget.Task(1));
            Assert.True(r.Audit!.Passed, $"{kind} {rule}: max delta {r.Audit.MaxDelta}, culprit {r.Audit.CulpritNode}");
        }
    }

    [Fact]
    public void GenericLinearSplit_PadValueSliceConcatTranspose_AndGlobalMaxPool()
    {
        const int length = 11;
        var b = new GraphBuilder(6);
        Node x = b.Input("dna", 4, length);
        Node h = b.Relu(b.Conv1d(x, 4, 3, name: "conv"), name: "r1");
        Node padded = b.Pad(h, 2, 1, value: 0.5f, name: "pad");
        Node left = b.Slice(padded, 2, 0, 6, name: "left");
        Node right = b.Slice(padded, 2, 6, 12, name: "right");
        Node cat = b.Concat([left, right], axis: 1, name: "cat");
        Node t = b.Transpose(b.Transpose(cat, [0, 2, 1], name: "t1"), [0, 2, 1], name: "t2");
        Node pooled = b.GlobalMaxPool(b.Elu(b.Conv1d(t, 3, 2, name: "conv2"), name: "elu"), name: "gmp");
        Node o = b.Dense(b.Relu(b.Dense(pooled, 4, name: "fc"), name: "r2"), 2, name: "out");
        Graph g = b.Build(o, activation: OutputActivation.None);
        Tensor input = AttributionModels.RandomDna(3, length, 5);
        foreach (DeepLiftRule rule in Enum.GetValues<DeepLiftRule>())
        {
            DeepLiftResult r = new DeepLiftShap(g, AttributionReferences.DinucleotideShuffles(4, 9), new DeepLiftOptions { Rule = rule }).Attribute(input, AttributionTarget.Contrast(0, 1));
            Assert.True(r.Audit!.Passed, $"{rule}: max delta {r.Audit.MaxDelta}, culprit {r.Audit.CulpritNode}");
            Assert.Contains(r.TargetDeltas, d => Math.Abs(d) > 1e-3);
        }
    }

    [Fact]
    public void SignedAffine_SwapsTheSplitAndConserves()
    {
        // y = −2·x then ReLU: under RevealCancel a negative scale must turn Δ⁺ into Δ⁻ (and back), else the ReLU sees the
        // wrong parts. Input (1, 2) with x = (3, 1), x0 = 0 through d = x1 − x2, a = −2·d, h = ReLU(−a) = ReLU(2d).
        var b = new GraphBuilder(1);
        Node x = b.Input("x", 1, 2);
        Node d = b.Dense(x, 1, name: "d");
        AttributionModels.SetDense(d, 1, -1);
        Node a = b.Add(new SeqLens.Graphs.Ops.AffineOp(Tensor.FromValues([-2f], 1), new Tensor(1)), [d], "neg");
        Node a2 = b.Add(new SeqLens.Graphs.Ops.AffineOp(Tensor.FromValues([-1f], 1), Tensor.FromValues([0.25f], 1)), [a], "flip");
        Node h = b.Relu(a2, name: "h");
        Graph g = b.Build(b.Flatten(h), activation: OutputActivation.None);
        var dl = new DeepLift(g, new DeepLiftOptions { Rule = DeepLiftRule.RevealCancel });
        DeepLiftResult r = dl.Attribute(new Tensor([3f, 1f], 1, 1, 2), AttributionReferences.Zeros(), AttributionTarget.Task(0));
        // h's input: Δ⁺ = 2·3 = 6 (from x1), Δ⁻ = −2 (from x2); reference value 0.25. Δh⁺ = ½(ReLU(6.25) − 0.25) + ½(4.25 − ReLU(−1.75)) = 5.125,
        // Δh⁻ = ½(ReLU(−1.75) − 0.25) + ½(4.25 − 6.25) = −1.125; so x1 gets 5.125 and x2 gets −1.125.
        Assert.Equal(5.125f, r.DifferenceContributions.Data[0], 5);
        Assert.Equal(-1.125f, r.DifferenceContributions.Data[1], 5);
        Assert.True(r.Audit!.Passed);
    }

    [Fact]
    public void SoftmaxInsideTheGraph_IsRefusedClearly()
    {
        var b = new GraphBuilder(1);
        Node x = b.Input("dna", 4, 6);
        Node s = b.Softmax(b.Conv1d(x, 3, 3, name: "conv"), axis: 1, name: "inner");
        Graph g = b.Build(b.Dense(b.Flatten(s), 2, name: "out"), activation: OutputActivation.None);
        var ex = Assert.Throws<NotSupportedException>(() => new DeepLift(g).Attribute(AttributionModels.RandomDna(1, 6, 1), AttributionReferences.Zeros(), AttributionTarget.Task(0)));
        Assert.Contains("inner", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FastaReferences_WrongLengthIsAParseError()
    {
        string path = Path.Combine(Path.GetTempPath(), "seqlens-refs-" + Guid.NewGuid().ToString("N") + ".fa");
        File.WriteAllText(path, ">a\nACGT\n>b\nACG\n");
        try
        {
            var ex = Assert.Throws<SeqLens.IO.ParseException>(() => AttributionReferences.FromFasta(path));
            Assert.Contains("record 2", ex.Message, StringComparison.Ordinal);
            File.WriteAllText(path, ">a\nACGT\n>b\nTTGA\n");
            AttributionReferences refs = AttributionReferences.FromFasta(path);
            Assert.Equal(2, refs.Count);
            var dest = new float[16];
            refs.Fill(new float[16], 4, 0, 1, dest);
            Assert.Equal(1f, dest[(3 * 4) + 0]); // T at position 0 of 'TTGA'
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Node Activation(GraphBuilder b, string kind, Node h) => kind switch
    {
        "relu" => b.Relu(h),
        "leaky" => b.LeakyRelu(h, 0.1f),
        "elu" => b.Elu(h),
        "gelu" => b.Gelu(h),
        "sigmoid" => b.Sigmoid(h),
        "tanh" => b.Tanh(h),
        "softplus" => b.Softplus(h),
        _ => b.Exp(b.Tanh(h)),
    };
}
