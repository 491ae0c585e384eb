#!/usr/bin/env python3
"""PyTorch reference timing for the ISM benchmark of bench/SeqLens.Bench (suite `ism`).

Naive in-silico mutagenesis of one random 600-bp sequence on the full-size Basset-like model
(Conv(4,300,19,same)+BN+ReLU+MaxPool3 -> Conv(300,200,11)+BN+ReLU+MaxPool4 -> Conv(200,200,7)+BN+ReLU+MaxPool4
-> Dense(1000)+ReLU -> Dense(164)): all 3L = 1800 single-base substitutions as batched forward passes
(eval, no_grad), differences against the reference prediction. Prints one JSON object:
{"what": "torch_naive_ism", "length", "mutants", "batch", "threads", "median_ms", "runs"}.

Run:   /usr/bin/python3 tools/bench/torch_ism.py [--repeats 5] [--batch 256] [--threads 2] [--length 600]
Needs: apt-get install -y python3-torch   (not needed by SeqLens itself; exits with code 3 when torch is missing)
"""
import argparse
import json
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:  # pragma: no cover
    print(json.dumps({"error": "python3-torch is not installed (apt-get install -y python3-torch)"}))
    sys.exit(3)


def basset_like(length):
    conv_out = ((((length // 3) - 10) // 4) - 6) // 4
    return nn.Sequential(
        nn.Conv1d(4, 300, 19, padding=9), nn.BatchNorm1d(300), nn.ReLU(), nn.MaxPool1d(3),
        nn.Conv1d(300, 200, 11), nn.BatchNorm1d(200), nn.ReLU(), nn.MaxPool1d(4),
        nn.Conv1d(200, 200, 7), nn.BatchNorm1d(200), nn.ReLU(), nn.MaxPool1d(4),
        nn.Flatten(), nn.Linear(200 * conv_out, 1000), nn.ReLU(), nn.Linear(1000, 164))


def naive_ism(model, x, batch):
    """x: (1, 4, L) one-hot. Returns (164, 4, L) differences (0 at the reference base)."""
    length = x.shape[2]
    ref_base = x[0].argmax(0)
    mutants = []
    edits = []
    for p in range(length):
        for b in range(4):
            if b == int(ref_base[p]):
                continue
            m = x[0].clone()
            m[:, p] = 0
            m[b, p] = 1
            mutants.append(m)
            edits.append((b, p))
    mutants = torch.stack(mutants)
    with torch.no_grad():
        reference = model(x)[0]
        outs = [model(mutants[i:i + batch]) for i in range(0, mutants.shape[0], batch)]
    out = torch.cat(outs) - reference
    scores = torch.zeros(reference.shape[0], 4, length)
    bs = torch.tensor([e[0] for e in edits])
    ps = torch.tensor([e[1] for e in edits])
    scores[:, bs, ps] = out.T
    return scores, mutants.shape[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--length", type=int, default=600)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    model = basset_like(args.length).eval()
    x = torch.zeros(1, 4, args.length)
    x[0, torch.randint(0, 4, (args.length,)), torch.arange(args.length)] = 1
    naive_ism(model, x, args.batch)  # warm-up
    times = []
    mutants = 0
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        _, mutants = naive_ism(model, x, args.batch)
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"what": "torch_naive_ism", "length": args.length, "mutants": mutants, "batch": args.batch,
                      "threads": args.threads, "median_ms": round(statistics.median(times), 1), "runs": len(times)}))


if __name__ == "__main__":
    main()
