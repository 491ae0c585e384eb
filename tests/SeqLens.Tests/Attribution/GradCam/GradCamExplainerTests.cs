using SeqLens.Attribution.GradCam;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;
using SeqLens.Tests.Graphs;
using SeqLens.Tests.Support;

namespace SeqLens.Tests.Attribution.GradCam;

public class GradCamExplainerTests
{
    // Toy net: one-hot "ACGT" (L = 4) → conv "c" (2 filters, k = 2, valid) → ReLU → global average → dense (2 tasks).
    // Filter 0: tap 0 = [A 1, C 0, G −1, T 0.5], tap 1 = [A 0, C 2, G 0, T −1], bias 0.1.
    // Filter 1: tap 0 = [A −1, C 1, G 1, T 0], tap 1 = [A 0, C 0, G 2, T 1], bias −0.5.
    // Activations A (positions see AC, CG, GT):
    //   A0 = [1 + 2 + 0.1, 0 + 0 + 0.1, −1 − 1 + 0.1] = [3.1, 0.1, −1.9]
    //   A1 = [−1 + 0 − 0.5, 1 + 2 − 0.5, 1 + 1 − 0.5] = [−1.5, 2.5, 1.5]
    // Task 0 = 2·mean(ReLU A0) − 3·mean(ReLU A1); task 1 = mean(ReLU A0) + mean(ReLU A1).
    // Task 0: g = ∂S/∂A = w_c/3 where A > 0: g0 = [2/3, 2/3, 0], g1 = [0, −1, −1].
    private static (Graph Graph, Tensor X) ToyNet()
    {
        var b = new GraphBuilder(1);
        Node input = b.Input("x", 4, 4);
        Node c = b.Conv1d(input, 2, 2, name: "c");
        Node d = b.Dense(b.GlobalAvgPool(b.Relu(c)), 2, name: "d");
        Graph g = b.Build(d, activation: OutputActivation.None);
        var conv = (Conv1dOp)g["c"].Op;
        // Weight (out, in, k): w[o, ch, k].
        float[,,] w =
        {
            { { 1, 0 }, { 0, 2 }, { -1, 0 }, { 0.5f, -1 } },
            { { -1, 0 }, { 1, 0 }, { 1, 2 }, { 0, 1 } },
        };
        for (int o = 0; o < 2; o++)
        {
            for (int ch = 0; ch < 4; ch++)
            {
                for (int k = 0; k < 2; k++)
                {
                    conv.Weight.Value[o, ch, k] = w[o, ch, k];
                }
            }
        }

        conv.Bias!.Value.Data[0] = 0.1f;
        conv.Bias.Value.Data[1] = -0.5f;
        var dense = (DenseOp)g["d"].Op;
        // Dense weight (out, in).
        dense.Weight.Value.Data[0] = 2f;
        dense.Weight.Value.Data[1] = -3f;
        dense.Weight.Value.Data[2] = 1f;
        dense.Weight.Value.Data[3] = 1f;
        var x = new Tensor(1, 4, 4);
        for (int i = 0; i < 4; i++)
        {
            x[0, i, i] = 1f;
        }

        return (g, x);
    }

    [Fact]
    public void GradCam_OnToyNet_EqualsHandComputation()
    {
        (Graph g, Tensor x) = ToyNet();
        GradCamResult r = new GradCamExplainer(g, "c", new GradCamOptions { Relu = false }).Attribute(x, new GradCamTarget(0));
        // w0 = mean(g0) = 4/9, w1 = mean(g1) = −2/3.
        OpHarness.Close([4f / 9f, -2f / 3f], r.Weights.Data, 1e-6, 1e-7, "weights");
        // cam = 4/9·A0 − 2/3·A1 = [1.377778 + 1, 0.044444 − 1.666667, −0.844444 − 1].
        float[] cam = [(4f / 9f * 3.1f) + 1f, (4f / 9f * 0.1f) - (2f / 3f * 2.5f), (4f / 9f * -1.9f) - 1f];
        OpHarness.Close(cam, r.Cam.Data, 1e-5, 1e-6, "cam");
        // Positions cover nucleotides [p, p + 2): nt0 ← p0, nt1 ← p0, p1, nt2 ← p1, p2, nt3 ← p2.
        OpHarness.Close([cam[0], (cam[0] + cam[1]) / 2, (cam[1] + cam[2]) / 2, cam[2]], r.Nucleotide.Data, 1e-5, 1e-6, "nucleotides");
        Assert.Equal([1, 2], r.Weights.Shape);
        Assert.Equal([1, 3], r.Cam.Shape);
        Assert.Equal([1, 4], r.Nucleotide.Shape);
    }

    [Fact]
    public void Relu_AndMaxAggregation_EqualHandComputation()
    {
        (Graph g, Tensor x) = ToyNet();
        GradCamResult r = new GradCamExplainer(g, "c", new GradCamOptions { Aggregation = NucleotideAggregation.Max }).Attribute(x, new GradCamTarget(0));
        float c0 = (4f / 9f * 3.1f) + 1f;
        OpHarness.Close([c0, 0f, 0f], r.Cam.Data, 1e-5, 1e-6, "cam");
        OpHarness.Close([c0, c0, 0f, 0f], r.Nucleotide.Data, 1e-5, 1e-6, "nucleotides");
    }

    [Fact]
    public void PlusPlus_EqualsHandComputation()
    {
        (Graph g, Tensor x) = ToyNet();
        GradCamResult r = new GradCamExplainer(g, "c", new GradCamOptions { PlusPlus = true, Relu = false }).Attribute(x, new GradCamTarget(0));
        // Channel 0: ΣA0 = 1.3; at g = 2/3: α = (4/9) / (2·4/9 + 1.3·8/27); w0 = 2·α·2/3 (the g = 0 position has α = 0).
        double alpha = (4.0 / 9) / ((8.0 / 9) + (1.3 * 8 / 27));
        float w0 = (float)(2 * alpha * 2 / 3);
        // Channel 1: g ≤ 0 everywhere, so ReLU(g) = 0 and w1 = 0.
        OpHarness.Close([w0, 0f], r.Weights.Data, 1e-5, 1e-7, "weights");
        OpHarness.Close([w0 * 3.1f, w0 * 0.1f, w0 * -1.9f], r.Cam.Data, 1e-5, 1e-6, "cam");
    }

    [Fact]
    public void Contrast_IsTheDifferenceOfTheTwoTasks()
    {
        (Graph g, Tensor x) = ToyNet();
        var explainer = new GradCamExplainer(g, "c", new GradCamOptions { Relu = false });
        float[] w0 = explainer.Attribute(x, new GradCamTarget(0)).Weights.Data.ToArray();
        float[] w1 = explainer.Attribute(x, new GradCamTarget(1)).Weights.Data.ToArray();
        float[] wc = explainer.Attribute(x, new GradCamTarget(0, 1)).Weights.Data.ToArray();
        // Task 1: g0 = [1/3, 1/3, 0], g1 = [0, 1/3, 1/3] → w = [2/9, 2/9].
        OpHarness.Close([2f / 9f, 2f / 9f], w1, 1e-6, 1e-7, "task 1 weights");
        OpHarness.Close([w0[0] - w1[0], w0[1] - w1[1]], wc, 1e-6, 1e-7, "contrast weights");
    }

    [Fact]
    public void Guided_IsNucleotideCamTimesGradientTimesInput()
    {
        (Graph g, Tensor x) = ToyNet();
        GradCamResult r = new GradCamExplainer(g, "c", new GradCamOptions { Guided = true }).Attribute(x, new GradCamTarget(0));
        // ∂S/∂x at the one-hot entries (A at 0, C at 1, G at 2, T at 3): Σ over positions p covering i of Σ_c g_cp·w[c, base, i − p].
        // A@0: p0 tap0: g00·1 + g10·(−1) = 2/3. C@1: p0 tap1: g00·2 + g10·0 = 4/3; p1 tap0: g01·0 + g11·1 = −1 → 1/3.
        // G@2: p1 tap1: g01·0 + g11·2 = −2; p2 tap0: g02·(−1) + g12·1 = −1 → −3. T@3: p2 tap1: g02·(−1) + g12·1 = −1.
        float c0 = (4f / 9f * 3.1f) + 1f;
        float[] nucleotide = [c0, c0 / 2, 0f, 0f];
        float[] grad = [2f / 3f, 1f / 3f, -3f, -1f];
        Assert.Equal([1, 4, 4], r.Guided!.Shape);
        for (int ch = 0; ch < 4; ch++)
        {
            for (int i = 0; i < 4; i++)
            {
                float expected = ch == i ? nucleotide[i] * grad[i] : 0f;
                Assert.True(Math.Abs(r.Guided[0, ch, i] - expected) < 1e-5, $"guided[{ch}, {i}] = {r.Guided[0, ch, i]}, expected {expected}");
            }
        }
    }

    [Fact]
    public void QrnnNode_Works_AndBatchRowsAreIndependent()
    {
        var b = new GraphBuilder(5);
        Node x = b.Input("x", 4, 12);
        Node q = b.Qrnn(x, 3, bidirectional: true, name: "q");
        Graph g = b.Build(b.Dense(b.GlobalMaxPool(b.Conv1d(q, 4, 3, name: "top")), 2), activation: OutputActivation.None);
        var batch = GradientCheck.Random(new Rng(3), 0, 1, [3, 4, 12]);
        var explainer = new GradCamExplainer(g, "q.l0.fwd.pool", new GradCamOptions { PlusPlus = true });
        GradCamResult all = explainer.Attribute(batch, new GradCamTarget(1));
        Assert.Equal([3, 12], all.Nucleotide.Shape);
        var single = new Tensor(1, 4, 12);
        batch.Data.AsSpan(2 * 48, 48).CopyTo(single.Data);
        GradCamResult one = explainer.Attribute(single, new GradCamTarget(1));
        OpHarness.Close(all.Cam.Data.AsSpan(24, 12), one.Cam.Data, 1e-5, 1e-6, "row 2 cam");

        // The forward direction's node position t sees the prefix: the last nucleotide is covered only by the last position.
        Assert.Equal(one.Cam.Data[11], one.Nucleotide.Data[11], 5);
    }

    [Fact]
    public void BadTargetOrLayer_Throw()
    {
        (Graph g, Tensor x) = ToyNet();
        var ex = Assert.Throws<ArgumentException>(() => new GradCamExplainer(g, "c").Attribute(x, new GradCamTarget(2)));
        Assert.Contains("out of range", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new GradCamExplainer(g, "nope"));
        Assert.Throws<ArgumentException>(() => new GradCamExplainer(g, "d"));
    }
}
