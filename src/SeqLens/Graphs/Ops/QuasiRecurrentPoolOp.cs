using System.Text.Json.Nodes;
using SeqLens.Kernels;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// QRNN fo-pooling (Bradbury et al. 2016): <c>(B, 3H, L) → (B, H, L)</c>. The input holds the <b>pre-activation</b>
/// gates <c>[Z̃; F̃; Õ]</c> (H channels each, in that order: the output of the layer's masked convolution); the op applies
/// <c>z = tanh(z̃)</c>, <c>f = sigmoid(f̃)</c>, <c>o = sigmoid(õ)</c> itself and scans
/// <c>c_t = f_t·c_{t−1} + (1 − f_t)·z_t</c>, <c>h_t = o_t·c_t</c> over the length axis from <c>c_{−1} = 0</c>
/// (kernel: <see cref="QuasiRecurrentPool"/>). Output h; c is kept in the workspace for backward.
/// </summary>
/// <remarks>
/// <para>Why one op with the activations fused: the scan is memory-bound, and separate tanh/sigmoid nodes would write and
/// re-read three more (B, H, L) tensors; backward recomputes the activations from the saved input instead.</para>
/// <para>Zoneout (<see cref="Zoneout"/> = p, default 0) as in the paper, on the forget gate: <c>f = 1 − dropout(1 − f)</c>.
/// In training each element keeps its gate with probability 1 − p and otherwise gets f = 1 (the state is carried over
/// unchanged); the mask is <b>not</b> rescaled (a rescaled 1 − f could exceed 1). In evaluation the expectation is used,
/// <c>f = 1 − (1 − p)(1 − f)</c>, as Salesforce's pytorch-qrnn does. The mask comes from
/// <see cref="ForwardContext.Random"/> (seed, step, node): reproducible.</para>
/// <para>Attribution (DESIGN.md §3): <see cref="AttributionClass.Product"/> — the op is gate products fed by element-wise
/// activations, and takes DeepLIFT's rules for both inside one backward scan
/// (<see cref="QuasiRecurrentDeepLift"/>): the activations z, σ, o take the Rescale multiplier <c>Δy/Δã</c> (the derivative
/// at the input row where |Δã| &lt; 1e-6, as <see cref="ElementwiseOp"/>), and each two-factor product (f·c_{t−1},
/// (1 − f)·z, o·c) the Shapley rule <c>Δ(uv) = ((v + v₀)/2)·Δu + ((u + u₀)/2)·Δv</c>, with the reference row's z₀, f₀, o₀
/// recomputed from its gates and c₀ from the saved states. So
/// <c>Δc_t = ((c_{t−1} + c₀_{t−1})/2 − (z_t + z₀_t)/2)·Δf_t + ((f_t + f₀_t)/2)·Δc_{t−1} + (1 − (f_t + f₀_t)/2)·Δz_t</c>
/// exactly, and the backward scan carries the multiplier of c: the gradient scan on pair-averaged values.
/// Summation-to-delta holds at the node up to float32 rounding.</para>
/// <para>Per rule: <see cref="BackwardRule.Gradient"/> is the gradient; <see cref="BackwardRule.Rescale"/> is the rule
/// above; <see cref="BackwardRule.RevealCancel"/> is the same rule (inside the fused op the gates' Δ is not split into
/// positive and negative parts; <see cref="MulOp"/> treats products the same way). In the split (RevealCancel) pass of the genomics
/// default the op uses the defaults of <see cref="Op.PropagateDeltas"/> and <see cref="Op.BackwardSplit"/>: its output Δ
/// is split by sign and one multiplier goes through this rule, which keeps the node's Σ m⁺Δ⁺ + m⁻Δ⁻ conserved.
/// Guided backpropagation is refused. DeepLIFT rules need an evaluation-mode forward when <see cref="Zoneout"/> &gt; 0:
/// the training mask differs between an input row and its reference row, so the gate is not one function of f̃.</para>
/// </remarks>
public sealed class QuasiRecurrentPoolOp : Op
{
    /// <summary>A pooling of <paramref name="hidden"/> channels with zoneout probability <paramref name="zoneout"/> in [0, 1).</summary>
    public QuasiRecurrentPoolOp(int hidden, float zoneout = 0f)
    {
        if (hidden <= 0)
        {
            throw new ArgumentException($"QuasiRecurrentPool needs hidden ≥ 1; got {hidden}.", nameof(hidden));
        }

        if (!(zoneout >= 0f && zoneout < 1f))
        {
            throw new ArgumentException($"QuasiRecurrentPool zoneout must be in [0, 1); got {zoneout}.", nameof(zoneout));
        }

        Hidden = hidden;
        Zoneout = zoneout;
    }

    /// <summary>Hidden channels H (the input has 3H).</summary>
    public int Hidden { get; }

    /// <summary>Zoneout probability on the forget gate (0 = none).</summary>
    public float Zoneout { get; }

    /// <inheritdoc/>
    public override string Kind => "QuasiRecurrentPool";

    /// <inheritdoc/>
    public override AttributionClass Attribution => AttributionClass.Product;

    /// <inheritdoc/>
    public override bool SupportsRule(BackwardRule rule) => rule is BackwardRule.Gradient or BackwardRule.Rescale or BackwardRule.RevealCancel;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        int[] s = inputShapes[0];
        if (s.Length != 3 || s[1] != 3 * Hidden)
        {
            throw new ArgumentException($"QuasiRecurrentPool expects (batch, {3 * Hidden}, length) = the gates [Z; F; O] of {Hidden} channels each; got {Tensor.FormatShape(s)}.");
        }

        return [s[0], Hidden, s[2]];
    }

    /// <summary>The saved cell states c <c>(B, H, L)</c> and the zoneout keep mask of the last training pass.</summary>
    public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape)
    {
        ArgumentNullException.ThrowIfNull(outputShape);
        int n = OpShapes.Product(outputShape, 0, outputShape.Length);
        return new Workspace(new float[n], Zoneout > 0f ? new float[n] : []);
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ws = (Workspace)context.Workspace!;
        int[] s = context.Output.Shape;
        (float[] keep, float scale) = context.Training && Zoneout > 0f ? (ws.Keep, 1f) : ([], 1f - Zoneout);
        ws.TrainingMask = keep.Length > 0;
        if (ws.TrainingMask)
        {
            Rng random = context.Random;
            for (int i = 0; i < keep.Length; i++)
            {
                keep[i] = random.NextSingle() < Zoneout ? 0f : 1f;
            }
        }

        QuasiRecurrentPool.Forward(s[0], s[1], s[2], context.Input.Data, keep, scale, context.Output.Data, ws.C);
    }

    /// <summary>
    /// Gradient, or for DeepLIFT rules (Rescale, RevealCancel) the Rescale/Shapley scan of <see cref="QuasiRecurrentDeepLift"/>
    /// against <see cref="BackwardContext.Pairs"/> (see the remarks of the class).
    /// </summary>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is not Tensor dx)
        {
            return;
        }

        var ws = (Workspace)context.Workspace!;
        int[] s = context.Output.Shape;
        if (context.Rule != BackwardRule.Gradient)
        {
            RowPairs pairs = context.Pairs ?? throw new InvalidOperationException($"{Kind}: the {context.Rule} rule needs row pairs.");
            if (ws.TrainingMask)
            {
                throw new InvalidOperationException($"{Kind}: the {context.Rule} rule needs an evaluation-mode forward pass (zoneout {Zoneout} draws a different training mask for an input row and its reference row).");
            }

            QuasiRecurrentDeepLift.Backward(s[1], s[2], pairs.InputRow, pairs.ReferenceRow, context.Input.Data, 1f - Zoneout, ws.C, context.OutputGrad.Data, dx.Data);
            return;
        }

        float[] keep = ws.TrainingMask ? ws.Keep : [];
        float scale = ws.TrainingMask ? 1f : 1f - Zoneout;
        QuasiRecurrentPool.Backward(s[0], s[1], s[2], context.Input.Data, keep, scale, ws.C, context.OutputGrad.Data, dx.Data);
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["hidden"] = Hidden;
        attributes["zoneout"] = Zoneout;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes (<c>hidden</c>, default: a third of the input channels; <c>zoneout</c>, default 0).</summary>
    internal static QuasiRecurrentPoolOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Int("hidden", inputShapes[0].Length > 1 ? inputShapes[0][1] / 3 : null), a.Float("zoneout", 0f));

    private sealed class Workspace(float[] c, float[] keep)
    {
        public float[] C { get; } = c;

        public float[] Keep { get; } = keep;

        public bool TrainingMask { get; set; }
    }
}
