using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Batch normalisation (Ioffe &amp; Szegedy 2015) over channels of <c>(B, C, L)</c> or <c>(B, C)</c>, as PyTorch's
/// <c>nn.BatchNorm1d</c>: <c>y = (x − μ)/√(σ² + ε)·γ + β</c>.
/// </summary>
/// <remarks>
/// <para>Training: μ and σ² (biased) are the statistics of the batch over (batch, length); the running statistics
/// become <c>(1 − m)·running + m·batch</c> with momentum m = 0.1 and, as PyTorch, the <b>unbiased</b> batch variance
/// (n/(n − 1)). Evaluation: the running statistics. ε = 1e-5. Parameters: <c>weight</c> γ and <c>bias</c> β
/// (trainable, when affine), <c>running_mean</c> and <c>running_var</c> (stored, not trainable).</para>
/// <para>Attribution: linear in evaluation (an affine map per channel). In training the batch statistics couple the
/// rows (class <see cref="AttributionClass.Other"/>), so only the gradient rule is accepted there.</para>
/// </remarks>
public sealed class BatchNorm1dOp : Op
{
    private readonly Parameter[] _parameters;

    /// <summary>A batch-norm over <paramref name="channels"/> with γ = 1, β = 0, running mean 0 and variance 1.</summary>
    public BatchNorm1dOp(int channels, float momentum = 0.1f, float epsilon = 1e-5f, bool affine = true)
    {
        if (channels <= 0 || !(momentum >= 0f && momentum <= 1f) || !(epsilon > 0f))
        {
            throw new ArgumentException($"Invalid BatchNorm1d: channels {channels}, momentum {momentum}, eps {epsilon}.");
        }

        Channels = channels;
        Momentum = momentum;
        Epsilon = epsilon;
        Weight = affine ? new Parameter("weight", Initializers.Constant(1f, channels)) : null;
        Bias = affine ? new Parameter("bias", new Tensor(channels)) : null;
        RunningMean = new Parameter("running_mean", new Tensor(channels), trainable: false);
        RunningVar = new Parameter("running_var", Initializers.Constant(1f, channels), trainable: false);
        _parameters = affine ? [Weight!, Bias!, RunningMean, RunningVar] : [RunningMean, RunningVar];
    }

    /// <summary>Number of channels C.</summary>
    public int Channels { get; }

    /// <summary>Weight of the batch statistics in the running ones (PyTorch's convention; Keras' is 1 − this).</summary>
    public float Momentum { get; }

    /// <summary>ε added to the variance.</summary>
    public float Epsilon { get; }

    /// <summary>γ <c>(C)</c>, or null without affine.</summary>
    public Parameter? Weight { get; }

    /// <summary>β <c>(C)</c>, or null without affine.</summary>
    public Parameter? Bias { get; }

    /// <summary>Running mean <c>(C)</c> (not trainable).</summary>
    public Parameter RunningMean { get; }

    /// <summary>Running variance <c>(C)</c> (not trainable).</summary>
    public Parameter RunningVar { get; }

    /// <summary>
    /// Channel <paramref name="c"/>'s evaluation-mode map <c>y = scale·x + shift</c>, computed exactly as the evaluation forward
    /// computes it: <c>scale = γ·(float)(1/√(σ² + ε))</c>, <c>shift = β − μ·scale</c> (for folding it into other ops).
    /// </summary>
    internal (float Scale, float Shift) EvaluationAffine(int c)
    {
        float scale = (float)(1.0 / Math.Sqrt(RunningVar.Value.Data[c] + (double)Epsilon)) * (Weight is null ? 1f : Weight.Value.Data[c]);
        return (scale, (Bias is null ? 0f : Bias.Value.Data[c]) - (RunningMean.Value.Data[c] * scale));
    }

    /// <inheritdoc/>
    public override string Kind => "BatchNorm1d";

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        int[] s = inputShapes[0];
        if ((s.Length != 2 && s.Length != 3) || s[1] != Channels)
        {
            throw new ArgumentException($"BatchNorm1d expects (batch, {Channels}, length) or (batch, {Channels}); got {Tensor.FormatShape(s)}.");
        }

        return (int[])s.Clone();
    }

    /// <summary>Per-channel mean and 1/√(σ² + ε) of the last forward pass.</summary>
    public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape)
        => new Statistics(new float[Channels], new float[Channels]);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stats = (Statistics)context.Workspace!;
        int[] s = context.Input.Shape;
        int batch = s[0];
        int length = s.Length == 3 ? s[2] : 1;
        float[] x = context.Input.Data;
        float[] y = context.Output.Data;
        long n = (long)batch * length;
        if (context.Training)
        {
            if (n < 2)
            {
                throw new ArgumentException($"BatchNorm1d in training needs more than one value per channel; got input {Tensor.FormatShape(s)}.");
            }

            for (int c = 0; c < Channels; c++)
            {
                // NOTE: two passes in double: a mean, then squared deviations (no E[x²] − E[x]² cancellation).
                double sum = 0;
                for (int b = 0; b < batch; b++)
                {
                    int o = ((b * Channels) + c) * length;
                    for (int t = 0; t < length; t++)
                    {
                        sum += x[o + t];
                    }
                }

                double mean = sum / n;
                double sq = 0;
                for (int b = 0; b < batch; b++)
                {
                    int o = ((b * Channels) + c) * length;
                    for (int t = 0; t < length; t++)
                    {
                        double d = x[o + t] - mean;
                        sq += d * d;
                    }
                }

                double variance = sq / n;
                stats.Mean[c] = (float)mean;
                stats.InvStd[c] = (float)(1.0 / Math.Sqrt(variance + Epsilon));
                float[] rm = RunningMean.Value.Data;
                float[] rv = RunningVar.Value.Data;
                rm[c] = (float)(((1.0 - Momentum) * rm[c]) + (Momentum * mean));
                rv[c] = (float)(((1.0 - Momentum) * rv[c]) + (Momentum * sq / (n - 1)));
            }
        }
        else
        {
            for (int c = 0; c < Channels; c++)
            {
                stats.Mean[c] = RunningMean.Value.Data[c];
                stats.InvStd[c] = (float)(1.0 / Math.Sqrt(RunningVar.Value.Data[c] + (double)Epsilon));
            }
        }

        var body = new ScaleShiftRows(this, stats, x, y, length, null);
        RowParallel.For(batch, (long)Channels * length, ref body);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Training && context.Rule != BackwardRule.Gradient)
        {
            throw new NotSupportedException($"BatchNorm1d in training mode couples the batch rows; only the gradient rule applies (got {context.Rule}). Run attribution in evaluation mode.");
        }

        var stats = (Statistics)context.Workspace!;
        int[] s = context.Input.Shape;
        int batch = s[0];
        int length = s.Length == 3 ? s[2] : 1;
        float[] x = context.Input.Data;
        float[] dy = context.OutputGrad.Data;
        Tensor? dxT = context.InputGrad(0);
        bool paramGrads = context.ParameterGradients && Weight is not null;
        double n = (double)batch * length;
        if (!context.Training && !paramGrads)
        {
            // Evaluation, input gradient only (attribution): dx += γ·inv·dy, one vector pass per (row, channel).
            if (dxT is not null)
            {
                var body = new ScaleShiftRows(this, stats, dy, dxT.Data, length, dxT.Data);
                RowParallel.For(batch, (long)Channels * length, ref body);
            }

            return;
        }

        for (int c = 0; c < Channels; c++)
        {
            float mean = stats.Mean[c];
            float inv = stats.InvStd[c];
            float gamma = Weight is null ? 1f : Weight.Value.Data[c];

            // Σ dy and Σ dy·x̂ over (batch, length): the parameter gradients, and the training-mode input correction.
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int b = 0; b < batch; b++)
            {
                int o = ((b * Channels) + c) * length;
                for (int t = 0; t < length; t++)
                {
                    double g = dy[o + t];
                    sumDy += g;
                    sumDyXhat += g * (x[o + t] - mean) * inv;
                }
            }

            if (paramGrads)
            {
                Weight!.Grad.Data[c] += (float)sumDyXhat;
                Bias!.Grad.Data[c] += (float)sumDy;
            }

            if (dxT is null)
            {
                continue;
            }

            float[] dx = dxT.Data;
            if (context.Training)
            {
                // dx = γ·inv/n · (n·dy − Σdy − x̂·Σ(dy·x̂))
                double meanDy = sumDy / n;
                double meanDyXhat = sumDyXhat / n;
                double k = gamma * (double)inv;
                for (int b = 0; b < batch; b++)
                {
                    int o = ((b * Channels) + c) * length;
                    for (int t = 0; t < length; t++)
                    {
                        double xhat = (x[o + t] - mean) * (double)inv;
                        dx[o + t] += (float)(k * (dy[o + t] - meanDy - (xhat * meanDyXhat)));
                    }
                }
            }
            else
            {
                float k = gamma * inv;
                for (int b = 0; b < batch; b++)
                {
                    int o = ((b * Channels) + c) * length;
                    for (int t = 0; t < length; t++)
                    {
                        dx[o + t] += dy[o + t] * k;
                    }
                }
            }
        }
    }

    /// <summary><c>y = x·scale + shift</c> in one vector pass (not fused: the same bits as the scalar expression).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleShift(ReadOnlySpan<float> x, float scale, float shift, Span<float> y)
    {
        var xs = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(x);
        var ys = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(y);
        var vs = new System.Numerics.Vector<float>(scale);
        var vb = new System.Numerics.Vector<float>(shift);
        for (int v = 0; v < xs.Length; v++)
        {
            ys[v] = (xs[v] * vs) + vb;
        }

        for (int i = xs.Length * System.Numerics.Vector<float>.Count; i < x.Length; i++)
        {
            y[i] = (x[i] * scale) + shift;
        }
    }

    /// <summary>Split pass (evaluation): per channel scale s = γ/√(σ²+ε); s ≥ 0 keeps Δ⁺/Δ⁻, s &lt; 0 swaps them.</summary>
    public override void PropagateDeltas(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ForEachChannelScale(context, (scale, o, n) =>
        {
            Span<float> outPos = context.OutputDeltaPos.Data.AsSpan(o, n);
            Span<float> outNeg = context.OutputDeltaNeg.Data.AsSpan(o, n);
            ReadOnlySpan<float> inPos = context.InputDeltaPos(0).Data.AsSpan(o, n);
            ReadOnlySpan<float> inNeg = context.InputDeltaNeg(0).Data.AsSpan(o, n);
            System.Numerics.Tensors.TensorPrimitives.Multiply(scale >= 0f ? inPos : inNeg, scale, outPos);
            System.Numerics.Tensors.TensorPrimitives.Multiply(scale >= 0f ? inNeg : inPos, scale, outNeg);
        });
    }

    /// <summary>Split pass (evaluation): <c>m⁺in += s·m⁺</c>, <c>m⁻in += s·m⁻</c> for s ≥ 0, crossed for s &lt; 0.</summary>
    public override void BackwardSplit(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ForEachChannelScale(context, (scale, o, n) =>
        {
            ReadOnlySpan<float> mp = context.OutputGrad.Data.AsSpan(o, n);
            ReadOnlySpan<float> mn = context.OutputGradNeg.Data.AsSpan(o, n);
            if (context.InputGrad(0) is Tensor gp)
            {
                Span<float> d = gp.Data.AsSpan(o, n);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(scale >= 0f ? mp : mn, scale, d, d);
            }

            if (context.InputGradNeg(0) is Tensor gn)
            {
                Span<float> d = gn.Data.AsSpan(o, n);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(scale >= 0f ? mn : mp, scale, d, d);
            }
        });
    }

    private void ForEachChannelScale(BackwardContext context, Action<float, int, int> action)
    {
        if (context.Training)
        {
            throw new NotSupportedException("BatchNorm1d in training mode couples the batch rows; run attribution in evaluation mode.");
        }

        var stats = (Statistics)context.Workspace!;
        int[] s = context.Input.Shape;
        int length = s.Length == 3 ? s[2] : 1;
        for (int b = 0; b < s[0]; b++)
        {
            for (int c = 0; c < Channels; c++)
            {
                float scale = stats.InvStd[c] * (Weight is null ? 1f : Weight.Value.Data[c]);
                action(scale, ((b * Channels) + c) * length, length);
            }
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["num_features"] = Channels;
        attributes["momentum"] = Momentum;
        attributes["eps"] = Epsilon;
        attributes["affine"] = Weight is not null;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes; <c>num_features</c> defaults to the input's channels.</summary>
    internal static BatchNorm1dOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(
            a.Int("num_features", inputShapes[0].Length > 1 ? inputShapes[0][1] : null),
            a.Float("momentum", 0.1f),
            a.Float("eps", 1e-5f),
            a.Bool("affine", true));

    /// <summary>Evaluation rows: <c>y = x·s + t</c> per channel (forward), or <c>dx += dy·s</c> when <c>accumulate</c> is set (backward).</summary>
    private readonly struct ScaleShiftRows(BatchNorm1dOp op, Statistics stats, float[] x, float[] y, int length, float[]? accumulate) : IRowBody
    {
        public void Run(int first, int end)
        {
            int channels = op.Channels;
            for (int b = first; b < end; b++)
            {
                for (int c = 0; c < channels; c++)
                {
                    float scale = stats.InvStd[c] * (op.Weight is null ? 1f : op.Weight.Value.Data[c]);
                    int o = ((b * channels) + c) * length;
                    if (accumulate is null)
                    {
                        float shift = (op.Bias is null ? 0f : op.Bias.Value.Data[c]) - (stats.Mean[c] * scale);
                        ScaleShift(x.AsSpan(o, length), scale, shift, y.AsSpan(o, length));
                    }
                    else
                    {
                        var rowDx = accumulate.AsSpan(o, length);
                        TensorPrimitives.MultiplyAdd(x.AsSpan(o, length), scale, rowDx, rowDx);
                    }
                }
            }
        }
    }

    private sealed record Statistics(float[] Mean, float[] InvStd);
}
