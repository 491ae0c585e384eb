using System.Runtime.CompilerServices;

namespace SeqLens.Graphs.Ops;

/// <summary>
/// Softmax and log-softmax along one axis of a tensor viewed as <c>(outer, n, inner)</c>, numerically stable (the
/// maximum is subtracted first; sums in double), with their gradients. Shared by <see cref="SoftmaxOp"/> and
/// <see cref="LogSoftmaxOp"/>.
/// </summary>
internal static class SoftmaxKernel
{
    /// <summary><paramref name="y"/> = softmax (or log-softmax when <paramref name="log"/>) of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int outer, int n, int inner, bool log)
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = (o * n * inner) + i;
                float max = float.NegativeInfinity;
                for (int k = 0; k < n; k++)
                {
                    max = Math.Max(max, x[start + (k * inner)]);
                }

                double sum = 0;
                for (int k = 0; k < n; k++)
                {
                    sum += Math.Exp(x[start + (k * inner)] - max);
                }

                if (log)
                {
                    // NOTE: (x − max) − ln Σ, not x − (max + ln Σ): x − max is exact, the other rounds at |max|'s scale.
                    float logSum = (float)Math.Log(sum);
                    for (int k = 0; k < n; k++)
                    {
                        y[start + (k * inner)] = (x[start + (k * inner)] - max) - logSum;
                    }
                }
                else
                {
                    double inv = 1.0 / sum;
                    for (int k = 0; k < n; k++)
                    {
                        y[start + (k * inner)] = (float)(Math.Exp(x[start + (k * inner)] - max) * inv);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds the input gradient into <paramref name="dx"/> from the saved output <paramref name="y"/>:
    /// softmax <c>dx = y·(dy − Σ dy·y)</c>; log-softmax <c>dx = dy − e^y·Σ dy</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int outer, int n, int inner, bool log)
    {
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int start = (o * n * inner) + i;
                double dot = 0;
                for (int k = 0; k < n; k++)
                {
                    int p = start + (k * inner);
                    dot += log ? dy[p] : (double)dy[p] * y[p];
                }

                for (int k = 0; k < n; k++)
                {
                    int p = start + (k * inner);
                    dx[p] += log
                        ? (float)(dy[p] - (Math.Exp(y[p]) * dot))
                        : (float)(y[p] * (dy[p] - dot));
                }
            }
        }
    }
}
