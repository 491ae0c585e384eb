#!/usr/bin/python3
"""Writes ONNX models, a PyTorch state dict and PyTorch reference results for the ONNX/Torch importers:
tests/SeqLens.Tests/Fixtures/OnnxImport/.

Re-run from the repository root (needs Debian's torch 1.13 and onnx 1.12; installed below when missing):

    /usr/bin/python3 tools/make_onnx_import_fixtures.py

Models (small widths so each file stays well under 1 MB; the structures are those of the published models):
  basset     conv+BN+ReLU+maxpool x3, flatten (x.view(batch, -1): a Shape/Gather/Unsqueeze/Concat subgraph), dense,
             ReLU, dropout, dense; 6 tasks; final Sigmoid.
  deepsea    Conv(4,c1,8)+ReLU+MaxPool4 -> Conv(c1,c2,8)+ReLU+MaxPool4 -> Conv(c2,c3,8)+ReLU -> Dense+ReLU -> Dense, final
             Sigmoid (DeepSEA with widths 320/480/960/925 scaled down to 16/24/32/20; L = 200).
  bpnet      conv, 4 dilated convs with residual Add, a profile head (conv, cropped with a slice) and a count head
             (mean over length, dense): 2 outputs, no final activation.
  multitask  conv+ELU, conv+LeakyReLU, avg-pool, global max pool, dense, BatchNorm1d, tanh, x*scale - shift, dense,
             softmax over 5 classes (final Softmax).
Each is exported with opset 11 and 13 (dynamic batch axis "batch"). For each: inputs x (3, 4, L) one-hot, PyTorch's
outputs (post-activation, as the ONNX file computes), and the gradient of the sum of the pre-activation outputs
(logits: pre-softmax / pre-sigmoid; for bpnet the sum of both outputs) with respect to x. Outputs are in
<model>_reference.npz with keys x, out0[, out1], logits0, grad.
basset_state.pt: the Basset-like model's state_dict (torch.save, zip format), for TorchImporter.
Deterministic: fixed seeds. Tests never run Python.
"""
import os
import subprocess
import sys

try:
    import numpy as np
    import torch
    import onnx  # noqa: F401
except ImportError:  # Debian's packages; the script must be able to set itself up.
    subprocess.run(["apt-get", "install", "-y", "python3-torch", "python3-numpy", "python3-onnx"], check=True)
    os.execv(sys.executable, [sys.executable] + sys.argv)

import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "SeqLens.Tests", "Fixtures", "OnnxImport")
torch.manual_seed(20261122)
RNG = np.random.default_rng(20261122)


def randomize_bn(m):
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm1d):
            with torch.no_grad():
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.3, 0.3)
                mod.running_mean.uniform_(-0.2, 0.2)
                mod.running_var.uniform_(0.5, 2.0)


class Basset(nn.Module):
    def __init__(self, length=100, tasks=6):
        super().__init__()
        self.conv1 = nn.Conv1d(4, 12, 7, padding=3)
        self.bn1 = nn.BatchNorm1d(12)
        self.conv2 = nn.Conv1d(12, 16, 5, padding=2)
        self.bn2 = nn.BatchNorm1d(16)
        self.conv3 = nn.Conv1d(16, 16, 3, padding=1)
        self.bn3 = nn.BatchNorm1d(16)
        self.fc1 = nn.Linear(16 * (length // 8), 32)
        self.drop = nn.Dropout(0.3)
        self.fc2 = nn.Linear(32, tasks)

    def logits(self, x):
        x = F.max_pool1d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool1d(F.relu(self.bn2(self.conv2(x))), 2)
        x = F.max_pool1d(F.relu(self.bn3(self.conv3(x))), 2)
        x = x.view(x.size(0), -1)
        return self.fc2(self.drop(F.relu(self.fc1(x))))

    def forward(self, x):
        return torch.sigmoid(self.logits(x))


class DeepSea(nn.Module):
    def __init__(self, length=200, c=(16, 24, 32), hidden=20, tasks=9):
        super().__init__()
        self.conv1 = nn.Conv1d(4, c[0], 8)
        self.conv2 = nn.Conv1d(c[0], c[1], 8)
        self.conv3 = nn.Conv1d(c[1], c[2], 8)
        l = ((length - 7) // 4 - 7) // 4 - 7
        self.fc1 = nn.Linear(c[2] * l, hidden)
        self.fc2 = nn.Linear(hidden, tasks)

    def logits(self, x):
        x = F.max_pool1d(F.relu(self.conv1(x)), 4, 4)
        x = F.max_pool1d(F.relu(self.conv2(x)), 4, 4)
        x = F.relu(self.conv3(x))
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))

    def forward(self, x):
        return torch.sigmoid(self.logits(x))


class BpNet(nn.Module):
    def __init__(self, channels=16, layers=4, tasks=2, crop=10):
        super().__init__()
        self.first = nn.Conv1d(4, channels, 9, padding=4)
        self.dil = nn.ModuleList([nn.Conv1d(channels, channels, 3, padding=2 ** (i + 1), dilation=2 ** (i + 1)) for i in range(layers)])
        self.profile = nn.Conv1d(channels, tasks, 11, padding=5)
        self.count = nn.Linear(channels, tasks)
        self.crop = crop

    def forward(self, x):
        h = F.relu(self.first(x))
        for conv in self.dil:
            h = h + F.relu(conv(h))
        profile = self.profile(h)[:, :, self.crop:-self.crop]
        count = self.count(h.mean(dim=2))
        return profile, count


class MultiTask(nn.Module):
    def __init__(self, classes=5):
        super().__init__()
        self.conv1 = nn.Conv1d(4, 10, 5, padding=2)
        self.conv2 = nn.Conv1d(10, 12, 3, stride=2, padding=1)
        self.pool = nn.AvgPool1d(3, stride=2, padding=1)
        self.gmp = nn.AdaptiveMaxPool1d(1)
        self.fc1 = nn.Linear(12, 16)
        self.bn = nn.BatchNorm1d(16)
        self.fc2 = nn.Linear(16, classes)

    def logits(self, x):
        h = F.elu(self.conv1(x))
        h = F.leaky_relu(self.conv2(h), 0.1)
        h = self.pool(h)
        h = self.gmp(h).squeeze(2)
        h = torch.tanh(self.bn(self.fc1(h)))
        h = h * 1.5 - 0.25
        return self.fc2(h)

    def forward(self, x):
        return torch.softmax(self.logits(x), dim=1)


def one_hot(n, length):
    idx = RNG.integers(0, 4, size=(n, length))
    x = np.zeros((n, 4, length), dtype=np.float32)
    for i in range(n):
        x[i, idx[i], np.arange(length)] = 1.0
    return x


def export(name, model, length, outputs, logits_fn):
    model.eval()
    x = one_hot(3, length)
    dummy = torch.tensor(x[:1])
    names = ["out%d" % i for i in range(outputs)]
    for opset in (11, 13):
        torch.onnx.export(model, dummy, os.path.join(OUT, "%s_opset%d.onnx" % (name, opset)), opset_version=opset,
                          input_names=["x"], output_names=names, do_constant_folding=True,
                          dynamic_axes=dict({"x": {0: "batch"}}, **{n: {0: "batch"} for n in names}))
    xt = torch.tensor(x, requires_grad=True)
    with torch.no_grad():
        outs = model(torch.tensor(x))
    if not isinstance(outs, tuple):
        outs = (outs,)
    logits = logits_fn(xt)
    total = sum(t.sum() for t in logits)
    total.backward()
    arrays = {"x": x, "grad": xt.grad.numpy().astype(np.float32)}
    for i, o in enumerate(outs):
        arrays["out%d" % i] = o.numpy().astype(np.float32)
    arrays["logits0"] = logits[0].detach().numpy().astype(np.float32)
    np.savez(os.path.join(OUT, "%s_reference.npz" % name), **arrays)


def main():
    os.makedirs(OUT, exist_ok=True)
    basset = Basset()
    randomize_bn(basset)
    export("basset", basset, 100, 1, lambda x: (basset.logits(x),))
    torch.save(basset.state_dict(), os.path.join(OUT, "basset_state.pt"))

    deepsea = DeepSea()
    export("deepsea", deepsea, 200, 1, lambda x: (deepsea.logits(x),))

    bpnet = BpNet()
    export("bpnet", bpnet, 120, 2, lambda x: bpnet(x))

    multi = MultiTask()
    randomize_bn(multi)
    export("multitask", multi, 60, 1, lambda x: (multi.logits(x),))


if __name__ == "__main__":
    main()
