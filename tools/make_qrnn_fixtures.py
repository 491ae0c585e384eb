#!/usr/bin/python3
"""Writes the PyTorch reference for SeqLens' QRNN layer: tests/SeqLens.Tests/Fixtures/Qrnn/qrnn_reference.json.

Re-run from the repository root (needs Debian's torch 1.13; installed below when missing):

    /usr/bin/python3 tools/make_qrnn_fixtures.py

The reference is a QRNN written the usual way, independently of SeqLens' kernel: per layer and direction a Conv1d to
3H channels on the input left-padded by k - 1 (causal), gates chunked as [Z; F; O], z = tanh, f = o = sigmoid, and
fo-pooling with a Python loop over time (c = f*c + (1-f)*z, h = o*c, c starts at 0). The backward direction flips the
length axis, runs, and flips back; directions are concatenated over channels [forward; backward]. Parameter names are
SeqLens' node names (GraphBuilder.Qrnn with name "q"): q.l{i}[.fwd|.bwd].conv.weight / .bias.
Each case stores float32 input and parameters, a random output gradient, and PyTorch's output, input gradient and
parameter gradients, computed in float64 from the float32 values and rounded to float32 (shortest round-trip decimal).
Deterministic: fixed seeds, no timestamps. Tests: tests/SeqLens.Tests/Graphs/QrnnTorchReferenceTests.cs.
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

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "SeqLens.Tests", "Fixtures", "Qrnn", "qrnn_reference.json")
RNG = np.random.default_rng(20261122)


def f32(shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def pack(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(str(v)) for v in a.reshape(-1)]}


def direction(x, weight, bias, width, hidden):
    g = torch.nn.functional.conv1d(torch.nn.functional.pad(x, (width - 1, 0)), weight, bias)
    z, f, o = g.chunk(3, dim=1)
    z, f, o = torch.tanh(z), torch.sigmoid(f), torch.sigmoid(o)
    c = torch.zeros(x.shape[0], hidden, dtype=x.dtype)
    hs = []
    for t in range(x.shape[2]):
        c = f[:, :, t] * c + (1 - f[:, :, t]) * z[:, :, t]
        hs.append(o[:, :, t] * c)
    return torch.stack(hs, dim=2)


def case(name, batch, channels, length, hidden, width, layers, bidirectional):
    x = f32((batch, channels, length))
    params = {}
    cin = channels
    for layer in range(layers):
        dirs = ["fwd", "bwd"] if bidirectional else [None]
        for d in dirs:
            node = f"q.l{layer}" + (f".{d}" if d else "") + ".conv"
            bound = 1.0 / np.sqrt(cin * width)
            params[node + ".weight"] = (RNG.uniform(-bound, bound, (3 * hidden, cin, width)) * 2).astype(np.float32)
            params[node + ".bias"] = RNG.uniform(-0.5, 0.5, (3 * hidden,)).astype(np.float32)
        cin = hidden * len(dirs)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    pt = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    h = xt
    for layer in range(layers):
        if bidirectional:
            p = f"q.l{layer}"
            fw = direction(h, pt[p + ".fwd.conv.weight"], pt[p + ".fwd.conv.bias"], width, hidden)
            bw = direction(h.flip(2), pt[p + ".bwd.conv.weight"], pt[p + ".bwd.conv.bias"], width, hidden).flip(2)
            h = torch.cat([fw, bw], dim=1)
        else:
            p = f"q.l{layer}.conv"
            h = direction(h, pt[p + ".weight"], pt[p + ".bias"], width, hidden)
    dy = f32(tuple(h.shape))
    h.backward(torch.tensor(dy, dtype=torch.float64))
    return {
        "name": name, "hidden": hidden, "width": width, "layers": layers, "bidirectional": bidirectional,
        "input": pack(x), "params": {k: pack(v) for k, v in params.items()}, "output_grad": pack(dy),
        "output": pack(h.detach().numpy()), "input_grad": pack(xt.grad.numpy()),
        "param_grads": {k: pack(v.grad.numpy()) for k, v in pt.items()},
    }


def main():
    cases = [
        case("uni_1layer", 2, 3, 7, 4, 2, 1, False),
        case("uni_2layers_k3", 3, 4, 11, 3, 3, 2, False),
        case("bi_2layers", 2, 4, 6, 3, 2, 2, True),
        case("bi_1layer_len1", 1, 4, 1, 2, 2, 1, True),
    ]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT + ".tmp", "w") as fh:
        json.dump({"torch": torch.__version__, "cases": cases}, fh, indent=None, separators=(",", ":"))
        fh.write("\n")
    os.replace(OUT + ".tmp", OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
