using System.Text.Json.Nodes;
using SeqLens.Kernels;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// 1-D convolution (cross-correlation) <c>(B, Cin, L) → (B, Cout, Lout)</c> with stride, dilation, padding, groups
/// and optional bias. Weight <c>(Cout, Cin/groups, K)</c> as in PyTorch. Attribution: linear.
/// </summary>
public sealed class Conv1dOp : Op
{
    private readonly Parameter[] _parameters;

    /// <summary>A convolution with freshly initialised (He-uniform) weights and zero bias.</summary>
    public Conv1dOp(int inChannels, int outChannels, int kernelSize, Rng init, int stride = 1, int dilation = 1, Padding padding = default, int groups = 1, bool bias = true)
        : this(inChannels, outChannels, kernelSize, stride, dilation, padding, groups, bias, () => Initializers.HeUniform(init, inChannels / groups * kernelSize, outChannels, inChannels / groups, kernelSize), null)
    {
    }

    /// <summary>
    /// A convolution that takes <paramref name="weight"/> <c>(Cout, Cin/groups, K)</c> and <paramref name="bias"/> as its
    /// parameter values without copying them (importers: no random initialisation of weights about to be replaced).
    /// </summary>
    internal Conv1dOp(Tensor weight, Tensor? bias, int stride, int dilation, Padding padding, int groups)
        : this(weight.Shape.Length == 3 ? groups * weight.Shape[1] : 0, weight.Shape[0], weight.Shape[^1], stride, dilation, padding, groups, bias is not null, () => weight, bias)
    {
    }

    private Conv1dOp(int inChannels, int outChannels, int kernelSize, int stride, int dilation, Padding padding, int groups, bool bias, Func<Tensor> weight, Tensor? biasValue)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || dilation <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"Invalid Conv1d: in {inChannels}, out {outChannels}, kernel {kernelSize}, stride {stride}, dilation {dilation}, groups {groups}.");
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Dilation = dilation;
        Padding = padding;
        Groups = groups;
        Weight = new Parameter("weight", weight());
        if (biasValue is not null && (biasValue.Rank != 1 || biasValue.Length != outChannels))
        {
            throw new ArgumentException($"Conv1d bias must have shape ({outChannels}); got {Tensor.FormatShape(biasValue.Shape)}.");
        }

        Bias = bias ? new Parameter("bias", biasValue ?? new Tensor(outChannels)) : null;
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Dilation { get; }

    public Padding Padding { get; }

    public int Groups { get; }

    /// <summary>Weight <c>(Cout, Cin/groups, K)</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>Bias <c>(Cout)</c>, or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc/>
    public override string Kind => "Conv1d";

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The kernel geometry for an input of shape (batch, Cin, length).</summary>
    public Conv1dGeometry Geometry(int batch, int length)
    {
        (int left, int right) = Padding.Resolve(length, KernelSize, Stride, Dilation);
        return new Conv1dGeometry(batch, InChannels, OutChannels, length, KernelSize, Stride, Dilation, left, right, Groups);
    }

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        int[] s = inputShapes[0];
        if (s.Length != 3 || s[1] != InChannels)
        {
            throw new ArgumentException($"Conv1d expects (batch, {InChannels}, length); got {Tensor.FormatShape(s)}.");
        }

        Conv1dGeometry g = Geometry(s[0], s[2]);
        g.Validate();
        return [s[0], OutChannels, g.OutLength];
    }

    /// <inheritdoc/>
    public override object? CreateWorkspace(IReadOnlyList<int[]> inputShapes, int[] outputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        return Geometry(inputShapes[0][0], inputShapes[0][2]);
    }

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var g = (Conv1dGeometry)context.Workspace!;
        Conv1d.Forward(g, context.Input.Data, Weight.Value.Data, Bias is null ? [] : Bias.Value.Data, context.Output.Data);
    }

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var g = (Conv1dGeometry)context.Workspace!;
        if (context.InputGrad(0) is Tensor dx)
        {
            Conv1d.BackwardInput(g, context.OutputGrad.Data, Weight.Value.Data, dx.Data);
        }

        if (context.ParameterGradients)
        {
            Conv1d.BackwardWeight(g, context.Input.Data, context.OutputGrad.Data, Weight.Grad.Data, Bias is null ? [] : Bias.Grad.Data);
        }
    }

    /// <inheritdoc/>
    public override void WriteAttributes(JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        attributes["in_channels"] = InChannels;
        attributes["out_channels"] = OutChannels;
        attributes["kernel_size"] = KernelSize;
        attributes["stride"] = Stride;
        attributes["dilation"] = Dilation;
        attributes["padding"] = Padding.ToJson();
        attributes["groups"] = Groups;
        attributes["bias"] = Bias is not null;
    }

    /// <summary>Creates the op from <c>model.json</c> attributes; <c>in_channels</c> defaults to the input's channels.</summary>
    internal static Conv1dOp FromAttributes(OpAttributes a, IReadOnlyList<int[]> inputShapes, Rng init)
        => new(
            a.Int("in_channels", inputShapes[0].Length > 1 ? inputShapes[0][1] : null),
            a.Int("out_channels"),
            a.Int("kernel_size"),
            init,
            a.Int("stride", 1),
            a.Int("dilation", 1),
            Padding.FromJson(a.Node("padding")),
            a.Int("groups", 1),
            a.Bool("bias", true));
}
