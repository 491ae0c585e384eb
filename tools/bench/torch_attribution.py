#!/usr/bin/env python3
"""PyTorch reference timings for bench/SeqLens.Bench/Attribution/AttributionBenchmark.cs (suite `attribution`).

Full-size Basset-like model (Conv(4,300,19,same)+BN+ReLU+MaxPool3 -> Conv(300,200,11)+BN+ReLU+MaxPool4 ->
Conv(200,200,7)+BN+ReLU+MaxPool4 -> Dense(1000)+ReLU -> Dense(164)), L = 600, eval mode, float32:
  - DeepLIFT-SHAP with 20 references per sequence, captum-style gradient override (batch [x repeated; refs],
    Rescale multipliers at every ReLU, the paired max-pool rule, both from tools/deeplift_rules.py as the test
    fixtures' reference uses them, the pool rule without its tiny-difference fallbacks to keep PyTorch at its fastest;
    one backward per sequence, input gradients only)
  - integrated gradients, 50 steps (one batch of 50 interpolated inputs per sequence, plus the two endpoints)
Prints one JSON object per line: {"what", "threads", "median_s_per_seq", "seq_per_s", "rounds"}.

Run:   /usr/bin/python3 tools/bench/torch_attribution.py [--sequences 2] [--rounds 3] [--threads 2]
Needs: apt-get install -y python3-torch   (not needed by SeqLens itself)
"""
import argparse
import json
import os
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover
    print(json.dumps({"error": "python3-torch is not installed (apt-get install -y python3-torch)"}))
    sys.exit(3)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from deeplift_rules import PairedMaxPoolTiming as PairedMaxPool, RescaleRelu  # noqa: E402  (the fixtures' rules; the
# pool rule without its tiny-difference fallbacks, which cost PyTorch time and change nothing measurable here)

def make_params():
    torch.manual_seed(0)
    def conv(cin, cout, k):
        return torch.nn.Conv1d(cin, cout, k).weight.detach(), torch.zeros(cout)
    p = {"c1": conv(4, 300, 19), "c2": conv(300, 200, 11), "c3": conv(200, 200, 7)}
    p["d1"] = (torch.nn.Linear(2000, 1000).weight.detach(), torch.zeros(1000))
    p["d2"] = (torch.nn.Linear(1000, 164).weight.detach(), torch.zeros(164))
    p["bn"] = {c: (torch.zeros(c), torch.ones(c), torch.ones(c), torch.zeros(c)) for c in (300, 200)}
    return p


def forward(p, x, deeplift):
    relu = RescaleRelu.apply if deeplift else torch.relu
    pool = PairedMaxPool.apply if deeplift else (lambda h, k: F.max_pool1d(h, k))
    def block(h, c, ch, k, pad):
        h = F.conv1d(h, p[c][0], p[c][1], padding=pad)
        m, v, w, b = p["bn"][ch]
        h = F.batch_norm(h, m, v, w, b, False, 0.0, 1e-5)
        return pool(relu(h), k)
    h = block(x, "c1", 300, 3, "same")
    h = block(h, "c2", 200, 4, 0)
    h = block(h, "c3", 200, 4, 0)
    h = relu(F.linear(h.flatten(1), *p["d1"]))
    return F.linear(h, *p["d2"])


def one_hot(n, length, gen):
    idx = torch.randint(0, 4, (n, length), generator=gen)
    return F.one_hot(idx, 4).permute(0, 2, 1).float().contiguous()


def deeplift_shap(p, x, refs):
    batch = torch.cat([x.expand(refs.shape[0], -1, -1), refs]).requires_grad_(True)
    out = forward(p, batch, True)
    out[:refs.shape[0], 0].sum().backward()
    m = batch.grad[:refs.shape[0]]
    hyp = torch.stack([(m * ((torch.arange(4).view(1, 4, 1) == c).float() - refs)).sum(1) for c in range(4)], 1).mean(0)
    return hyp


def integrated_gradients(p, x, x0, steps):
    alphas = torch.linspace(0, 1, steps).view(-1, 1, 1)
    batch = (x0 + alphas * (x - x0)).requires_grad_(True)
    out = forward(p, batch, False)
    out[:, 0].sum().backward()
    with torch.no_grad():
        forward(p, torch.cat([x, x0]), False)
    return (x - x0) * batch.grad.mean(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sequences", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--refs", type=int, default=20)
    ap.add_argument("--steps", type=int, default=50)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    p = make_params()
    gen = torch.Generator().manual_seed(1)
    xs = one_hot(a.sequences, 600, gen)
    refs = [one_hot(a.refs, 600, gen) for _ in range(a.sequences)]
    for what, fn in [("deeplift-shap x%d" % a.refs, lambda i: deeplift_shap(p, xs[i:i + 1], refs[i])),
                     ("ig x%d" % a.steps, lambda i: integrated_gradients(p, xs[i:i + 1], torch.zeros(1, 4, 600), a.steps))]:
        fn(0)  # warm-up
        times = []
        for _ in range(a.rounds):
            t0 = time.perf_counter()
            for i in range(a.sequences):
                fn(i)
            times.append((time.perf_counter() - t0) / a.sequences)
        med = statistics.median(times)
        print(json.dumps({"what": what, "threads": a.threads, "median_s_per_seq": med, "seq_per_s": 1.0 / med, "rounds": a.rounds}), flush=True)


if __name__ == "__main__":
    main()
