#!/usr/bin/python3
"""Writes an independent float64 reference for DeepLIFT's RevealCancel rule and the genomics rule assignment
(Shrikumar et al. 2017, arXiv 1704.02685, section 3.5): tests/SeqLens.Tests/Fixtures/Attribution/revealcancel_reference.json.

Re-run from the repository root (needs Debian's torch 1.13 and numpy; installed below when missing):

    /usr/bin/python3 tools/revealcancel_reference.py            # writes the fixture
    /usr/bin/python3 tools/revealcancel_reference.py --compare  # also prints how far the alternative conventions land

Unlike tools/attribution_reference.py (gradient override through autograd), this script writes every rule out by hand,
one (input, reference) pair at a time. Every linear layer (valid conv, dense) is an explicit matrix M over flattened
values, so one routine covers both. Each layer's output carries a pair of multipliers (m+, m-): the multiplier of the
positive and of the negative part of its difference-from-reference. Backward, per layer:
  - linear x = M z + b, paper's per-term split (brief / arXiv 1704.02685 section 3.5.1): Dx+_j = sum_i 1{M_ji Dz_i > 0} M_ji Dz_i,
    Dx-_j likewise with < 0, and z_i gets m(s) = sum_j M_ji (m+_j if M_ji s > 0 else m-_j) for s = sign(Dz_i), the same
    multiplier for both parts of z_i; Dz_i = 0 takes s < 0 (the indicator 1{w Dz > 0} is false). At the one-hot input
    the pair (m(+1), m(-1)) is kept for the hypothetical scores.
    Variant "components" (SeqLens' Op.PropagateDeltas / BackwardSplit): Dx+ = M+ Dz+ + M- Dz-, Dx- = M+ Dz- + M- Dz+
    with the parts Dz+/Dz- handed up by the layer below, and m+in = M+^T m+ + M-^T m-, m-in = M+^T m- + M-^T m+.
    The two agree wherever every z_i's parts are single-signed (one-hot input, Rescale ReLU or max-pool output).
  - ReLU, Rescale: one multiplier m = m+ if Dy > 0 else m-; m_in = m Dy/Dx (1{x > 0} where |Dx| < 1e-6); parts of Dy
    handed up: its sign split.
  - ReLU, RevealCancel: Dy+ = 1/2 (f(x0 + Dx+) - f(x0)) + 1/2 (f(x0 + Dx- + Dx+) - f(x0 + Dx-)),
    Dy- = 1/2 (f(x0 + Dx-) - f(x0)) + 1/2 (f(x0 + Dx+ + Dx-) - f(x0 + Dx+)); m+in = m+ Dy+/Dx+, m-in = m- Dy-/Dx-;
    where |Dx+-| < 1e-6 the multiplier is 1{x > 0} (SeqLens' convention, ElementwiseOp.BackwardSplit); parts handed
    up: (Dy+, Dy-).
  - max pool (width = stride = k): the paired-window rule of tools/deeplift_rules.py on m = m+ if Dy > 0 else m-.
Input multipliers: m+ where Dx > 0, m- elsewhere; hypothetical scores as tangermeme's hypothetical_attributions with that
sign choice per hypothetical difference: hyp[c, l] = sum_c' m(d) d, d = e_c[c'] - x0[c', l], averaged over references.

Models (length 30, 4 channels): conv(4->8, k5, valid) -> ReLU -> maxpool(2) -> flatten(104) -> dense(16) -> ReLU
[-> dense(8) -> ReLU] -> dense(3). Rules: "genomics" (Rescale at the conv ReLU, RevealCancel after dense layers) and
"reveal_cancel" (RevealCancel at every ReLU). References are dinucleotide shuffles (tools/attribution_reference.py's
dinuc_shuffle) stored in the fixture; the C# test feeds exactly those (AttributionReferences.PerSequence).
Weights are float32 values; all arithmetic is float64. Deterministic: fixed seeds, no timestamps.
Test: tests/SeqLens.Tests/Attribution/RevealCancelReferenceTests.cs (it never runs Python).
"""
import json
import os
import subprocess
import sys

try:
    import numpy as np
    import torch
except ImportError:  # Debian's packages; the script must be able to set itself up.
    subprocess.run(["apt-get", "install", "-y", "python3-torch", "python3-numpy"], check=True)
    os.execv(sys.executable, [sys.executable] + sys.argv)

import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attribution_reference as ar  # noqa: E402  (one_hot, dinuc_shuffle)
from deeplift_rules import EPS, _multipliers  # noqa: E402  (the paired max-pool rule shared with the Rescale reference)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "SeqLens.Tests", "Fixtures", "Attribution", "revealcancel_reference.json")
LENGTH = 30


def conv_matrix(w, length):
    """Valid conv1d (cout, cin, k) as a matrix from the flattened (cin, length) input to the flattened (cout, length - k + 1) output."""
    cout, cin, k = w.shape
    lout = length - k + 1
    m = np.zeros((cout * lout, cin * length))
    for o in range(cout):
        for l in range(lout):
            for c in range(cin):
                m[o * lout + l, c * length + l:c * length + l + k] = w[o, c]
    return m


def build(name, rng, two_dense):
    p = {"conv1": {"weight": (rng.standard_normal((8, 4, 5)) / np.sqrt(20)).astype(np.float32), "bias": (rng.standard_normal(8) * 0.1).astype(np.float32)}}
    sizes = [104, 16] + ([8] if two_dense else [])
    for j in range(1, len(sizes)):
        p[f"fc{j}"] = {"weight": (rng.standard_normal((sizes[j], sizes[j - 1])) / np.sqrt(sizes[j - 1])).astype(np.float32),
                       "bias": (rng.standard_normal(sizes[j]) * 0.1).astype(np.float32)}
    p["out"] = {"weight": (rng.standard_normal((3, sizes[-1])) / np.sqrt(sizes[-1])).astype(np.float32), "bias": (rng.standard_normal(3) * 0.1).astype(np.float32)}
    w64 = {k: {pk: pv.astype(np.float64) for pk, pv in v.items()} for k, v in p.items()}
    layers = [("linear", conv_matrix(w64["conv1"]["weight"], LENGTH), np.repeat(w64["conv1"]["bias"], LENGTH - 4), "conv"),
              ("relu", "conv"), ("pool", 8, LENGTH - 4, 2)]
    for j in range(1, len(sizes)):
        layers += [("linear", w64[f"fc{j}"]["weight"], w64[f"fc{j}"]["bias"], "dense"), ("relu", "dense")]
    layers.append(("linear", w64["out"]["weight"], w64["out"]["bias"], "dense"))
    return name, p, layers


def forward(layers, x):
    """Values entering each layer and the output; pool layers also record the winners."""
    values, winners = [], []
    h = x
    for layer in layers:
        values.append(h)
        if layer[0] == "linear":
            h = layer[1] @ h + layer[2]
        elif layer[0] == "relu":
            h = np.maximum(h, 0.0)
        else:
            _, c, length, k = layer
            y, idx = F.max_pool1d(torch.from_numpy(h.reshape(1, c, length)), k, k, return_indices=True)
            winners.append(idx[0].numpy())
            h = y[0].numpy().ravel()
    return values, winners, h


def relu_rule(layer, rule):
    return "reveal_cancel" if rule == "reveal_cancel" or (rule == "genomics" and layer[1] == "dense") else "rescale"


def attribute(layers, rule, x, x0, task, split="per_term", small="grad_x", zero="minus"):
    """Multipliers (m+, m-) at the input for one pair, and f(x) - f(x0) for the task. The fixture uses the defaults;
    --compare also tries the alternatives: small = "limit" (where |Dx+| < 1e-6 the limit of Dy+/Dx+,
    1/2 (f'(x0) + f'(x0 + Dx-)), likewise for Dx-; what the DeepLIFT repository's pseudocount_near_zero amounts to, up
    to the side of the derivative at a kink) or "zero" (multiplier 0); zero = "half" (Dz_i = 0 takes
    1/2 (m(+1) + m(-1)), as the DeepLIFT repository's Dense layer does)."""
    vals, win, out = forward(layers, x)
    vals0, win0, out0 = forward(layers, x0)
    # Upward: the parts (D+, D-) entering each layer, and the (Dx+, Dx-) of each linear layer's output.
    d = x - x0
    parts = [(np.maximum(d, 0), np.minimum(d, 0))]
    splits = []
    for i, layer in enumerate(layers):
        dp, dn = parts[-1]
        z, z0 = vals[i], vals0[i]
        nxt_in = vals[i + 1] if i + 1 < len(layers) else out
        nxt_ref = vals0[i + 1] if i + 1 < len(layers) else out0
        if layer[0] == "linear":
            m = layer[1]
            if split == "per_term":
                terms = m * (z - z0)[None, :]
                xp, xn = np.where(terms > 0, terms, 0).sum(1), np.where(terms < 0, terms, 0).sum(1)
            else:
                mp, mn = np.maximum(m, 0), np.minimum(m, 0)
                xp, xn = mp @ dp + mn @ dn, mp @ dn + mn @ dp
            splits.append((xp, xn))
            parts.append((xp, xn))
        elif layer[0] == "relu" and relu_rule(layer, rule) == "reveal_cancel":
            xp, xn = splits[-1]
            f = lambda v: np.maximum(v, 0.0)  # noqa: E731
            yp = 0.5 * (f(z0 + xp) - f(z0)) + 0.5 * (f(z0 + xn + xp) - f(z0 + xn))
            yn = 0.5 * (f(z0 + xn) - f(z0)) + 0.5 * (f(z0 + xp + xn) - f(z0 + xp))
            parts.append((yp, yn))
        else:
            dy = nxt_in - nxt_ref
            parts.append((np.maximum(dy, 0), np.minimum(dy, 0)))
    # Downward.
    mp = np.zeros_like(out)
    mp[task] = 1.0
    mn = mp.copy()
    pool = len(win)
    for i in range(len(layers) - 1, -1, -1):
        layer = layers[i]
        z, z0 = vals[i], vals0[i]
        y, y0 = (vals[i + 1], vals0[i + 1]) if i + 1 < len(layers) else (out, out0)
        dy = y - y0
        if layer[0] == "linear":
            m = layer[1]
            pos = np.where(m > 0, m, 0)
            neg = np.where(m < 0, m, 0)
            up = pos.T @ mp + neg.T @ mn  # a positive part of z_i: m+ through positive weights, m- through negative ones
            dn = pos.T @ mn + neg.T @ mp
            if split == "per_term" and i > 0:
                # Both parts of z_i take the multiplier chosen by the sign of Dz_i (zero: the negative side).
                one = np.where(z - z0 > 0, up, dn)
                if zero == "half":
                    one = np.where(z - z0 == 0, 0.5 * (up + dn), one)
                mp, mn = one, one.copy()
            else:
                mp, mn = up, dn
        elif layer[0] == "relu" and relu_rule(layer, rule) == "reveal_cancel":
            xp, xn = parts[i]
            yp, yn = parts[i + 1]
            small_p, small_n = np.abs(xp) < EPS, np.abs(xn) < EPS
            grad_p = grad_n = (z > 0).astype(np.float64)
            if small == "limit":
                grad_p = 0.5 * ((z0 > 0).astype(np.float64) + (z0 + xn > 0))
                grad_n = 0.5 * ((z0 > 0).astype(np.float64) + (z0 + xp > 0))
            elif small == "zero":
                grad_p = grad_n = np.zeros_like(z)
            mp = mp * np.where(small_p, grad_p, yp / np.where(small_p, 1.0, xp))
            mn = mn * np.where(small_n, grad_n, yn / np.where(small_n, 1.0, xn))
        elif layer[0] == "relu":
            m1 = np.where(dy > 0, mp, mn)
            dx = z - z0
            small = np.abs(dx) < EPS
            m1 = m1 * np.where(small, (z > 0).astype(np.float64), dy / np.where(small, 1.0, dx))
            mp, mn = m1, m1.copy()
        else:
            pool -= 1
            _, c, length, k = layer
            m1 = np.where(dy > 0, mp, mn).reshape(c, -1)
            zi, zr = z.reshape(c, length), z0.reshape(c, length)
            a, b = win[pool], win0[pool]
            xa, xb = np.take_along_axis(zi, a, 1), np.take_along_axis(zi, b, 1)
            x0a, x0b = np.take_along_axis(zr, a, 1), np.take_along_axis(zr, b, 1)
            phi_a = 0.5 * (np.maximum(xa, x0b) - x0b) + 0.5 * (xa - np.maximum(x0a, xb))
            phi_b = 0.5 * (np.maximum(x0a, xb) - x0b) + 0.5 * (xa - np.maximum(xa, x0b))
            ma, mb = _multipliers(*(torch.from_numpy(v) for v in (phi_a, phi_b, xa - x0a, xb - x0b)), torch.from_numpy(a == b))
            g = np.zeros((c, length))
            np.add.at(g, (np.arange(c)[:, None], a), m1 * ma.numpy())
            np.add.at(g, (np.arange(c)[:, None], b), m1 * mb.numpy())
            mp, mn = g.ravel(), g.ravel().copy()
    return mp, mn, out[task] - out0[task]


def scores(layers, rule, x, refs, task, split="per_term", **conventions):
    """Hypothetical scores, difference contributions (mean over references) and f(x) - f(x0) per reference."""
    hyp = np.zeros((4, LENGTH))
    diff = np.zeros((4, LENGTH))
    deltas, sums = [], []
    xf = x.astype(np.float64).ravel()
    for x0 in refs:
        r = x0.astype(np.float64).ravel()
        mp, mn, delta = attribute(layers, rule, xf, r, task, split, **conventions)
        d = xf - r
        contrib = np.where(d > 0, mp, mn) * d
        diff += contrib.reshape(4, LENGTH) / len(refs)
        mp, mn, r = mp.reshape(4, LENGTH), mn.reshape(4, LENGTH), r.reshape(4, LENGTH)
        for c in range(4):
            e = np.zeros((4, LENGTH))
            e[c] = 1
            dh = e - r
            hyp[c] += (np.where(dh > 0, mp, mn) * dh).sum(0) / len(refs)
        deltas.append(delta)
        sums.append(contrib.sum())
    return hyp, diff, deltas, sums


def f32(a):
    """float32 values written with their shortest round-trip digits (keeps the fixture small)."""
    return [float(str(v)) for v in np.asarray(a, dtype=np.float32).ravel()]


def case(model, rule, split, seqs, references, task, **conventions):
    name, params, layers = model
    x = np.stack([ar.one_hot(s) for s in seqs])
    x0 = np.stack([ar.one_hot(r) for rs in references for r in rs])
    refs = len(references[0])
    hyp, diff, deltas, worst = [], [], [], 0.0
    for i in range(len(seqs)):
        h, dc, dl, sm = scores(layers, rule, x[i], x0[i * refs:(i + 1) * refs], task, split, **conventions)
        hyp.append(h)
        diff.append(dc)
        deltas += dl
        worst = max(worst, max(abs(a - b) for a, b in zip(sm, dl)))
    assert worst < 1e-9, f"{name}/{rule}: the reference itself breaks summation-to-delta by {worst}"
    hyp, diff = np.stack(hyp), np.stack(diff)
    return {
        "model": name, "rule": rule, "split": split, "task": task,
        "hypothetical": f32(hyp), "contributions": f32(hyp * x), "difference_contributions": f32(diff),
        "target_deltas": [float(v) for v in deltas],
    }, hyp, diff


def main():
    rng = np.random.default_rng(20261122)
    ar.RNG = rng  # dinuc_shuffle draws from this module's RNG
    one = build("dense1", rng, False)
    two = build("dense2", rng, True)
    seqs = ["".join("ACGT"[i] for i in rng.integers(0, 4, LENGTH)) for _ in range(3)]
    references = [[ar.dinuc_shuffle(s) for _ in range(3)] for s in seqs]
    for s, rs in zip(seqs, references):
        assert all(sorted(zip(r[:-1], r[1:])) == sorted(zip(s[:-1], s[1:])) for r in rs)
    cases = []
    for model, task in ((one, 0), (two, 2)):
        for rule in ("genomics", "reveal_cancel"):
            c, hyp, diff = case(model, rule, "per_term", seqs, references, task)
            cases.append(c)
            c2, hyp2, diff2 = case(model, rule, "components", seqs, references, task)
            if model is two:  # identical to per_term for dense1 (checked by --compare)
                cases.append(c2)
            if "--compare" in sys.argv:
                base = hyp2 if model is two else hyp
                base_split = "components" if model is two else "per_term"
                print(f"{model[0]}/{rule}: hypothetical scale {np.abs(base).max():.3g}; max |change| with")
                print(f"  per-term instead of components split: {np.abs(hyp - hyp2).max():.3g} (difference contributions:"
                      f" {np.abs(diff - diff2).max():.3g} of {np.abs(diff).max():.3g})")
                alternatives = [("rule rescale", {"rule": "rescale"}), ("small |Dx+-| -> limit (DeepLIFT repo)", {"small": "limit"}),
                                ("small |Dx+-| -> 0", {"small": "zero"})]
                if model is one:
                    alternatives += [("Dz = 0 -> half (DeepLIFT repo)", {"zero": "half"})]
                for label, kw in alternatives:
                    _, other, other_diff = case(model, kw.pop("rule", rule), base_split, seqs, references, task, **kw)
                    base_diff = diff2 if model is two else diff
                    print(f"  {label}: {np.abs(other - base).max():.3g} (difference contributions: {np.abs(other_diff - base_diff).max():.3g})")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    tmp = OUT + ".tmp"
    with open(tmp, "w") as fh:
        json.dump({"generator": "tools/revealcancel_reference.py", "torch": torch.__version__, "length": LENGTH,
                   "x": f32(np.stack([ar.one_hot(s) for s in seqs])),
                   "references": f32(np.stack([ar.one_hot(r) for rs in references for r in rs])),
                   "references_per_sequence": len(references[0]),
                   "models": {name: {k: {pk: f32(pv) for pk, pv in v.items()} for k, v in params.items()} for name, params, _ in (one, two)},
                   "cases": cases}, fh, separators=(",", ":"))
        fh.write("\n")
    os.replace(tmp, OUT)


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    main()
