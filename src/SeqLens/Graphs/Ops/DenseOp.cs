using System.Text.Json.Nodes;
using SeqLens.Kernels;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Fully connected layer on the last axis: <c>(..., In) → (..., Out)</c>, <c>y = x·Wᵀ + b</c> with weight
/// <c>(Out, In)</c> as in PyTorch's <c>nn.Linear</c>. Attribution: linear.
/// </summary>
public sealed class DenseOp : Op
{
    private readonly Parameter[] _parameters;

    /// <summary>A dense layer with He-uniform weights and zero bias.</summary>
    public DenseOp(int inFeatures, int outFeatures, Rng init, bool bias = true)
        : this(inFeatures, outFeatures, bias, () => Initializers.HeUniform(init, inFeatures, outFeatures, inFeatures), null)
    {
    }

    /// <summary>
    /// A dense layer that takes <paramref name="weight"/> <c>(Out, In)</c> and <paramref name="bias"/> as its parameter
    /// values without copying them (importers: no random initialisation of weights about to be replaced).
    /// </summary>
    internal DenseOp(Tensor weight, Tensor? bias)
        : this(weight.Shape.Length == 2 ? weight.Shape[1] : 0, weight.Shape[0], bias is not null, () => weight, bias)
    {
    }

    private DenseOp(int inFeatures, int outFeatures, bool bias, Func<Tensor> weight, Tensor? biasValue)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
        {
            throw new ArgumentException($"Invalid Dense: in {inFeatures}, out {outFeatures}.");
        }

        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter("weight", weight());
        if (biasValue is not null && (biasValue.Rank != 1 || biasValue.Length != outFeatures))
        {
            throw new ArgumentException($"Dense bias must have shape ({outFeatures}); got {Tensor.FormatShape(biasValue.Shape)}.");
        }

        Bias = bias ? new Parameter("bias", biasValue ?? new Tensor(outFeatures)) : null;
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    /// <summary>Weight <c>(Out, In)</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>Bias <c>(Out)</c>, or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc/>
    public override string Kind => "Dense";

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        int[] s = inputShapes[0];
        if (s.Length < 2 || s[^1] != InFeatures)
        {
            throw new ArgumentException($"Dense expects (batch, ..., {InFeatures}); got {Tensor.FormatShape(s)}. Add a Flatten before it to use all positions.");
        }

        return [.. s[..^1], OutFeatures];
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int rows = context.Input.Length / InFeatures;
        Span<float> y = context.Output.Data;
        if (Bias is not null)
        {
            for (int r = 0; r < rows; r++)
            {
                Bias.Value.Data.CopyTo(y.Slice(r * OutFeatures, OutFeatures));
            }
        }

        Gemm.Multiply(false, true, rows, OutFeatures, InFeatures, context.Input.Data, InFeatures, Weight.Value.Data, InFeatures, y, OutFeatures, Bias is null ? 0f : 1f);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int rows = context.Input.Length / InFeatures;
        float[] dy = context.OutputGrad.Data;
        if (context.InputGrad(0) is Tensor dx)
        {
            // dX (rows, In) += dY (rows, Out) · W (Out, In)
            Gemm.Multiply(false, false, rows, InFeatures, OutFeatures, dy, OutFeatures, Weight.Value.Data, InFeatures, dx.Data, InFeatures, 1f);
        }

        if (context.ParameterGradients)
        {
            // dW (Out, In) += dYᵀ (Out, rows) · X (rows, In)
            Gemm.Multiply(true, false, OutFeatures, InFeatures, rows, dy, OutFeatures, context.Input.Data, InFeatures, Weight.Grad.Data, InFeatures, 1f);
            if (Bias is not null)
            {
                Span<float> db = Bias.Grad.Data;
                for (int r = 0; r < rows; r++)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(db, dy.AsSpan(r * OutFeatures, OutFeatures), db);
                }
            }
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["in_features"] = InFeatures;
        attributes["out_features"] = OutFeatures;
        attributes["bias"] = Bias is not null;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes; <c>in_features</c> defaults to the input's last axis.</summary>
    internal static DenseOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(a.Int("in_features", inputShapes[0][^1]), a.Int("out_features"), init, a.Bool("bias", true));
}
