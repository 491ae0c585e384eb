#!/usr/bin/python3
"""Writes PyTorch reference DeepLIFT / DeepLIFT-SHAP scores for SeqLens:
tests/SeqLens.Tests/Fixtures/Attribution/deeplift_reference.json.

Re-run from the repository root (needs Debian's torch 1.13; installed below when missing):

    /usr/bin/python3 tools/attribution_reference.py

captum is not available, so the reference is written directly in PyTorch with the gradient-override trick captum's
DeepLift uses: the batch is [x; x0] and every nonlinearity is a custom autograd Function whose backward returns
grad_out * (y - y0) / (x - x0) for the input rows (the gradient at x where |x - x0| < 1e-6, zero for the reference
rows). Max pooling uses SeqLens' paired-window rule (MaxPool1dOp.PairedMaxBackward): per window, with a the winner
in x and b the winner in x0,
    phi_a = 1/2 (max(x_a, x0_b) - y0) + 1/2 (y - max(x0_a, x_b)),
    phi_b = 1/2 (max(x0_a, x_b) - y0) + 1/2 (y - max(x_a, x0_b)),
multipliers phi/dx at a and b (the gradient when a == b). Linear layers (conv, batch-norm in eval, avg-pool, dense)
keep autograd's gradient. Hypothetical contributions follow tangermeme's hypothetical_attributions:
hyp[c, l] = sum_c' m[c', l] * (e_c[c'] - x0[c', l]), averaged over the references.

The references (dinucleotide-preserving shuffles drawn here with a fixed seed) are stored in the fixture, and the C#
test feeds exactly those to SeqLens (AttributionReferences.PerSequence), so both sides use identical references.
Weights are float32 values; PyTorch computes in float64 from them. Deterministic: fixed seeds, no timestamps.
Tests: tests/SeqLens.Tests/Attribution/TorchReferenceTests.cs (they never run Python).
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
from deeplift_rules import PairedMaxPool, RescaleRelu  # noqa: E402  (the rules shared with tools/bench)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "SeqLens.Tests", "Fixtures", "Attribution", "deeplift_reference.json")
RNG = np.random.default_rng(20261122)
torch.set_default_dtype(torch.float64)


def f32(shape, scale):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def conv(cin, cout, k):
    return {"weight": f32((cout, cin, k), 1.0 / np.sqrt(cin * k)), "bias": f32((cout,), 0.1)}


def bn(c):
    return {"weight": (RNG.uniform(-0.4, 1.5, c)).astype(np.float32), "bias": f32((c,), 0.1),
            "running_mean": f32((c,), 0.1), "running_var": RNG.uniform(0.5, 1.5, c).astype(np.float32)}


def dense(i, o):
    return {"weight": f32((o, i), 1.0 / np.sqrt(i)), "bias": f32((o,), 0.1)}


def t(a):
    return torch.tensor(np.asarray(a, dtype=np.float64))


def basset_like():
    """Basset scaled down in width: conv(4,16,7,same)+BN+ReLU+max3, conv(16,12,5)+BN+ReLU+max4,
    conv(12,12,3)+BN+ReLU+max4, dense(16)+ReLU, dense(4); length 96."""
    p = {"conv1": conv(4, 16, 7), "bn1": bn(16), "conv2": conv(16, 12, 5), "bn2": bn(12),
         "conv3": conv(12, 12, 3), "bn3": bn(12), "fc1": dense(12, 16), "out": dense(16, 4)}

    def f(x):
        def block(h, c, b, k, pool, same):
            h = F.conv1d(h, t(p[c]["weight"]), t(p[c]["bias"]), padding=(k // 2 if same else 0))
            h = F.batch_norm(h, t(p[b]["running_mean"]), t(p[b]["running_var"]), t(p[b]["weight"]), t(p[b]["bias"]), False, 0.0, 1e-5)
            return PairedMaxPool.apply(RescaleRelu.apply(h), pool)
        h = block(x, "conv1", "bn1", 7, 3, True)
        h = block(h, "conv2", "bn2", 5, 4, False)
        h = block(h, "conv3", "bn3", 3, 4, False)
        h = h.flatten(1)
        h = RescaleRelu.apply(F.linear(h, t(p["fc1"]["weight"]), t(p["fc1"]["bias"])))
        return F.linear(h, t(p["out"]["weight"]), t(p["out"]["bias"]))
    return "basset_like", 96, p, f


def deeplift_paper_like():
    """conv(4,8,5)-relu-conv(8,8,3)-relu-avgpool(4)-dense(16)-relu-dense(3); length 40 (valid convs)."""
    p = {"conv1": conv(4, 8, 5), "conv2": conv(8, 8, 3), "fc1": dense(8 * 8, 16), "out": dense(16, 3)}

    def f(x):
        h = RescaleRelu.apply(F.conv1d(x, t(p["conv1"]["weight"]), t(p["conv1"]["bias"])))
        h = RescaleRelu.apply(F.conv1d(h, t(p["conv2"]["weight"]), t(p["conv2"]["bias"])))
        h = F.avg_pool1d(h, 4).flatten(1)
        h = RescaleRelu.apply(F.linear(h, t(p["fc1"]["weight"]), t(p["fc1"]["bias"])))
        return F.linear(h, t(p["out"]["weight"]), t(p["out"]["bias"]))
    return "deeplift_paper_like", 40, p, f


def one_hot(seq):
    x = np.zeros((4, len(seq)), dtype=np.float32)
    for i, ch in enumerate(seq):
        x["ACGT".index(ch), i] = 1
    return x


def dinuc_shuffle(seq):
    """Uniform Eulerian-trail dinucleotide shuffle (Altschul & Erickson) with numpy's RNG."""
    chars = "ACGT"
    edges = {c: [] for c in chars}
    for a, b in zip(seq[:-1], seq[1:]):
        edges[a].append(b)
    last = {}
    # Random spanning arborescence towards the final letter (Wilson's algorithm on the multigraph).
    in_tree = {seq[-1]}
    for start in chars:
        if not edges[start] or start in in_tree:
            continue
        path = [start]
        while path[-1] not in in_tree:
            nxt = edges[path[-1]][RNG.integers(len(edges[path[-1]]))]
            if nxt in path:
                path = path[:path.index(nxt) + 1]
            else:
                path.append(nxt)
        for u, v in zip(path[:-1], path[1:]):
            last[u] = v
            in_tree.add(u)
    order = {}
    for c in chars:
        rest = list(edges[c])
        if c in last:
            rest.remove(last[c])
        RNG.shuffle(rest)
        order[c] = rest + ([last[c]] if c in last else [])
    out = [seq[0]]
    pos = {c: 0 for c in chars}
    for _ in range(len(seq) - 1):
        c = out[-1]
        out.append(order[c][pos[c]])
        pos[c] += 1
    return "".join(out)


def case(model, n, refs, task):
    name, length, params, f = model
    seqs = ["".join("ACGT"[i] for i in RNG.integers(0, 4, length)) for _ in range(n)]
    references = [[dinuc_shuffle(s) for _ in range(refs)] for s in seqs]
    for s, rs in zip(seqs, references):
        assert all(sorted(zip(r[:-1], r[1:])) == sorted(zip(s[:-1], s[1:])) for r in rs)
    x = np.stack([one_hot(s) for s in seqs])
    x0 = np.stack([one_hot(r) for rs in references for r in rs])
    hyp = np.zeros_like(x, dtype=np.float64)
    diff = np.zeros_like(x, dtype=np.float64)
    target_deltas = []
    for i in range(n):
        xi = t(np.repeat(x[i:i + 1], refs, axis=0))
        x0i = t(x0[i * refs:(i + 1) * refs])
        batch = torch.cat([xi, x0i]).requires_grad_(True)
        out = f(batch)
        out[:refs, task].sum().backward()
        m = batch.grad[:refs].numpy()
        x0n = x0i.numpy()
        for c in range(4):
            e = np.zeros_like(x0n)
            e[:, c, :] = 1
            hyp[i, c] += (m * (e - x0n)).sum(axis=1).mean(axis=0)
        diff[i] = (m * (xi.numpy() - x0n)).mean(axis=0)
        with torch.no_grad():
            o = f(torch.cat([xi, x0i]))
        target_deltas += list((o[:refs, task] - o[refs:, task]).numpy())
    return {
        "model": name, "length": length, "task": task, "references_per_sequence": refs,
        "params": {k: {pk: np.asarray(pv, dtype=np.float32).ravel().tolist() for pk, pv in v.items()} for k, v in params.items()},
        "x": x.ravel().tolist(), "references": x0.ravel().tolist(),
        "hypothetical": hyp.astype(np.float32).ravel().tolist(),
        "difference_contributions": diff.astype(np.float32).ravel().tolist(),
        "target_deltas": [float(v) for v in target_deltas],
    }


def main():
    cases = [case(basset_like(), 3, 4, 2), case(deeplift_paper_like(), 3, 4, 1)]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump({"generator": "tools/attribution_reference.py", "torch": torch.__version__, "cases": cases}, fh, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    main()
