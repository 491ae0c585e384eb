#!/usr/bin/env python3
"""Writes tests/SeqLens.Tests/Fixtures/Training/optimizers.json: a few PyTorch optimiser steps on fixed
parameters and gradients, for SeqLens.Tests.Training.OptimizerTests.

Re-run from the repository root:  /usr/bin/python3 tools/make_optimizer_fixtures.py
(installs Debian's python3-torch when it is missing; torch 1.13 single-tensor code path, CPU, float32)."""
import json
import os
import subprocess
import sys

try:
    import torch
except ImportError:
    subprocess.check_call(["apt-get", "install", "-y", "python3-torch"])
    import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "SeqLens.Tests", "Fixtures",
                   "Training", "optimizers.json")


def values(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def run(name, make, steps=4, clip=None):
    g = torch.Generator().manual_seed(7)
    p0 = (torch.rand(2, 3, generator=g) * 2 - 1).float()
    p1 = (torch.rand(3, generator=g) * 2 - 1).float()
    params = [torch.nn.Parameter(p0.clone()), torch.nn.Parameter(p1.clone())]
    opt = make(params)
    grads = []
    for s in range(steps):
        gs = [(torch.rand(p.shape, generator=g) * 4 - 2).float() for p in params]
        grads.append([values(x) for x in gs])
        for p, x in zip(params, gs):
            p.grad = x.clone()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()
    return {
        "name": name,
        "initial": [values(p0), values(p1)],
        "shapes": [list(p0.shape), list(p1.shape)],
        "grads": grads,
        "final": [values(p) for p in params],
    }


cases = [
    run("sgd", lambda ps: torch.optim.SGD(ps, lr=0.1)),
    run("sgd_momentum", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01)),
    run("sgd_nesterov", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True)),
    run("adam", lambda ps: torch.optim.Adam(ps, lr=0.01, foreach=False)),
    run("adam_l2", lambda ps: torch.optim.Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, foreach=False)),
    run("adamw", lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.05, foreach=False)),
    run("adam_clip", lambda ps: torch.optim.Adam(ps, lr=0.01, foreach=False), clip=0.5),
]

# ReduceLROnPlateau: learning rates after each step of a metric sequence.
def plateau(mode, metrics, **kw):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=1.0)
    sch = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode=mode, **kw)
    lrs = []
    for m in metrics:
        sch.step(m)
        lrs.append(opt.param_groups[0]["lr"])
    return {"mode": mode, "metrics": metrics, "options": kw, "lrs": lrs}

schedules = [
    plateau("min", [1.0, 0.9, 0.95, 0.93, 0.92, 0.91, 0.95, 0.96, 0.97, 0.8, 0.81, 0.82, 0.83],
            factor=0.5, patience=2, min_lr=0.1),
    plateau("max", [0.5, 0.6, 0.6, 0.6, 0.59, 0.7, 0.7, 0.7, 0.7, 0.7], factor=0.1, patience=1, cooldown=1),
]

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT + ".tmp", "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "schedules": schedules}, f, indent=1)
os.replace(OUT + ".tmp", OUT)
print("wrote", OUT)
