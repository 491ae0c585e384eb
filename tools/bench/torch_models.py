#!/usr/bin/env python3
"""PyTorch reference timings for the model benchmarks of bench/SeqLens.Bench (suite `models`).

Measures, on the same machine and in the same run as our harness, PyTorch 1.13 (Debian's python3-torch):
  - Basset-like forward (eval, no_grad) and training step (forward + backward + Adam) at batch 64, L = 600
  - DeepSEA-like forward (eval, no_grad) at batch 64, L = 1000
for 1 and 2 threads. Prints "TORCH\tversion" once, then "RESULT\tmodel\twhat\tthreads\tmedian_ms" per
measurement (the protocol of bench/SeqLens.Bench/TorchReference.cs).

Run:   /usr/bin/python3 tools/bench/torch_models.py [--repeats 7] [--threads 1,2] [--only basset,deepsea]
Needs: apt-get install -y python3-torch   (not needed by SeqLens itself)
"""
import argparse
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:  # pragma: no cover
    print("python3-torch is not installed (apt-get install -y python3-torch)", file=sys.stderr)
    sys.exit(3)


def basset_like():
    return nn.Sequential(
        nn.Conv1d(4, 300, 19, padding="same"), nn.BatchNorm1d(300), nn.ReLU(), nn.MaxPool1d(3),
        nn.Conv1d(300, 200, 11), nn.BatchNorm1d(200), nn.ReLU(), nn.MaxPool1d(4),
        nn.Conv1d(200, 200, 7), nn.BatchNorm1d(200), nn.ReLU(), nn.MaxPool1d(4),
        nn.Flatten(), nn.Linear(200 * 10, 1000), nn.ReLU(), nn.Linear(1000, 164))


def deepsea_like():
    return nn.Sequential(
        nn.Conv1d(4, 320, 8), nn.ReLU(), nn.MaxPool1d(4),
        nn.Conv1d(320, 480, 8), nn.ReLU(), nn.MaxPool1d(4),
        nn.Conv1d(480, 960, 8), nn.ReLU(),
        nn.Flatten(), nn.Linear(960 * 53, 925), nn.ReLU(), nn.Linear(925, 919))


def one_hot(batch, length, gen):
    idx = torch.randint(0, 4, (batch, length), generator=gen)
    return torch.nn.functional.one_hot(idx, 4).permute(0, 2, 1).float().contiguous()


def timed(fn, repeats, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times), times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--only", default="basset,deepsea")
    args = ap.parse_args()
    gen = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    only = set(args.only.split(","))
    print(f"TORCH\t{torch.__version__}", flush=True)
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        if "basset" in only:
            model = basset_like()
            x = one_hot(64, 600, gen)
            y = (torch.rand(64, 164, generator=gen) > 0.5).float()
            model.eval()
            with torch.no_grad():
                med, runs = timed(lambda: model(x), args.repeats)
            print(f"RESULT\tbasset\tforward\t{threads}\t{med:.3f}", flush=True)
            model.train()
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            loss_fn = nn.BCEWithLogitsLoss()

            def step():
                opt.zero_grad(set_to_none=False)
                loss = loss_fn(model(x), y)
                loss.backward()
                opt.step()
            med, runs = timed(step, args.repeats)
            print(f"RESULT\tbasset\ttrain_step\t{threads}\t{med:.3f}", flush=True)
        if "deepsea" in only:
            model = deepsea_like().eval()
            x = one_hot(64, 1000, gen)
            with torch.no_grad():
                med, runs = timed(lambda: model(x), args.repeats)
            print(f"RESULT\tdeepsea\tforward\t{threads}\t{med:.3f}", flush=True)


if __name__ == "__main__":
    main()
