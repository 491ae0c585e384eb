namespace SeqLens.Attribution;

/// <summary>How <see cref="IntegratedGradients"/> approximates ∫₀¹ ∇f(x0 + α(x − x0)) dα with m steps.</summary>
public enum IntegrationMethod
{
    /// <summary>Left Riemann sum: α_k = k/m, weights 1/m.</summary>
    RiemannLeft,

    /// <summary>Right Riemann sum: α_k = (k + 1)/m, weights 1/m.</summary>
    RiemannRight,

    /// <summary>Midpoint rule: α_k = (k + ½)/m, weights 1/m.</summary>
    RiemannMiddle,

    /// <summary>Trapezoid rule: α_k = k/(m − 1), weights 1/(m − 1) halved at both ends (m ≥ 2).</summary>
    RiemannTrapezoid,

    /// <summary>Gauss–Legendre quadrature mapped to [0, 1] (captum's default); exact for polynomials of degree 2m − 1.</summary>
    GaussLegendre,
}
