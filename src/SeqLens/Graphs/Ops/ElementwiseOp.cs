using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Base of element-wise nonlinearities <c>y = f(x)</c>. Subclasses give <c>f</c> and <c>f'</c> over spans; this class
/// owns the backward rules: gradient, and (DESIGN.md §3) the DeepLIFT rules, which need only the saved input and
/// output of each row and of its paired reference row, so every element-wise op gets them for free.
/// </summary>
/// <remarks>
/// <para><b>Rescale</b> (Shrikumar et al. 2017, §3.5.2): <c>m = Δy/Δx</c> with <c>Δx = x − x0</c>, <c>Δy = f(x) − f(x0)</c>.
/// NOTE: where <c>|Δx| &lt; </c><see cref="RescaleEpsilon"/> (1e-6) the multiplier is the gradient <c>f'(x)</c> at the
/// input row's value x (not at the midpoint), as captum's DeepLift does; the completeness error this leaves is
/// O(Δx²) per element.</para>
/// <para><b>RevealCancel</b> (§3.5.3): with the input's Δx⁺ and Δx⁻ (split pass),
/// <c>Δy⁺ = ½(f(x0 + Δx⁺) − f(x0)) + ½(f(x) − f(x0 + Δx⁻))</c>,
/// <c>Δy⁻ = ½(f(x0 + Δx⁻) − f(x0)) + ½(f(x) − f(x0 + Δx⁺))</c> (so Δy⁺ + Δy⁻ = Δy exactly), and
/// <c>m⁺in = m⁺out·Δy⁺/Δx⁺</c>, <c>m⁻in = m⁻out·Δy⁻/Δx⁻</c> (gradient at x where |Δx±| &lt; 1e-6).</para>
/// </remarks>
public abstract class ElementwiseOp : Op
{
    /// <summary>Below this |Δx| the DeepLIFT multiplier falls back to the gradient at x (1e-6).</summary>
    public const float RescaleEpsilon = 1e-6f;

    /// <inheritdoc/>
    public override AttributionClass Attribution => AttributionClass.Elementwise;

    /// <inheritdoc/>
    public override bool SupportsRule(BackwardRule rule) => rule is BackwardRule.Gradient or BackwardRule.Rescale or BackwardRule.RevealCancel;

    /// <inheritdoc/>
    public override int[] InferShape(IReadOnlyList<int[]> inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        return (int[])inputShapes[0].Clone();
    }

    /// <summary>Writes <c>f(x)</c> into <paramref name="y"/>.</summary>
    protected abstract void Apply(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>Adds <c>dy · f'(x)</c> into <paramref name="dx"/> (<paramref name="y"/> = f(x) is given for ops whose derivative uses it).</summary>
    protected abstract void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    /// <inheritdoc/>
    public override void Forward(ForwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = new Blocks(this, context.Input.Data, context.Output.Data, null, null);
        RowParallel.For(body.Count, Block, ref body);
    }

    /// <summary>Elements per parallel block of the element-wise passes (a multiple of every vector width).</summary>
    private const int Block = 16384;

    /// <inheritdoc/>
    public override void Backward(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.InputGrad(0) is not Tensor dx)
        {
            return;
        }

        switch (context.Rule)
        {
            case BackwardRule.Gradient:
                var body = new Blocks(this, context.Input.Data, context.Output.Data, context.OutputGrad.Data, dx.Data);
                RowParallel.For(body.Count, Block, ref body);
                break;
            case BackwardRule.Rescale:
            case BackwardRule.RevealCancel:
                // RevealCancel outside the split pass (only when the executor audits a single node) is Rescale.
                Rescale(context, dx);
                break;
            default:
                throw new NotSupportedException($"{Kind}: the {context.Rule} rule is not implemented.");
        }
    }

    /// <inheritdoc/>
    public override void PropagateDeltas(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Rule != BackwardRule.RevealCancel)
        {
            base.PropagateDeltas(context);
            return;
        }

        RowPairs pairs = context.Pairs!;
        int rowLength = context.Input.Length / pairs.BatchSize;
        float[] x = context.Input.Data;
        float[] y = context.Output.Data;
        for (int r = 0; r < pairs.BatchSize; r++)
        {
            Span<float> outPos = context.OutputDeltaPos.Data.AsSpan(r * rowLength, rowLength);
            Span<float> outNeg = context.OutputDeltaNeg.Data.AsSpan(r * rowLength, rowLength);
            if (!pairs.HasPair(r))
            {
                outPos.Clear();
                outNeg.Clear();
                continue;
            }

            ReadOnlySpan<float> x0 = x.AsSpan(pairs.ReferenceRow[r] * rowLength, rowLength);
            ReadOnlySpan<float> y0 = y.AsSpan(pairs.ReferenceRow[r] * rowLength, rowLength);
            ReadOnlySpan<float> y1 = y.AsSpan(pairs.InputRow[r] * rowLength, rowLength);
            ReadOnlySpan<float> dPos = context.InputDeltaPos(0).Data.AsSpan(r * rowLength, rowLength);
            ReadOnlySpan<float> dNeg = context.InputDeltaNeg(0).Data.AsSpan(r * rowLength, rowLength);
            Span<float> probe = context.Scratch(0).Data.AsSpan(r * rowLength, rowLength);
            Span<float> fPos = context.OutputScratch.Data.AsSpan(r * rowLength, rowLength);
            System.Numerics.Tensors.TensorPrimitives.Add(x0, dPos, probe);
            Apply(probe, fPos); // f(x0 + Δx⁺)
            System.Numerics.Tensors.TensorPrimitives.Add(x0, dNeg, probe);
            Apply(probe, outNeg); // f(x0 + Δx⁻), for now
            for (int k = 0; k < rowLength; k++)
            {
                float fn = outNeg[k];
                outPos[k] = (0.5f * (fPos[k] - y0[k])) + (0.5f * (y1[k] - fn));
                outNeg[k] = (0.5f * (fn - y0[k])) + (0.5f * (y1[k] - fPos[k]));
            }
        }
    }

    /// <inheritdoc/>
    public override void BackwardSplit(BackwardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Rule != BackwardRule.RevealCancel)
        {
            base.BackwardSplit(context);
            return;
        }

        RowPairs pairs = context.Pairs!;
        int rowLength = context.Input.Length / pairs.BatchSize;
        float[] x = context.Input.Data;
        float[] y = context.Output.Data;
        Tensor? gp = context.InputGrad(0);
        Tensor? gn = context.InputGradNeg(0);
        for (int r = 0; r < pairs.BatchSize; r++)
        {
            if (!pairs.HasPair(r))
            {
                continue;
            }

            int o = r * rowLength;
            ReadOnlySpan<float> dPos = context.InputDeltaPos(0).Data.AsSpan(o, rowLength);
            ReadOnlySpan<float> dNeg = context.InputDeltaNeg(0).Data.AsSpan(o, rowLength);
            ReadOnlySpan<float> yPos = context.OutputDeltaPos.Data.AsSpan(o, rowLength);
            ReadOnlySpan<float> yNeg = context.OutputDeltaNeg.Data.AsSpan(o, rowLength);
            ReadOnlySpan<float> mp = context.OutputGrad.Data.AsSpan(o, rowLength);
            ReadOnlySpan<float> mn = context.OutputGradNeg.Data.AsSpan(o, rowLength);
            Span<float> slope = context.Scratch(0).Data.AsSpan(o, rowLength);
            bool slopeReady = false;
            for (int k = 0; k < rowLength; k++)
            {
                bool smallPos = Math.Abs(dPos[k]) < RescaleEpsilon;
                bool smallNeg = Math.Abs(dNeg[k]) < RescaleEpsilon;
                if ((smallPos || smallNeg) && !slopeReady)
                {
                    Slope(x.AsSpan(pairs.InputRow[r] * rowLength, rowLength), y.AsSpan(pairs.InputRow[r] * rowLength, rowLength), slope);
                    slopeReady = true;
                }

                if (gp is not null)
                {
                    gp.Data[o + k] += mp[k] * (smallPos ? slope[k] : yPos[k] / dPos[k]);
                }

                if (gn is not null)
                {
                    gn.Data[o + k] += mn[k] * (smallNeg ? slope[k] : yNeg[k] / dNeg[k]);
                }
            }
        }
    }

    private void Rescale(BackwardContext context, Tensor dx)
    {
        RowPairs pairs = context.Pairs ?? throw new InvalidOperationException($"{Kind}: the {context.Rule} rule needs row pairs.");
        int rowLength = context.Input.Length / pairs.BatchSize;
        float[] x = context.Input.Data;
        float[] y = context.Output.Data;
        float[] m = context.OutputGrad.Data;
        float[] g = dx.Data;
        var body = new RescaleRows(this, pairs, x, y, m, g, rowLength);
        RowParallel.For(pairs.BatchSize, rowLength, ref body);
    }

    /// <summary>
    /// One pair row of the Rescale rule: <c>g += m·(y − y0)/(x − x0)</c>, or <c>g += m·f'(x)</c> where |x − x0| &lt; ε. Vector
    /// blocks whose lanes all pass the ε test take the vector path (the same IEEE operations as the scalar expression).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RescaleRow(float[] x, float[] y, float[] m, float[] g, int o, int a, int b, int rowLength, ref float[]? slope)
    {
        bool slopeReady = false;
        int width = Vector<float>.Count;
        var eps = new Vector<float>(RescaleEpsilon);
        int k = 0;
        for (; k + width <= rowLength; k += width)
        {
            var d = new Vector<float>(x.AsSpan(a + k, width)) - new Vector<float>(x.AsSpan(b + k, width));
            if (Vector.GreaterThanOrEqualAll(Vector.Abs(d), eps))
            {
                var dy = new Vector<float>(y.AsSpan(a + k, width)) - new Vector<float>(y.AsSpan(b + k, width));
                Span<float> gk = g.AsSpan(o + k, width);
                (new Vector<float>(gk) + (new Vector<float>(m.AsSpan(o + k, width)) * (dy / d))).CopyTo(gk);
                continue;
            }

            RescaleScalar(x, y, m, g, o, a, b, rowLength, k, k + width, ref slope, ref slopeReady);
        }

        RescaleScalar(x, y, m, g, o, a, b, rowLength, k, rowLength, ref slope, ref slopeReady);
    }

    private void RescaleScalar(float[] x, float[] y, float[] m, float[] g, int o, int a, int b, int rowLength, int from, int to, ref float[]? slope, ref bool slopeReady)
    {
        for (int k = from; k < to; k++)
        {
            float d = x[a + k] - x[b + k];
            if (Math.Abs(d) >= RescaleEpsilon)
            {
                g[o + k] += m[o + k] * ((y[a + k] - y[b + k]) / d);
                continue;
            }

            if (!slopeReady)
            {
                slope ??= ArrayPool<float>.Shared.Rent(rowLength);
                if (slope.Length < rowLength)
                {
                    ArrayPool<float>.Shared.Return(slope);
                    slope = ArrayPool<float>.Shared.Rent(rowLength);
                }

                Slope(x.AsSpan(a, rowLength), y.AsSpan(a, rowLength), slope.AsSpan(0, rowLength));
                slopeReady = true;
            }

            g[o + k] += m[o + k] * slope![k];
        }
    }

    /// <summary>
    /// The forward (<c>Dx</c> null) or gradient pass over blocks of <see cref="Block"/> elements (the last block takes the
    /// remainder); the block edges do not depend on the thread count, so neither do the results.
    /// </summary>
    private readonly struct Blocks(ElementwiseOp op, float[] x, float[] y, float[]? dy, float[]? dx) : IRowBody
    {
        public int Count => Math.Max(1, x.Length / Block);

        public void Run(int first, int end)
        {
            int o = first * Block;
            int n = (end == Count ? x.Length : end * Block) - o;
            if (dx is null)
            {
                op.Apply(x.AsSpan(o, n), y.AsSpan(o, n));
            }
            else
            {
                op.AddGradient(x.AsSpan(o, n), y.AsSpan(o, n), dy.AsSpan(o, n), dx.AsSpan(o, n));
            }
        }
    }

    /// <summary>The Rescale rule over pair rows.</summary>
    private readonly struct RescaleRows(ElementwiseOp op, RowPairs pairs, float[] x, float[] y, float[] m, float[] g, int rowLength) : IRowBody
    {
        public void Run(int first, int end)
        {
            float[]? slope = null;
            try
            {
                for (int r = first; r < end; r++)
                {
                    if (pairs.HasPair(r))
                    {
                        op.RescaleRow(x, y, m, g, r * rowLength, pairs.InputRow[r] * rowLength, pairs.ReferenceRow[r] * rowLength, rowLength, ref slope);
                    }
                }
            }
            finally
            {
                if (slope is not null)
                {
                    ArrayPool<float>.Shared.Return(slope);
                }
            }
        }
    }

    /// <summary>Writes f'(x) into <paramref name="slope"/>.</summary>
    private void Slope(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> slope)
    {
        float[] ones = ArrayPool<float>.Shared.Rent(x.Length);
        try
        {
            ones.AsSpan(0, x.Length).Fill(1f);
            slope.Clear();
            AddGradient(x, y, ones.AsSpan(0, x.Length), slope);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(ones);
        }
    }
}
