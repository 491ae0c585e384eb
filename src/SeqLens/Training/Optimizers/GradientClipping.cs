using SeqLens.Graphs;

namespace SeqLens.Training.Optimizers;

/// <summary>Gradient clipping by global L2 norm, as PyTorch's <c>clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales every gradient by <c>min(1, maxNorm / (‖g‖ + 1e-6))</c> where <c>‖g‖</c> is the L2 norm of all gradients
    /// together (accumulated in double); returns <c>‖g‖</c> before clipping.
    /// </summary>
    public static double ClipByGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum gradient norm must be positive.");
        }

        Parameter[] ps = parameters.Where(p => p.Trainable).ToArray();
        double sumSquares = 0;
        foreach (Parameter p in ps)
        {
            foreach (float g in p.Grad.Data)
            {
                sumSquares += (double)g * g;
            }
        }

        double norm = Math.Sqrt(sumSquares);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
        {
            float c = (float)coefficient;
            foreach (Parameter p in ps)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(p.Grad.Data, c, p.Grad.Data);
            }
        }

        return norm;
    }
}
