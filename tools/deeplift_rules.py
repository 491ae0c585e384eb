"""DeepLIFT rules as PyTorch autograd Functions, shared by tools/attribution_reference.py (test fixtures) and
tools/bench/torch_attribution.py (timings), so both use the same rules.

The batch is [x; x0] (the first half input rows, the second half their references). Each Function's forward is the
plain op; its backward returns, for the input rows, grad_out times the DeepLIFT multiplier (zero for the reference rows),
the gradient-override trick captum's DeepLift uses:
  - RescaleRelu: (y - y0) / (x - x0), the gradient at x where |x - x0| < 1e-6.
  - PairedMaxPool: SeqLens' paired-window rule (MaxPool1dOp.PairedMaxBackward): per window, with a the winner in x and
    b the winner in x0, phi_a = 1/2 (max(x_a, x0_b) - y0) + 1/2 (y - max(x0_a, x_b)),
    phi_b = 1/2 (max(x0_a, x_b) - y0) + 1/2 (y - max(x_a, x0_b)); multipliers phi/dx at a and b (the gradient when
    a == b), with the C# rule's fallbacks for tiny differences.
PairedMaxPoolTiming is the same rule without those fallbacks, for tools/bench only (see its docstring).
Works in any float dtype (the fixtures use float64, the timings float32). Needs: apt-get install -y python3-torch.
"""
import torch
import torch.nn.functional as F

EPS = 1e-6


class RescaleRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.relu(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        n = x.shape[0] // 2
        dx = x[:n] - x[n:]
        dy = y[:n] - y[n:]
        grad_at_x = (x[:n] > 0).to(x.dtype)
        m = torch.where(dx.abs() < EPS, grad_at_x, dy / torch.where(dx.abs() < EPS, torch.ones_like(dx), dx))
        return torch.cat([g[:n] * m, torch.zeros_like(g[n:])])


def _pool_forward(ctx, x, k):
    y, idx = F.max_pool1d(x, k, k, return_indices=True)
    ctx.save_for_backward(x, idx)
    return y


def _pool_backward(ctx, g, multipliers):
    """The paired rule's shares phi_a, phi_b per window; multipliers(phi_a, phi_b, da, db, same) turns them into the
    multipliers at the two winners, which are scattered back (zero for the reference rows)."""
    x, idx = ctx.saved_tensors
    n = x.shape[0] // 2
    xi, xr = x[:n], x[n:]
    a, b = idx[:n], idx[n:]
    xa, xb = xi.gather(2, a), xi.gather(2, b)
    x0a, x0b = xr.gather(2, a), xr.gather(2, b)
    y, y0 = xa, x0b
    phi_a = 0.5 * (torch.maximum(xa, x0b) - y0) + 0.5 * (y - torch.maximum(x0a, xb))
    phi_b = 0.5 * (torch.maximum(x0a, xb) - y0) + 0.5 * (y - torch.maximum(xa, x0b))
    ma, mb = multipliers(phi_a, phi_b, xa - x0a, xb - x0b, a == b)
    grad = torch.zeros_like(xi)
    grad.scatter_add_(2, a, g[:n] * ma)
    grad.scatter_add_(2, b, g[:n] * mb)
    return torch.cat([grad, torch.zeros_like(x[n:])]), None


def _multipliers(phi_a, phi_b, da, db, same):
    small_a, small_b = da.abs() < EPS, db.abs() < EPS
    one = torch.ones_like(da)
    ma = torch.where(small_a, torch.zeros_like(da), phi_a / torch.where(small_a, one, da))
    mb = torch.where(small_b, torch.zeros_like(db), phi_b / torch.where(small_b, one, db))
    # Same fallbacks as the C# rule: a tiny side hands its share to the other; both tiny: gradient at a.
    ma = torch.where(small_b & ~small_a, (phi_a + phi_b) / torch.where(small_a, one, da), ma)
    mb = torch.where(small_a & ~small_b, (phi_a + phi_b) / torch.where(small_b, one, db), mb)
    ma = torch.where(small_a & small_b, one, ma)
    mb = torch.where(small_a & small_b, torch.zeros_like(mb), mb)
    ma = torch.where(same, one, ma)
    mb = torch.where(same, torch.zeros_like(mb), mb)
    return ma, mb


def _multipliers_without_fallbacks(phi_a, phi_b, da, db, same):
    one = torch.ones_like(da)
    ma = torch.where(same | (da.abs() < EPS), one, phi_a / torch.where(da.abs() < EPS, one, da))
    mb = torch.where(same | (db.abs() < EPS), torch.zeros_like(db), phi_b / torch.where(db.abs() < EPS, one, db))
    return ma, mb


class PairedMaxPool(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        return _pool_forward(ctx, x, k)

    @staticmethod
    def backward(ctx, g):
        return _pool_backward(ctx, g, _multipliers)


class PairedMaxPoolTiming(torch.autograd.Function):
    """PairedMaxPool without the tiny-difference fallbacks (a tiny side keeps the plain rule's 1 or 0), for the speed
    reference only: the fallbacks change multipliers only where |x - x0| < 1e-6 but cost PyTorch about a fifth of a
    DeepLIFT-SHAP pass on the Basset-like model (measured 0.28-0.29 s against 0.33-0.38 s per sequence), and the
    timing reference must be PyTorch at its fastest."""

    @staticmethod
    def forward(ctx, x, k):
        return _pool_forward(ctx, x, k)

    @staticmethod
    def backward(ctx, g):
        return _pool_backward(ctx, g, _multipliers_without_fallbacks)
