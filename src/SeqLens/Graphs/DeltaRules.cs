using System.Numerics.Tensors;

namespace SeqLens.Graphs;

/// <summary>The default split-pass rules of <see cref="Op.PropagateDeltas"/> and <see cref="Op.BackwardSplit"/>, and pair helpers.</summary>
internal static class DeltaRules
{
    /// <summary>Default <see cref="Op.PropagateDeltas"/>; see its remarks.</summary>
    public static void PropagateDefault(Op op, BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (op.Attribution == AttributionClass.Linear)
        {
            int n = context.InputArray.Length;
            var forward = new ForwardContext { InputArray = new Tensor[n], Workspace = context.Workspace };
            for (int i = 0; i < n; i++)
            {
                Array.Clear(context.ScratchArray[i].Data);
                forward.InputArray[i] = context.ScratchArray[i];
            }

            // NOTE: F(0) is subtracted so that affine constants (pad values) cancel; L(d) = F(d) − F(0).
            forward.Output = context.OutputScratch;
            op.Forward(forward);
            for (int sign = 0; sign < 2; sign++)
            {
                Tensor[] deltas = sign == 0 ? context.InputDeltaPosArray : context.InputDeltaNegArray;
                Tensor output = sign == 0 ? context.OutputDeltaPos : context.OutputDeltaNeg;
                for (int i = 0; i < n; i++)
                {
                    forward.InputArray[i] = deltas[i];
                }

                forward.Output = output;
                op.Forward(forward);
                TensorPrimitives.Subtract(output.Data, context.OutputScratch.Data, output.Data);
            }

            return;
        }

        SignSplit(context.Output, context.Pairs!, context.OutputDeltaPos, context.OutputDeltaNeg);
    }

    /// <summary>Default <see cref="Op.BackwardSplit"/>; see its remarks.</summary>
    public static void BackwardDefault(Op op, BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (op.Attribution == AttributionClass.Linear)
        {
            op.Backward(context);
            Tensor mPos = context.OutputGrad;
            Tensor?[] gradPos = context.InputGradArray;
            context.OutputGrad = context.OutputGradNeg;
            context.InputGradArray = context.InputGradNegArray;
            try
            {
                op.Backward(context);
            }
            finally
            {
                context.OutputGrad = mPos;
                context.InputGradArray = gradPos;
            }

            return;
        }

        // One multiplier: m⁺ where Δy > 0, m⁻ elsewhere; through the op's own rule; into both m⁺ and m⁻ of the inputs.
        float[] pos = context.OutputDeltaPos.Data;
        float[] neg = context.OutputDeltaNeg.Data;
        float[] mp = context.OutputGrad.Data;
        float[] mn = context.OutputGradNeg.Data;
        float[] m = context.OutputScratch.Data;
        for (int k = 0; k < m.Length; k++)
        {
            m[k] = pos[k] + neg[k] > 0f ? mp[k] : mn[k];
        }

        Tensor savedGrad = context.OutputGrad;
        Tensor?[] savedInputs = context.InputGradArray;
        var scratch = new Tensor?[savedInputs.Length];
        for (int i = 0; i < scratch.Length; i++)
        {
            if (savedInputs[i] is not null)
            {
                Array.Clear(context.ScratchArray[i].Data);
                scratch[i] = context.ScratchArray[i];
            }
        }

        context.OutputGrad = context.OutputScratch;
        context.InputGradArray = scratch;
        context.Split = false;
        try
        {
            op.Backward(context);
        }
        finally
        {
            context.Split = true;
            context.OutputGrad = savedGrad;
            context.InputGradArray = savedInputs;
        }

        for (int i = 0; i < scratch.Length; i++)
        {
            if (scratch[i] is Tensor s)
            {
                TensorPrimitives.Add(savedInputs[i]!.Data, s.Data, savedInputs[i]!.Data);
                TensorPrimitives.Add(context.InputGradNegArray[i]!.Data, s.Data, context.InputGradNegArray[i]!.Data);
            }
        }
    }

    /// <summary>W⁺ = max(W, 0) and W⁻ = min(W, 0) (the RevealCancel split of a signed linear op).</summary>
    public static (float[] Pos, float[] Neg) SplitWeights(ReadOnlySpan<float> w)
    {
        var pos = new float[w.Length];
        var neg = new float[w.Length];
        TensorPrimitives.Max(w, 0f, pos);
        TensorPrimitives.Min(w, 0f, neg);
        return (pos, neg);
    }

    /// <summary>Per pair row r: Δ = v[InputRow[r]] − v[ReferenceRow[r]] split by sign; zero in rows without a pair.</summary>
    public static void SignSplit(Tensor value, RowPairs pairs, Tensor pos, Tensor neg)
    {
        int rowLength = value.Length / pairs.BatchSize;
        float[] v = value.Data;
        for (int r = 0; r < pairs.BatchSize; r++)
        {
            Span<float> p = pos.Data.AsSpan(r * rowLength, rowLength);
            Span<float> q = neg.Data.AsSpan(r * rowLength, rowLength);
            if (!pairs.HasPair(r))
            {
                p.Clear();
                q.Clear();
                continue;
            }

            int a = pairs.InputRow[r] * rowLength;
            int b = pairs.ReferenceRow[r] * rowLength;
            for (int k = 0; k < rowLength; k++)
            {
                float d = v[a + k] - v[b + k];
                p[k] = d > 0f ? d : 0f;
                q[k] = d < 0f ? d : 0f;
            }
        }
    }
}
