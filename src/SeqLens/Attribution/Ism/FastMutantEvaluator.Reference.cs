using System.Numerics.Tensors;
using SeqLens.Graphs;
using SeqLens.Graphs.Ops;

namespace SeqLens.Attribution.Ism;

// The reference pass (batch 1): like the executor, but convolutions and dense layers use the packed kernel.
internal sealed partial class FastMutantEvaluator
{
    private Tensor[] _referenceValues = [];
    private ForwardContext?[] _referenceContexts = [];
    private float[] _referenceScratch = [];
    private float[] _referenceProduct = [];

    private void CreateReferencePass()
    {
        _referenceValues = new Tensor[_nodes.Length];
        _referenceContexts = new ForwardContext?[_nodes.Length];
        int scratch = 0, product = 0;
        foreach (Node node in _nodes)
        {
            int[] shape = [1, .. node.SampleShape];
            _referenceValues[node.Index] = new Tensor(shape);
            if (node.IsInput)
            {
                continue;
            }

            int[][] inShapes = node.Inputs.Select(i => (int[])[1, .. i.SampleShape]).ToArray();
            _referenceContexts[node.Index] = new ForwardContext
            {
                InputArray = node.Inputs.Select(i => _referenceValues[i.Index]).ToArray(),
                Output = _referenceValues[node.Index],
                Workspace = node.Op.CreateWorkspace(inShapes, shape),
            };
            if (_windows[node.Index] is { Kind: WindowKind.Conv } w)
            {
                int lin = node.Inputs[0].SampleShape[1];
                scratch = Math.Max(scratch, Math.Max(lin * node.Inputs[0].SampleShape[0], w.Length * w.Channels));
                product = Math.Max(product, lin * w.Weights!.PaddedN);
            }
            else if (_tailByIndex[node.Index]?.Dense is PackedMatrix dense)
            {
                product = Math.Max(product, _referenceValues[node.Index].Length / ((DenseOp)node.Op).OutFeatures * dense.PaddedN);
            }
        }

        _referenceScratch = new float[scratch];
        _referenceProduct = new float[product];
    }

    /// <summary>Runs the reference one-hot through the graph; returns the scored output <c>(1, …)</c>.</summary>
    private Tensor RunReference(ReadOnlySpan<float> oneHot)
    {
        foreach (Node node in _nodes)
        {
            if (node.IsInput)
            {
                oneHot.CopyTo(_referenceValues[node.Index].Data);
            }
            else if (_windows[node.Index] is { Kind: WindowKind.Conv } w)
            {
                ReferenceConv(w, _referenceValues[node.Inputs[0].Index], _referenceValues[node.Index]);
            }
            else if (_tailByIndex[node.Index] is { Dense: not null } t)
            {
                ForwardContext ctx = _referenceContexts[node.Index]!;
                DenseRows((DenseOp)node.Op, t.Dense, ctx.Input, ctx.Output.Data, _referenceProduct);
            }
            else
            {
                node.Op.Forward(_referenceContexts[node.Index]!);
            }
        }

        return _referenceValues[_graph.Outputs[_outputIndex].Node.Index];
    }

    /// <summary>A whole convolution as one packed product of the channels-last input, then a scatter of the taps.</summary>
    private void ReferenceConv(WindowNode w, Tensor input, Tensor output)
    {
        var conv = (Conv1dOp)w.Node.Op;
        int cin = input.Shape[1], lin = input.Shape[2];
        int cout = w.Channels, lout = w.Length;
        Span<float> xt = _referenceScratch.AsSpan(0, lin * cin);
        for (int c = 0; c < cin; c++)
        {
            for (int p = 0; p < lin; p++)
            {
                xt[(p * cin) + c] = input.Data[(c * lin) + p];
            }
        }

        PackedMatrix weights = w.Weights!;
        weights.Multiply(_referenceScratch, lin, _referenceProduct);
        int ldc = weights.PaddedN;
        Span<float> yt = w.ReferenceT; // (Lout, Cout), filled here and reused by SetReference
        for (int t = 0; t < lout; t++)
        {
            Span<float> row = yt.Slice(t * cout, cout);
            if (conv.Bias is null)
            {
                row.Clear();
            }
            else
            {
                conv.Bias.Value.Data.CopyTo(row);
            }
        }

        for (int j = 0; j < lin; j++)
        {
            ReadOnlySpan<float> taps = _referenceProduct.AsSpan(j * ldc, ldc);
            for (int k = 0; k < w.KernelSize; k++)
            {
                int num = j + w.PadLeft - (k * w.Dilation);
                if (num < 0 || num % w.Stride != 0 || num / w.Stride >= lout)
                {
                    continue;
                }

                Span<float> dst = yt.Slice(num / w.Stride * cout, cout);
                TensorPrimitives.Add(dst, taps.Slice(k * cout, cout), dst);
            }
        }

        float[] y = output.Data;
        for (int t = 0; t < lout; t++)
        {
            for (int c = 0; c < cout; c++)
            {
                y[(c * lout) + t] = yt[(t * cout) + c];
            }
        }
    }

    /// <summary>y = x · Wᵀ + b for every row of <paramref name="x"/>, through the packed weight.</summary>
    private static void DenseRows(DenseOp op, PackedMatrix dense, Tensor x, float[] y, float[] product)
    {
        int rows = x.Length / op.InFeatures;
        dense.Multiply(x.Data, rows, product);
        for (int r = 0; r < rows; r++)
        {
            Span<float> dst = y.AsSpan(r * op.OutFeatures, op.OutFeatures);
            product.AsSpan(r * dense.PaddedN, op.OutFeatures).CopyTo(dst);
            if (op.Bias is not null)
            {
                TensorPrimitives.Add(dst, op.Bias.Value.Data, dst);
            }
        }
    }
}
