#!/usr/bin/env python3
"""Writes tests/SeqLens.Tests/Fixtures/Training/train_steps.json: three full training steps of a tiny CNN in PyTorch
(conv1d(4->3, k=5) -> ReLU -> global max -> linear(3->2), masked BCE-with-logits, Adam then AdamW), with the initial
weights, the batch, the labels (-1 = masked), the loss of each step and the weights after the last step, for
SeqLens.Tests.Training.TrainingStepTests.

Re-run from the repository root:  /usr/bin/python3 tools/make_training_fixtures.py
(installs Debian's python3-torch when it is missing; CPU, float32, single-tensor optimiser path)."""
import json
import os
import subprocess

try:
    import torch
except ImportError:
    subprocess.check_call(["apt-get", "install", "-y", "python3-torch"])
    import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "SeqLens.Tests", "Fixtures",
                   "Training", "train_steps.json")
F = torch.nn.functional


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(name, make_optimizer):
    g = torch.Generator().manual_seed(11)
    n, length = 6, 12
    x = torch.zeros(n, 4, length)
    idx = torch.randint(0, 4, (n, length), generator=g)
    x.scatter_(1, idx.unsqueeze(1), 1.0)
    y = torch.tensor([[1., 0.], [0., -1.], [1., 1.], [0., 0.], [-1., 1.], [1., 0.]])
    conv_w = (torch.rand(3, 4, 5, generator=g) - 0.5).requires_grad_()
    conv_b = (torch.rand(3, generator=g) * 0.2).requires_grad_()
    dense_w = (torch.rand(2, 3, generator=g) - 0.5).requires_grad_()
    dense_b = (torch.rand(2, generator=g) * 0.2 - 0.1).requires_grad_()
    params = [conv_w, conv_b, dense_w, dense_b]
    initial = [flat(p) for p in params]
    opt = make_optimizer(params)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        h = F.relu(F.conv1d(x, conv_w, conv_b))
        h = F.max_pool1d(h, h.shape[-1]).squeeze(-1)
        logits = F.linear(h, dense_w, dense_b)
        mask = (y >= 0).float()
        per = F.binary_cross_entropy_with_logits(logits, y.clamp(min=0), reduction="none")
        loss = (per * mask).sum() / mask.sum()
        loss.backward()
        opt.step()
        losses.append(float(loss))
    return {"name": name, "x": flat(x), "y": flat(y), "initial": initial, "losses": losses,
            "final": [flat(p) for p in params]}


cases = [
    case("adam", lambda ps: torch.optim.Adam(ps, lr=0.05, foreach=False)),
    case("adamw", lambda ps: torch.optim.AdamW(ps, lr=0.05, weight_decay=0.1, foreach=False)),
    case("sgd_nesterov", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True)),
]
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT + ".tmp", "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
    f.write("\n")
os.replace(OUT + ".tmp", OUT)
print("wrote", OUT)
