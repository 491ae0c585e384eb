using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SeqLens.Graphs.Ops;

/// <summary>Rectified linear unit <c>max(x, 0)</c>; derivative 1 for x &gt; 0, else 0 (as PyTorch).</summary>
public sealed class ReluOp : ElementwiseOp
{
    /// <inheritdoc/>
    public override string Kind => "Relu";

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void AddGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        // NOTE: branch-free vector pass (dx += dy where x > 0); the scalar loop below finishes the tail.
        int i = 0;
        int width = Vector<float>.Count;
        var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var dys = MemoryMarshal.Cast<float, Vector<float>>(dy);
        var dxs = MemoryMarshal.Cast<float, Vector<float>>(dx);
        for (int v = 0; v < xs.Length; v++)
        {
            dxs[v] += Vector.ConditionalSelect(Vector.GreaterThan(xs[v], Vector<float>.Zero), dys[v], Vector<float>.Zero);
        }

        i = xs.Length * width;
        for (; i < x.Length; i++)
        {
            if (x[i] > 0f)
            {
                dx[i] += dy[i];
            }
        }
    }
}
