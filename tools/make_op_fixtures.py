#!/usr/bin/python3
"""Writes PyTorch reference results for SeqLens' ops: tests/SeqLens.Tests/Fixtures/Ops/torch_reference.json.

Re-run from the repository root (needs Debian's torch 1.13; installed below when missing):

    /usr/bin/python3 tools/make_op_fixtures.py

Each case holds an op kind and its model.json attributes, a float32 input, the op's parameters (PyTorch names:
weight, bias, running_mean, running_var), a random output gradient, and PyTorch's output, input gradient, parameter
gradients and (batch-norm in training) the updated running statistics. Inputs and parameters are float32 values;
PyTorch computes in float64 from them, so the reference carries no float32 accumulation-order noise, and results are
stored rounded to float32 (shortest round-trip decimal). Deterministic: fixed seeds, no timestamps.
Tests: tests/SeqLens.Tests/Graphs/TorchReferenceTests.cs (they never run Python).
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
except ImportError:  # Debian's packages; the script must be able to set itself up.
    subprocess.run(["apt-get", "install", "-y", "python3-torch", "python3-numpy"], check=True)
    os.execv(sys.executable, [sys.executable] + sys.argv)

import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "SeqLens.Tests", "Fixtures", "Ops", "torch_reference.json")
RNG = np.random.default_rng(20261122)
torch.manual_seed(20261122)


def f32(shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def distinct(shape):
    """Normal values, re-drawn until no two in a row are closer than 1e-3 (max-pool ties would be ambiguous)."""
    while True:
        x = f32(shape)
        s = np.sort(x.reshape(-1))
        if np.min(np.diff(s)) > 1e-3:
            return x


def pack(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(str(v)) for v in a.reshape(-1)]}


def case(name, kind, attributes, x, fn, params=None, training=False, stateful=None):
    """fn(x, params) -> y, computed in float64; params maps names to float32 arrays."""
    params = params or {}
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    pt = {k: torch.tensor(v, dtype=torch.float64, requires_grad=(k not in ("running_mean", "running_var"))) for k, v in params.items()}
    y = fn(xt, pt)
    dy = f32(tuple(y.shape))
    y.backward(torch.tensor(dy, dtype=torch.float64))
    c = {
        "name": name,
        "kind": kind,
        "attributes": attributes,
        "training": training,
        "input": pack(x),
        "parameters": {k: pack(v) for k, v in params.items()},
        "output": pack(y.detach().numpy()),
        "output_grad": pack(dy),
        "input_grad": pack(xt.grad.numpy()),
        "parameter_grads": {k: pack(t.grad.numpy()) for k, t in pt.items() if t.requires_grad},
    }
    if stateful:
        c["parameters_after"] = {k: pack(pt[k].detach().numpy()) for k in stateful}
    return c


def conv_case(name, b, cin, cout, length, k, stride=1, dilation=1, padding=0, groups=1, bias=True):
    w = f32((cout, cin // groups, k), 0.5)
    params = {"weight": w}
    if bias:
        params["bias"] = f32((cout,), 0.5)
    attrs = {"out_channels": cout, "kernel_size": k, "stride": stride, "dilation": dilation, "padding": padding, "groups": groups, "bias": bias}
    return case(name, "Conv1d", attrs, f32((b, cin, length)),
                lambda x, p: F.conv1d(x, p["weight"], p.get("bias"), stride=stride, padding=padding, dilation=dilation, groups=groups), params)


def dense_case(name, shape, out, bias=True):
    params = {"weight": f32((out, shape[-1]), 0.5)}
    if bias:
        params["bias"] = f32((out,), 0.5)
    return case(name, "Dense", {"out_features": out, "bias": bias}, f32(shape), lambda x, p: F.linear(x, p["weight"], p.get("bias")), params)


def bn_case(name, shape, training):
    c = shape[1]
    params = {
        "weight": (1 + 0.3 * RNG.standard_normal(c)).astype(np.float32),
        "bias": f32((c,), 0.3),
        "running_mean": f32((c,), 0.5),
        "running_var": (0.5 + RNG.random(c)).astype(np.float32),
    }
    fn = lambda x, p: F.batch_norm(x, p["running_mean"], p["running_var"], p["weight"], p["bias"], training=training, momentum=0.1, eps=1e-5)
    return case(name, "BatchNorm1d", {"momentum": 0.1, "eps": 1e-5}, f32(shape, 2.0) + 0.5, fn, params, training,
                stateful=["running_mean", "running_var"] if training else None)


cases = [
    conv_case("conv_pad2", 2, 4, 3, 11, 5, padding=2),
    conv_case("conv_stride2_dilation2_pad3", 3, 3, 4, 13, 3, stride=2, dilation=2, padding=3),
    conv_case("conv_groups2_same_dilation2", 2, 4, 6, 9, 3, dilation=2, padding="same", groups=2),
    conv_case("conv_depthwise_stride3_nobias", 1, 3, 3, 17, 4, stride=3, groups=3, bias=False),
    conv_case("conv_length1", 3, 4, 2, 1, 1),
    dense_case("dense_2d", (3, 7), 5),
    dense_case("dense_3d_nobias", (2, 3, 4), 2, bias=False),
    bn_case("batchnorm_train_3d", (3, 4, 7), True),
    bn_case("batchnorm_eval_3d", (3, 4, 7), False),
    bn_case("batchnorm_train_2d", (5, 3), True),
    bn_case("batchnorm_eval_2d", (1, 3), False),
    case("maxpool_k3_s2_p1", "MaxPool1d", {"kernel_size": 3, "stride": 2, "padding": 1}, distinct((2, 3, 11)), lambda x, p: F.max_pool1d(x, 3, 2, 1)),
    case("maxpool_k2_default_stride", "MaxPool1d", {"kernel_size": 2}, distinct((3, 2, 9)), lambda x, p: F.max_pool1d(x, 2)),
    case("maxpool_k4_s1_p2", "MaxPool1d", {"kernel_size": 4, "stride": 1, "padding": 2}, distinct((1, 2, 7)), lambda x, p: F.max_pool1d(x, 4, 1, 2)),
    case("avgpool_k3_s2_p1", "AvgPool1d", {"kernel_size": 3, "stride": 2, "padding": 1}, f32((2, 3, 11)), lambda x, p: F.avg_pool1d(x, 3, 2, 1)),
    case("avgpool_k3_s2_p1_exclude_pad", "AvgPool1d", {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False}, f32((2, 3, 11)),
         lambda x, p: F.avg_pool1d(x, 3, 2, 1, count_include_pad=False)),
    case("avgpool_k2_default_stride", "AvgPool1d", {"kernel_size": 2}, f32((3, 2, 9)), lambda x, p: F.avg_pool1d(x, 2)),
    case("global_max", "GlobalMaxPool", {}, distinct((3, 4, 13)), lambda x, p: x.max(dim=2).values),
    case("global_avg", "GlobalAvgPool", {}, f32((3, 4, 13)), lambda x, p: x.mean(dim=2)),
    case("softmax_last", "Softmax", {"axis": -1}, f32((3, 7), 3.0), lambda x, p: torch.softmax(x, -1)),
    case("softmax_channels", "Softmax", {"axis": 1}, f32((2, 5, 3), 3.0), lambda x, p: torch.softmax(x, 1)),
    case("log_softmax_last", "LogSoftmax", {"axis": -1}, f32((3, 7), 3.0), lambda x, p: torch.log_softmax(x, -1)),
    case("log_softmax_channels", "LogSoftmax", {"axis": 1}, f32((2, 5, 3), 3.0), lambda x, p: torch.log_softmax(x, 1)),
    case("gelu", "Gelu", {}, f32((2, 3, 7), 2.0), lambda x, p: F.gelu(x)),
    case("elu", "Elu", {"alpha": 1.0}, f32((2, 3, 7), 2.0), lambda x, p: F.elu(x)),
    case("leaky_relu", "LeakyRelu", {"negative_slope": 0.01}, f32((2, 3, 7), 2.0), lambda x, p: F.leaky_relu(x, 0.01)),
    case("softplus", "Softplus", {"beta": 1.0, "threshold": 20.0}, f32((2, 3, 7), 8.0), lambda x, p: F.softplus(x)),
    case("sigmoid", "Sigmoid", {}, f32((2, 3, 7), 2.0), lambda x, p: torch.sigmoid(x)),
    case("tanh", "Tanh", {}, f32((2, 3, 7), 2.0), lambda x, p: torch.tanh(x)),
]

doc = {
    "generator": "tools/make_op_fixtures.py",
    "torch": torch.__version__,
    "note": "float32 inputs and parameters; PyTorch computes in float64; results rounded to float32.",
    "cases": cases,
}
text = json.dumps(doc, separators=(",", ":"))
os.makedirs(os.path.dirname(OUT), exist_ok=True)
fd, tmp = tempfile.mkstemp(dir=os.path.dirname(OUT), suffix=".tmp")
with os.fdopen(fd, "w") as f:
    f.write(text + "\n")
os.replace(tmp, OUT)
print(f"wrote {len(cases)} cases, {len(text)} bytes to {os.path.normpath(OUT)}")
